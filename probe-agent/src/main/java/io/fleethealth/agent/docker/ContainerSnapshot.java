package io.fleethealth.agent.docker;

import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one inspect of a container said, in plain values.
 *
 * @param exitCode State.ExitCode (0 while running)
 * @param lastHealthOutput output of the last HEALTHCHECK run, already truncated; empty without a HEALTHCHECK
 * @param startedAt empty before the first start
 * @param finishedAt empty before the first stop (the engine's zero value 0001-01-01 is mapped to empty)
 */
public record ContainerSnapshot(
        String id,
        String name,
        String image,
        Map<String, String> labels,
        DockerState state,
        int exitCode,
        boolean oomKilled,
        DockerHealth health,
        int failingStreak,
        Optional<String> lastHealthOutput,
        int restartCount,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt) {

    /** Longer health outputs are cut: they travel in every check result. */
    public static final int MAX_HEALTH_OUTPUT = 300;

    public ContainerSnapshot {
        Objects.requireNonNull(id, "id");
        name = Objects.requireNonNullElse(name, "");
        image = Objects.requireNonNullElse(image, "");
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(health, "health");
        lastHealthOutput = lastHealthOutput.map(ContainerSnapshot::truncate);
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }

    static String truncate(String output) {
        String trimmed = output.strip();
        return trimmed.length() <= MAX_HEALTH_OUTPUT ? trimmed : trimmed.substring(0, MAX_HEALTH_OUTPUT - 3) + "...";
    }
}
