package io.fleethealth.processor.decision;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.SessionControl;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Applies an operator's RESET, PAUSE or RESUME; every applied action is audited with its actor. */
final class ControlDecider {

    private final DecisionSettings settings;

    ControlDecider(DecisionSettings settings) {
        this.settings = settings;
    }

    Decision decide(SessionState state, SessionControl control) {
        if (state == null) {
            // The API only accepts actions on known sessions; one for an ended session has nothing to act on.
            return Decision.unchanged(null, DecisionCounter.IGNORED_UNKNOWN_SESSION);
        }
        String eventId = "control:" + control.getControlId();
        if (state.recentControlIds().contains(eventId)) {
            return Decision.unchanged(state, DecisionCounter.IGNORED_CONTROL);
        }
        Transition tx = new Transition(settings, state, state.toBuilder(), control.getRequestedAt(), eventId);
        switch (control.getAction()) {
            case RESET -> reset(tx, control);
            case PAUSE -> pause(tx, control, true);
            case RESUME -> pause(tx, control, false);
            default -> {
                // An action newer than this reader's schema: ignore it, as the enum's doc says.
                return Decision.unchanged(state, DecisionCounter.IGNORED_CONTROL);
            }
        }
        tx.rememberControlId(eventId);
        tx.count(DecisionCounter.CONTROL_APPLIED);
        return tx.finish();
    }

    /**
     * RESET revives a FAILED session: attempts and the failure run start from zero, so the next restart
     * is attempt 1 of a new episode, after a full threshold of new failures. On a session that is not
     * FAILED it clears the attempt counter the same way (a manual back-off reset), except while a command
     * is in flight: its outcome still has to be joined to its attempt, so the reset is audited as not applied.
     */
    private void reset(Transition tx, SessionControl control) {
        SessionState.Builder s = tx.s;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("statusBefore", s.status.name());
        details.put("restartAttemptsBefore", String.valueOf(s.restartAttempts));
        if (s.pending != null) {
            details.put("applied", "false");
            tx.audit(AuditAction.OPERATOR_RESET, control.getActor(),
                    reason(control, "not applied: restart attempt " + s.pending.attempt() + " is in flight"),
                    s.pending.commandId(), details);
            return;
        }
        boolean wasFailed = s.status == HealthStatus.FAILED;
        s.restartAttempts = 0;
        s.restartsReported = 0;
        tx.clearFailureRun();
        if (wasFailed) {
            tx.resolve(AlertKind.SESSION_FAILED);
            tx.resolve(AlertKind.SESSION_UNHEALTHY);
            tx.resolve(AlertKind.RESTART_FAILED);
            tx.status(statusAfterReset(s), "reset by " + control.getActor() + reason(control, ""));
        }
        details.put("applied", "true");
        tx.audit(AuditAction.OPERATOR_RESET, control.getActor(), reason(control, "restart attempts reset"), null,
                details);
    }

    /** After a reset the last check speaks: healthy enough, failing, or (starting, unreachable) unknown. */
    private HealthStatus statusAfterReset(SessionState.Builder s) {
        if (s.consecutiveSuccesses >= settings.successThreshold()) {
            return HealthStatus.HEALTHY;
        }
        HealthStatus last = s.lastCheckStatus;
        return last == HealthStatus.UNHEALTHY || last == HealthStatus.FAILED ? HealthStatus.UNHEALTHY
                : HealthStatus.UNKNOWN;
    }

    /**
     * PAUSE withholds restarts (a command already sent cannot be called back and is still joined);
     * checks, status and alerts go on, and every firing alert is sent again with its paused annotation.
     */
    private void pause(Transition tx, SessionControl control, boolean paused) {
        SessionState.Builder s = tx.s;
        boolean changed = s.paused != paused;
        s.paused = paused;
        if (changed) {
            tx.refreshSessionAlerts();
        }
        tx.audit(paused ? AuditAction.OPERATOR_PAUSE : AuditAction.OPERATOR_RESUME, control.getActor(),
                reason(control, paused ? "restarts paused" : "restarts resumed"), null,
                Map.of("changed", String.valueOf(changed)));
    }

    private static String reason(SessionControl control, String fallback) {
        String why = control.getReason();
        if (fallback.isEmpty()) {
            return why == null || why.isBlank() ? "" : ": " + why;
        }
        return why == null || why.isBlank() ? fallback : fallback + ": " + Objects.requireNonNull(why);
    }
}
