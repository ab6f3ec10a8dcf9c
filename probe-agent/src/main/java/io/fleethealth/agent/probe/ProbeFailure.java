package io.fleethealth.agent.probe;

import io.fleethealth.events.ErrorCategory;
import java.time.Duration;
import java.util.Objects;

/** Why a probe brought back no snapshot of the container. */
public record ProbeFailure(ErrorCategory category, String message) {

    public ProbeFailure {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(message, "message");
    }

    public static ProbeFailure timeout(Duration limit) {
        return new ProbeFailure(ErrorCategory.PROBE_TIMEOUT, "probe timed out after " + limit.toMillis() + " ms");
    }

    public static ProbeFailure engineUnreachable(String detail) {
        return new ProbeFailure(ErrorCategory.DOCKER_UNREACHABLE, detail);
    }

    public static ProbeFailure gone(String detail) {
        return new ProbeFailure(ErrorCategory.CONTAINER_GONE, detail);
    }

    public static ProbeFailure engineError(String detail) {
        return new ProbeFailure(ErrorCategory.OTHER, detail);
    }
}
