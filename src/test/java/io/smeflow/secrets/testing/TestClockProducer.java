package io.smeflow.secrets.testing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Replaces the operator's system clock (a default bean) in every Quarkus test. */
@ApplicationScoped
public class TestClockProducer {

    private final ShiftableClock clock = new ShiftableClock();

    @Produces
    @ApplicationScoped
    ShiftableClock clock() {
        return clock;
    }
}
