package io.fleethealth.agent.probe;

import io.fleethealth.agent.docker.ContainerSnapshot;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Snapshots for unit tests: a running container without HEALTHCHECK unless told otherwise. */
final class Snapshots {

    static final Instant STARTED = Instant.parse("2024-05-01T10:00:00.123456789Z");

    private Snapshots() {
    }

    static ContainerSnapshot running(String id) {
        return of(id, DockerState.RUNNING, 0, false, DockerHealth.NONE, 0, null, Map.of("fleet-health.session", "s-" + id));
    }

    static ContainerSnapshot of(String id, DockerState state, int exitCode, boolean oom, DockerHealth health,
                                int streak, String lastOutput, Map<String, String> labels) {
        return new ContainerSnapshot(id, "name-" + id, "fleet-test/busybox:1", labels, state, exitCode, oom, health,
                streak, Optional.ofNullable(lastOutput), 2, Optional.of(STARTED),
                state == DockerState.RUNNING ? Optional.empty() : Optional.of(STARTED.plusSeconds(60)));
    }

    static ContainerSnapshot withState(DockerState state, int exitCode, boolean oom) {
        return of("c1", state, exitCode, oom, DockerHealth.NONE, 0, null, Map.of());
    }

    static ContainerSnapshot withHealth(DockerHealth health, int streak, String output) {
        return of("c1", DockerState.RUNNING, 0, false, health, streak, output, Map.of());
    }
}
