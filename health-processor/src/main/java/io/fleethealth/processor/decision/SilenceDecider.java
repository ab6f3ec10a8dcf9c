package io.fleethealth.processor.decision;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.HealthStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Marks a silent session UNKNOWN. Driven by the shell's wall-clock punctuator, so it must not touch
 * anything a restart decision depends on (failure run, attempts, pending command, grace): a replay
 * without these events then decides the same restarts as the live run.
 */
final class SilenceDecider {

    private final DecisionSettings settings;

    SilenceDecider(DecisionSettings settings) {
        this.settings = settings;
    }

    Decision decide(SessionState state, SessionEvent.SilenceDetected silence) {
        if (state == null) {
            return Decision.unchanged(null, DecisionCounter.IGNORED_UNKNOWN_SESSION);
        }
        // Not managed (opted out by label): never marked stale, so silence raises nothing.
        if (state.unmanaged() || state.stale() || state.lastProbeTime() == null
                || Duration.between(state.lastProbeTime(), silence.now()).compareTo(settings.staleAfter()) < 0) {
            return new Decision(state, false, java.util.List.of(), java.util.Set.of());
        }
        // One silence per last check: the same silent stretch always yields the same audit id.
        Transition tx = new Transition(settings, state, state.toBuilder(), silence.now(),
                "silence:" + lastCheckId(state));
        SessionState.Builder s = tx.s;
        s.stale = true;
        String reason = "no check since " + s.lastProbeTime + (silence.hostSilent()
                ? " (the agent of host " + s.hostId + " stopped sending heartbeats)" : "");
        if (s.status != HealthStatus.FAILED) {
            // FAILED stays: it is a verdict, not an observation.
            tx.status(HealthStatus.UNKNOWN, reason);
        }
        if (!silence.hostSilent()) {
            tx.fire(AlertKind.SESSION_STALE, s.hostId, s.lastProbeTime, "No health check for session " + s.sessionId,
                    "Container " + s.containerName + " on host " + s.hostId + ": " + reason + ".", false);
        }
        tx.count(DecisionCounter.SESSION_STALE);
        tx.audit(AuditAction.SESSION_STALE, reason, null, Map.of("lastCheckAt", s.lastProbeTime.toString(),
                "hostSilent", String.valueOf(silence.hostSilent())));
        return tx.finish();
    }

    /** The id of the last processed check (two checks may share a probe time, never an id). */
    private static String lastCheckId(SessionState state) {
        List<String> ids = state.recentCheckIds();
        return ids.isEmpty() ? String.valueOf(state.lastProbeTime()) : ids.get(ids.size() - 1);
    }
}
