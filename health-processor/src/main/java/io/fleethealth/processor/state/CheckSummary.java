package io.fleethealth.processor.state;

import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import java.time.Instant;

/** What the rolling history keeps of one processed check: enough for a timeline, a few dozen bytes. */
public record CheckSummary(Instant time, HealthStatus status, ErrorCategory errorCategory, double responseTimeMs) {

    public static CheckSummary of(HealthCheckResult check) {
        return new CheckSummary(check.getProbeTime(), check.getStatus(), check.getErrorCategory(),
                check.getResponseTimeMs());
    }
}
