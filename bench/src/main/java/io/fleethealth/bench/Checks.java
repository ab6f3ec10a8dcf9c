package io.fleethealth.bench;

import io.fleethealth.contract.labels.Labels;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Health-check results shaped like an agent's: same fields, labels in the metadata, a sequence per host. */
final class Checks {

    static final int HOSTS = 50;

    private Checks() {
    }

    static String session(String run, int index) {
        return run + "-s" + index;
    }

    static String host(int sessionIndex) {
        return "bench-host-" + (sessionIndex % HOSTS);
    }

    static HealthCheckResult check(String run, int sessionIndex, long sequence, Instant probeTime, boolean healthy) {
        return check(run, sessionIndex, sequence, probeTime, healthy, host(sessionIndex));
    }

    static HealthCheckResult check(String run, int sessionIndex, long sequence, Instant probeTime, boolean healthy,
                                   String host) {
        String session = session(run, sessionIndex);
        Map<String, String> metadata = new HashMap<>();
        metadata.put(Labels.SESSION, session);
        metadata.put("com.example.tier", "standard");
        HealthCheckResult.Builder check = HealthCheckResult.newBuilder()
                .setCheckId(host + ":" + run + ":" + sequence)
                .setSessionId(session)
                .setHostId(host)
                .setContainerId(String.format("%064x", (long) sessionIndex * 2654435761L))
                .setContainerName("session-" + sessionIndex)
                .setImage("fleet-test/busybox:1")
                .setProbeTime(probeTime)
                .setResponseTimeMs(1.2)
                .setSequence(sequence)
                .setAgentVersion("bench")
                .setMetadata(metadata);
        return withContainerState(check, healthy).build();
    }

    /** What the agent reports of a running container, or of one that exited with code 1. */
    static HealthCheckResult.Builder withContainerState(HealthCheckResult.Builder check, boolean healthy) {
        return check.setStatus(healthy ? HealthStatus.HEALTHY : HealthStatus.FAILED)
                .setDockerState(healthy ? DockerState.RUNNING : DockerState.EXITED)
                .setDockerHealth(DockerHealth.NONE)
                .setExitCode(healthy ? null : 1)
                .setErrorCategory(healthy ? ErrorCategory.NONE : ErrorCategory.EXITED)
                .setErrorMessage(healthy ? null : "exited with code 1");
    }
}
