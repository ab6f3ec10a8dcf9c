package io.fleethealth.cli.testing;

import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import java.time.Instant;
import java.util.HashMap;

/** Test events with the fields the decision reads. */
public final class Events {

    private Events() {
    }

    public static HealthCheckResult check(String session, String checkId, Instant at, boolean healthy) {
        return HealthCheckResult.newBuilder()
                .setCheckId(checkId).setSessionId(session).setHostId("host-" + Math.abs(session.hashCode() % 3))
                .setContainerId("cid-" + session).setContainerName(session + "-desktop").setImage("fleet-test/busybox:1")
                .setProbeTime(at)
                .setStatus(healthy ? HealthStatus.HEALTHY : HealthStatus.FAILED)
                .setDockerState(healthy ? DockerState.RUNNING : DockerState.EXITED)
                .setDockerHealth(DockerHealth.NONE)
                .setExitCode(healthy ? null : 1)
                .setErrorCategory(healthy ? ErrorCategory.NONE : ErrorCategory.EXITED)
                .setErrorMessage(healthy ? null : "exited with code 1")
                .setResponseTimeMs(1.5)
                .setMetadata(new HashMap<>())
                .setAgentVersion("test")
                .build();
    }

    /** The agent's report that it restarted the container as told. */
    public static RestartOutcome succeeded(RestartCommand command, Instant at) {
        return RestartOutcome.newBuilder()
                .setCommandId(command.getCommandId()).setSessionId(command.getSessionId())
                .setHostId(command.getHostId()).setContainerId(command.getContainerId())
                .setAttempt(command.getAttempt()).setResult(RestartResult.SUCCEEDED)
                .setExecutedAt(at).setDurationMs(300).build();
    }
}
