package io.fleethealth.contract.check;

import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;

/**
 * What one check says about the container, for the counting rules. Part of the contract: the processor's
 * decision and the replay report read a check through this one place, so they count it alike.
 */
public enum CheckVerdict {
    SUCCESS, FAILURE, NEUTRAL;

    /**
     * Failure = UNHEALTHY, FAILED or UNKNOWN (the seed's meaning). A running container whose HEALTHCHECK
     * is still starting, or one Docker itself is restarting, is neither: it has not proven health nor
     * failed yet, so it neither counts toward a restart nor toward recovery. Neither does a check the agent marked
     * as engine trouble: it tells about the host's engine, not the container.
     */
    public static CheckVerdict of(HealthCheckResult check) {
        HealthStatus status = check.getStatus();
        if (check.getEngineTrouble() != null) {
            return NEUTRAL; // the agent says the engine, not the container, failed to answer: the host's problem
        }
        if (status == HealthStatus.RESTARTING) {
            return NEUTRAL;
        }
        if (status != HealthStatus.FAILED && check.getDockerState() == DockerState.RUNNING
                && check.getDockerHealth() == DockerHealth.STARTING) {
            return NEUTRAL;
        }
        return status == HealthStatus.HEALTHY ? SUCCESS : FAILURE;
    }
}
