package io.fleethealth.processor.topology;

import io.fleethealth.events.AgentHeartbeat;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.SessionControl;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Checks that a decoded input record can be trusted by the decision. A record that fails goes to the
 * dead-letter topic instead of into a session's state. Time is judged against the record's own Kafka
 * timestamp, never the wall clock, so that a replay rejects exactly what the live run rejected.
 */
public final class InputValidator {

    /** How far a probe time may run ahead of its record's timestamp (clock skew between hosts). */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    private InputValidator() {
    }

    /** @return the problem, or empty when the check is usable */
    public static Optional<String> check(String key, HealthCheckResult check, long recordTimestampMs) {
        if (key == null) {
            // The session store refuses a null key: caught here, it is a dead letter instead of a task error.
            return Optional.of("record has no key (the session id)");
        }
        if (blank(check.getSessionId())) {
            return Optional.of("missing session id");
        }
        if (blank(check.getCheckId())) {
            return Optional.of("missing check id");
        }
        if (blank(check.getHostId())) {
            return Optional.of("missing host id");
        }
        if (key != null && !key.equals(check.getSessionId())) {
            // A mis-keyed record lands on the wrong partition and would split the session's state.
            return Optional.of("record key '" + key + "' differs from session id '" + check.getSessionId() + "'");
        }
        return timeProblem("probe time", check.getProbeTime(), recordTimestampMs);
    }

    public static Optional<String> outcome(String key, RestartOutcome outcome, long recordTimestampMs) {
        if (key == null) {
            return Optional.of("record has no key (the session id)");
        }
        if (blank(outcome.getSessionId()) || blank(outcome.getCommandId())) {
            return Optional.of("missing session id or command id");
        }
        if (key != null && !key.equals(outcome.getSessionId())) {
            return Optional.of("record key '" + key + "' differs from session id '" + outcome.getSessionId() + "'");
        }
        return timeProblem("executed-at", outcome.getExecutedAt(), recordTimestampMs);
    }

    public static Optional<String> control(String key, SessionControl control, long recordTimestampMs) {
        if (key == null) {
            return Optional.of("record has no key (the session id)");
        }
        if (blank(control.getSessionId())) {
            return Optional.of("missing session id");
        }
        if (key != null && !key.equals(control.getSessionId())) {
            return Optional.of("record key '" + key + "' differs from session id '" + control.getSessionId() + "'");
        }
        return timeProblem("requested-at", control.getRequestedAt(), recordTimestampMs);
    }

    /**
     * A heartbeat needs its host, and a sent-at time no further ahead of its record's timestamp than the
     * allowed skew: one dated in the future would otherwise be the host's newest forever.
     */
    public static Optional<String> heartbeat(String key, AgentHeartbeat heartbeat, long recordTimestampMs) {
        if (blank(heartbeat.getHostId())) {
            return Optional.of("missing host id");
        }
        return timeProblem("sent-at", heartbeat.getSentAt(), recordTimestampMs);
    }

    private static Optional<String> timeProblem(String what, Instant time, long recordTimestampMs) {
        if (time == null || time.toEpochMilli() <= 0) {
            return Optional.of(what + " missing or before 1970");
        }
        if (recordTimestampMs > 0 && time.toEpochMilli() > recordTimestampMs + MAX_FUTURE_SKEW.toMillis()) {
            return Optional.of(what + " " + time + " is more than " + MAX_FUTURE_SKEW.toMinutes()
                    + " min after the record's timestamp " + Instant.ofEpochMilli(recordTimestampMs));
        }
        return Optional.empty();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
