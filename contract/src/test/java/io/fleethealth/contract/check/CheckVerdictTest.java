package io.fleethealth.contract.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.serde.SampleEvents;
import org.junit.jupiter.api.Test;

/** Every combination of status, Docker state and Docker health, read as the decision and the replay report read it. */
class CheckVerdictTest {

    @Test
    void shouldReadEveryCombinationOfStatusStateAndHealth() {
        int combinations = 0;
        for (HealthStatus status : HealthStatus.values()) {
            for (DockerState state : DockerState.values()) {
                for (DockerHealth health : DockerHealth.values()) {
                    HealthCheckResult check = HealthCheckResult.newBuilder(SampleEvents.healthCheck())
                            .setStatus(status).setDockerState(state).setDockerHealth(health).build();
                    assertThat(CheckVerdict.of(check)).as("%s / %s / %s", status, state, health)
                            .isEqualTo(expected(status, state, health));
                    combinations++;
                }
            }
        }
        assertThat(combinations).isEqualTo(HealthStatus.values().length * DockerState.values().length
                * DockerHealth.values().length);
    }

    /** The rule written out case by case, independently of the implementation's order of tests. */
    private static CheckVerdict expected(HealthStatus status, DockerState state, DockerHealth health) {
        boolean stillStarting = state == DockerState.RUNNING && health == DockerHealth.STARTING;
        return switch (status) {
            case HEALTHY -> stillStarting ? CheckVerdict.NEUTRAL : CheckVerdict.SUCCESS;
            case RESTARTING -> CheckVerdict.NEUTRAL;
            case FAILED -> CheckVerdict.FAILURE;
            case UNHEALTHY, UNKNOWN -> stillStarting ? CheckVerdict.NEUTRAL : CheckVerdict.FAILURE;
        };
    }
}
