package io.fleethealth.processor.decision;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.HealthStatus;
import java.util.Map;

/**
 * The restart brake's answers to the session's own restart command (docs/brake.md, "Held sessions").
 * A held command was not sent: the attempt stays pending without an expiry, so a long incident never
 * burns the attempt, never expires it and never ends the session FAILED. A sent command (released, or
 * delayed by the budget) gets its real window, from which on it can expire or be lost as usual.
 * An answer for a command that is no longer pending (its outcome came, the session recovered or ended)
 * changes nothing.
 */
final class BrakeAnswers {

    private BrakeAnswers() {
    }

    static Decision held(DecisionSettings settings, SessionState state, SessionEvent.RestartHeld held) {
        if (!pendingIs(state, held.commandId()) || state.pending().held()) {
            return Decision.unchanged(state, DecisionCounter.IGNORED_STALE_OUTCOME);
        }
        PendingRestart pending = state.pending();
        Transition tx = new Transition(settings, state, state.toBuilder(), held.at(),
                "held:" + held.commandId());
        tx.s.pending = pending.asHeld();
        if (tx.s.status != HealthStatus.FAILED) {
            tx.status(HealthStatus.UNHEALTHY, "restart attempt " + pending.attempt() + " held by the restart brake: incident "
                    + held.incidentId() + " is open");
        }
        return tx.finish();
    }

    static Decision sent(DecisionSettings settings, SessionState state, SessionEvent.RestartSent sent) {
        if (!pendingIs(state, sent.commandId())) {
            return Decision.unchanged(state, DecisionCounter.IGNORED_STALE_OUTCOME);
        }
        PendingRestart pending = state.pending();
        Transition tx = new Transition(settings, state, state.toBuilder(), sent.at(), "sent:" + sent.commandId());
        tx.s.pending = pending.issuedAt(sent.notBefore(), sent.expiresAt());
        if (pending.held()) {
            tx.status(HealthStatus.RESTARTING, "restart attempt " + pending.attempt()
                    + " released by the restart brake, not before " + IsoInstant.format(sent.notBefore()));
        }
        return tx.finish();
    }

    /**
     * The session is healthy again while its restart is held: the brake withdraws the hold (nothing is left
     * to restart), so the session drops it and gets the attempt back, as if it had never been wanted.
     */
    static void withdrawIfHeld(Transition tx) {
        PendingRestart pending = tx.s.pending;
        if (pending == null || !pending.held()) {
            return;
        }
        tx.s.pending = null;
        tx.s.restartAttempts = Math.max(0, tx.s.restartAttempts - 1);
        tx.audit(AuditAction.COMMAND_SKIPPED, "held restart withdrawn: the session is healthy again",
                pending.commandId(), Map.of("attempt", String.valueOf(pending.attempt()),
                        "episode", String.valueOf(pending.episode())));
    }

    private static boolean pendingIs(SessionState state, String commandId) {
        return state != null && state.pending() != null && state.pending().commandId().equals(commandId);
    }
}
