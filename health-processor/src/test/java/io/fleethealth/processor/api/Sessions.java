package io.fleethealth.processor.api;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sample sessions and alerts for the API tests. */
final class Sessions {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private Sessions() {
    }

    static SessionView healthy(String sessionId) {
        return session(sessionId, HealthStatus.HEALTHY, 0, 0, ErrorCategory.NONE, null,
                history(HealthStatus.HEALTHY, HealthStatus.HEALTHY, HealthStatus.HEALTHY));
    }

    static SessionView unhealthy(String sessionId, int consecutiveFailures) {
        return session(sessionId, HealthStatus.UNHEALTHY, consecutiveFailures, 0, ErrorCategory.HEALTHCHECK_FAILING,
                "healthcheck exited 1", history(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY, HealthStatus.UNHEALTHY));
    }

    static SessionView failed(String sessionId) {
        return session(sessionId, HealthStatus.FAILED, 3, 3, ErrorCategory.EXITED, "exited with code 1",
                history(HealthStatus.UNHEALTHY, HealthStatus.RESTARTING, HealthStatus.FAILED));
    }

    /** Labelled fleet-health.enabled=false, with one override label the agent did not accept. */
    static SessionView notManaged(String sessionId) {
        SessionView s = unhealthy(sessionId, 4);
        return new SessionView(s.sessionId(), s.hostId(), s.containerId(), s.containerName(), s.status(),
                s.consecutiveFailures(), s.restartAttempts(), s.paused(), false, s.lastCheckAt(), s.lastTransitionAt(),
                "4 consecutive failure(s); not managed: restarts disabled by label fleet-health.enabled=false",
                s.lastErrorCategory(), s.lastErrorMessage(), "fleet-health.stop-timeout='soon'", s.history());
    }

    static SessionView session(String sessionId, HealthStatus status, int failures, int restarts, ErrorCategory error,
            String message, List<CheckView> history) {
        return new SessionView(sessionId, "host-a", "c0ffee" + sessionId.hashCode(), "session-" + sessionId, status,
                failures, restarts, false, true, history.isEmpty() ? null : history.get(history.size() - 1).time(),
                T0.minusSeconds(30), status == HealthStatus.HEALTHY ? "checks pass" : "failing: " + error,
                error, message, null, history);
    }

    static List<CheckView> history(HealthStatus... statuses) {
        List<CheckView> checks = new ArrayList<>();
        for (int i = 0; i < statuses.length; i++) {
            HealthStatus status = statuses[i];
            checks.add(new CheckView(T0.plus(Duration.ofSeconds(i)), status,
                    status == HealthStatus.HEALTHY ? ErrorCategory.NONE : ErrorCategory.HEALTHCHECK_FAILING, 12.5 + i));
        }
        return checks;
    }

    static AlertView firing(String fingerprint, String sessionId, String alertname) {
        return new AlertView(fingerprint, AlertStatus.FIRING, alertname, "critical", sessionId, "host-a",
                "session " + sessionId + " needs attention", T0, null,
                Map.of("alertname", alertname, "severity", "critical", "session_id", sessionId),
                Map.of("summary", "session " + sessionId + " needs attention"));
    }

    static AlertView resolved(String fingerprint, String sessionId, String alertname) {
        return new AlertView(fingerprint, AlertStatus.RESOLVED, alertname, "warning", sessionId, "host-a",
                "session " + sessionId + " needed attention", T0, T0.plusSeconds(60),
                Map.of("alertname", alertname, "severity", "warning", "session_id", sessionId),
                Map.of("summary", "session " + sessionId + " needed attention"));
    }
}
