package io.smeflow.secrets.testing;

import io.smeflow.secrets.rotation.RolloutRestarter;
import io.smeflow.secrets.rotation.RotationCheckpoints;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Crash injection for tests: once armed, the next rotation that reaches the checkpoint stops there
 * as a crash would. What lives only in memory (pending restart checks) is lost, and the reconcile
 * fails, so the operator has to converge from what Kubernetes and Vault hold.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CrashingCheckpoints extends RotationCheckpoints {

    /** Thrown where the operator "crashes". */
    public static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(Checkpoint at) {
            super("simulated crash at " + at);
        }
    }

    private final AtomicReference<Checkpoint> armed = new AtomicReference<>();
    private final AtomicReference<Runnable> beforeCrash = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicBoolean crash =
            new java.util.concurrent.atomic.AtomicBoolean(true);

    @Inject RolloutRestarter restarter;

    /** Crashes at {@code checkpoint} once. */
    public void arm(Checkpoint checkpoint) {
        arm(checkpoint, () -> {});
    }

    /** Runs {@code action} at {@code checkpoint} once, then crashes. */
    public void arm(Checkpoint checkpoint, Runnable action) {
        crash.set(true);
        beforeCrash.set(action);
        armed.set(checkpoint);
    }

    /** Runs {@code action} at {@code checkpoint} once and carries on without crashing. */
    public void armAction(Checkpoint checkpoint, Runnable action) {
        crash.set(false);
        beforeCrash.set(action);
        armed.set(checkpoint);
    }

    public boolean fired() {
        return armed.get() == null;
    }

    @Override
    public void reached(Checkpoint checkpoint) {
        if (!armed.compareAndSet(checkpoint, null)) {
            return;
        }
        beforeCrash.getAndSet(null).run();
        if (crash.get()) {
            restarter.forgetPending();
            throw new SimulatedCrash(checkpoint);
        }
    }
}
