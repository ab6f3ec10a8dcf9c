package io.fleethealth.processor.decision;

import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;

/**
 * Joins an agent's restart outcome back into the session. The give-up counts the attempts the agent
 * answered ({@link SessionState#restartsReported()}): a restart done, failed or refused. An expired
 * command (like a lost one) was never acted on: it is alerted but not counted, so a backlog or an absent
 * agent cannot make a session FAILED without restarts, while an agent that keeps refusing still leads to
 * FAILED rather than to an endless loop.
 * <ul>
 *   <li>SUCCEEDED: the grace starts at the execution time; failures do not count during it.</li>
 *   <li>SKIPPED_ALREADY_RESTARTED: someone restarted the container after the command was issued: that is
 *       the restart we wanted, so it is treated as SUCCEEDED.</li>
 *   <li>SKIPPED_DUPLICATE: the agent already executed this id (e.g. it crashed before reporting): the
 *       restart happened, so it also starts the grace. A later, first outcome finds nothing pending.</li>
 *   <li>FAILED, EXPIRED: nothing was restarted; the attempt is used and alerted.</li>
 *   <li>REJECTED (container not found, foreign, unlabelled): same as FAILED. Retrying the same order would
 *       be refused again, so it must consume the budget and end in FAILED for a human to look at.</li>
 * </ul>
 * The agent audits what it did with the command; the processor does not repeat that audit.
 */
final class OutcomeDecider {

    private final DecisionSettings settings;

    OutcomeDecider(DecisionSettings settings) {
        this.settings = settings;
    }

    Decision decide(SessionState state, RestartOutcome outcome) {
        if (state == null) {
            return Decision.unchanged(null, DecisionCounter.IGNORED_UNKNOWN_SESSION);
        }
        PendingRestart pending = state.pending();
        if (pending == null || !pending.commandId().equals(outcome.getCommandId())) {
            // A second outcome for the same command, one that arrived after the command was given up as
            // lost, or one for a command of an earlier life of the session.
            return Decision.unchanged(state, DecisionCounter.IGNORED_STALE_OUTCOME);
        }
        RestartResult result = outcome.getResult();
        Transition tx = new Transition(settings, state, state.toBuilder(), outcome.getExecutedAt(),
                "outcome:" + outcome.getCommandId() + ":" + result);
        tx.count(DecisionCounter.OUTCOME_JOINED);
        if (result == RestartResult.SKIPPED_DUPLICATE) {
            tx.count(DecisionCounter.IGNORED_DUPLICATE_OUTCOME);
        }
        switch (result) {
            case SUCCEEDED, SKIPPED_ALREADY_RESTARTED, SKIPPED_DUPLICATE -> restarted(tx, pending, result);
            case FAILED, EXPIRED, REJECTED -> tx.restartNotDone(pending, result.name().toLowerCase(java.util.Locale.ROOT)
                    + (outcome.getMessage() == null ? "" : ": " + outcome.getMessage()), result != RestartResult.EXPIRED);
            default -> throw new IllegalStateException("Unhandled restart result " + result);
        }
        return tx.finish();
    }

    private void restarted(Transition tx, PendingRestart pending, RestartResult result) {
        SessionState.Builder s = tx.s;
        s.pending = null;
        s.restartsReported++;
        s.graceUntil = tx.at.plus(settings.restartGrace());
        tx.clearFailureRun();
        tx.clearSuccessRun();
        tx.resolve(AlertKind.RESTART_FAILED);
        tx.status(HealthStatus.RESTARTING, "restart attempt " + pending.attempt() + " "
                + result.name().toLowerCase(java.util.Locale.ROOT) + " at " + tx.at
                + "; failures do not count until " + s.graceUntil);
    }
}
