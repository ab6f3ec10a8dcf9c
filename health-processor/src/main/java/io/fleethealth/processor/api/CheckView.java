package io.fleethealth.processor.api;

import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import java.time.Instant;
import java.util.Objects;

/** One recent check of a session, as the API and the dashboard timeline show it. */
public record CheckView(Instant time, HealthStatus status, ErrorCategory errorCategory, double responseTimeMs) {

    public CheckView {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(errorCategory, "errorCategory");
    }

    public static CheckView of(HealthCheckResult check) {
        return new CheckView(check.getProbeTime(), check.getStatus(), check.getErrorCategory(), check.getResponseTimeMs());
    }
}
