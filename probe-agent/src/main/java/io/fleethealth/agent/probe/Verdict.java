package io.fleethealth.agent.probe;

import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthStatus;
import java.util.Objects;
import java.util.Optional;

/** What one probe concluded: the status, why it is not healthy, and in words. */
public record Verdict(HealthStatus status, ErrorCategory category, Optional<String> message) {

    public Verdict {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(message, "message");
    }

    static Verdict of(HealthStatus status, ErrorCategory category, String message) {
        return new Verdict(status, category, Optional.ofNullable(message));
    }
}
