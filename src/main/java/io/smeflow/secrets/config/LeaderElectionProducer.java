package io.smeflow.secrets.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * Leader election on a Lease in the operator namespace. The Quarkus extension uses this bean when
 * the active profile has leader election switched on (prod).
 */
@ApplicationScoped
public class LeaderElectionProducer {

    private static final Logger LOG = Logger.getLogger(LeaderElectionProducer.class);

    @Produces
    @ApplicationScoped
    @SuppressWarnings("deprecation") // the only constructor that lets tests keep the JVM alive
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        OperatorConfig.LeaderElectionConfig le = config.leaderElection();
        return new LeaderElectionConfiguration(
                le.leaseName(),
                config.operatorNamespace(),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                null,
                new LeaderCallbacks(
                        () -> LOG.info("Started leading; reconciling"),
                        () -> stoppedLeading(le.exitOnStopLeading()),
                        leader -> LOG.infof("Leader is now %s", leader)),
                // JOSDK 5.3 would call System.exit here even when the lease ends because the JVM
                // is already shutting down (SIGTERM), which deadlocks the shutdown hook until
                // SIGKILL; stoppedLeading exits only when the lease was really lost.
                false);
    }

    /** A lost lease ends the process, so two replicas never reconcile at once. */
    private static void stoppedLeading(boolean exit) {
        LOG.info("Stopped leading");
        if (exit && !shuttingDown()) {
            LOG.info("Lost the lease; exiting so that only the new leader reconciles");
            System.exit(1);
        }
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
