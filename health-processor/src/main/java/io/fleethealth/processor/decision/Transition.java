package io.fleethealth.processor.decision;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.SessionStatus;
import io.fleethealth.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The working copy of one decision: a mutable builder of the new state plus the records it emits.
 * Lives for one event only; {@link #finish()} or {@link #end(String)} turns it into a {@link Decision}.
 */
final class Transition {

    static final String ACTOR = "health-processor";

    final DecisionSettings settings;
    final SessionState.Builder s;
    final Instant at;
    private final SessionState before;
    private final String sourceId;
    private final List<Emitted<?>> commands = new ArrayList<>();
    private final List<Emitted<?>> alerts = new ArrayList<>();
    private final List<Emitted<?>> audits = new ArrayList<>();
    private final Set<DecisionCounter> counters = EnumSet.noneOf(DecisionCounter.class);

    /**
     * @param before   the state before the event, or null for a new session
     * @param working  the working copy (of before, or of a new session)
     * @param at       event time of the decision
     * @param sourceId id of the input event, the seed of deterministic audit ids
     */
    Transition(DecisionSettings settings, SessionState before, SessionState.Builder working, Instant at,
               String sourceId) {
        this.settings = settings;
        this.before = before;
        this.s = working;
        this.at = at;
        this.sourceId = sourceId;
    }

    /** Id of the input event being decided, e.g. {@code check:<checkId>}. */
    String sourceId() {
        return sourceId;
    }

    void count(DecisionCounter counter) {
        counters.add(counter);
    }

    /**
     * Moves to a status; the transition time only changes when the status does. A new session's first
     * status has no previous one (its placeholder UNKNOWN was never published).
     */
    void status(HealthStatus status, String reason) {
        if (s.status != status) {
            s.previousStatus = before == null ? null : s.status;
            s.status = status;
            s.lastTransitionAt = at;
        }
        s.reason = reason;
    }

    void clearFailureRun() {
        s.consecutiveFailures = 0;
        s.failureRunStartedAt = null;
        if (!s.recentFailureTimes.isEmpty()) {
            s.recentFailureTimesForUpdate().clear();
        }
    }

    void clearSuccessRun() {
        s.consecutiveSuccesses = 0;
        s.healthySince = null;
    }

    void rememberCheckId(String id) {
        s.recentCheckIds = RecentIds.copyOf(s.recentCheckIds).append(id, SessionState.RECENT_CHECK_IDS);
    }

    void rememberControlId(String id) {
        s.recentControlIds = RecentIds.copyOf(s.recentControlIds).append(id, SessionState.RECENT_CONTROL_IDS);
    }

    void command(RestartCommand command) {
        commands.add(new Emitted<>(Topics.RESTART_COMMANDS, s.sessionId, command, at));
    }

    Optional<ActiveAlert> activeAlert(AlertKind kind) {
        for (ActiveAlert alert : s.activeAlerts) {
            if (alert.kind() == kind) {
                return Optional.of(alert);
            }
        }
        return Optional.empty();
    }

    /**
     * Fires an alert unless it is already firing or the session is not managed. With {@code refire}, an alert already firing is sent
     * again with the new description (same fingerprint and start), e.g. for every failed restart.
     */
    void fire(AlertKind kind, String hostId, Instant startsAt, String summary, String description, boolean refire) {
        if (s.unmanaged) {
            return; // opted out by label: shown, never alerted (the one place every alert passes)
        }
        Optional<ActiveAlert> active = activeAlert(kind);
        if (active.isPresent() && !refire) {
            return;
        }
        ActiveAlert alert = active
                .map(a -> new ActiveAlert(kind, a.hostId(), a.startsAt(), summary, description))
                .orElseGet(() -> new ActiveAlert(kind, hostId, startsAt, summary, description));
        List<ActiveAlert> alerts = s.activeAlertsForUpdate();
        active.ifPresent(alerts::remove);
        alerts.add(alert);
        emitAlert(alert, null);
    }

    void resolve(AlertKind kind) {
        activeAlert(kind).ifPresent(alert -> {
            s.activeAlertsForUpdate().remove(alert);
            emitAlert(alert, at);
        });
    }

    /** Sends every firing session alert again, e.g. so that its paused annotation follows a PAUSE. */
    void refreshSessionAlerts() {
        for (ActiveAlert alert : s.activeAlerts) {
            if (!alert.kind().hostScoped()) {
                emitAlert(alert, null);
            }
        }
    }

    private void emitAlert(ActiveAlert alert, Instant endsAt) {
        HealthAlert value = Alerts.build(alert, s.sessionId, s.containerName, s.paused, endsAt);
        alerts.add(new Emitted<>(Topics.ALERTS, Alerts.keyOf(alert, s.sessionId), value, at));
    }

    void audit(AuditAction action, String reason, String commandId, Map<String, String> details) {
        audit(action, ACTOR, reason, commandId, details);
    }

    void audit(AuditAction action, String actor, String reason, String commandId, Map<String, String> details) {
        AuditEvent event = AuditEvent.newBuilder()
                .setEventId(Ids.auditEventId(s.sessionId, action.name(), sourceId))
                .setSessionId(s.sessionId)
                .setHostId(s.hostId.isEmpty() ? null : s.hostId)
                .setAction(action)
                .setActor(actor)
                .setReason(reason)
                .setTime(at)
                .setCommandId(commandId)
                .setDetails(new TreeMap<>(details))
                .build();
        audits.add(new Emitted<>(Topics.AUDIT, s.sessionId, event, at));
    }

    /**
     * A command ended without restarting anything (failed, expired, rejected, or lost): the session is
     * failing again and the alert is sent again for every such attempt. Only an attempt the agent answered
     * (failed, rejected) counts toward giving up.
     */
    void restartNotDone(PendingRestart command, String what, boolean answeredByAgent) {
        s.pending = null;
        if (answeredByAgent) {
            s.restartsReported++;
        }
        s.graceUntil = null;
        clearFailureRun();
        clearSuccessRun();
        String text = "restart attempt " + command.attempt() + " of " + settings.maxRestartAttempts() + " " + what;
        status(HealthStatus.UNHEALTHY, text + (answeredByAgent ? "; the attempt is used"
                : "; not counted toward giving up (the agent never acted on it)"));
        fire(AlertKind.RESTART_FAILED, s.hostId, at, "Restart of session " + s.sessionId + " did not happen",
                "Container " + s.containerName + " on host " + s.hostId + ": " + text + " (command "
                        + command.commandId() + ").", true);
    }

    /** The new state, with a status record when anything an operator watches changed. */
    Decision finish() {
        SessionState after = s.build();
        List<Emitted<?>> out = new ArrayList<>(commands);
        if (before == null || statusVisiblyChanged(before, after)) {
            SessionStatus status = after.toSessionStatus();
            out.add(new Emitted<>(Topics.SESSION_STATUS, s.sessionId, status, at));
        }
        out.addAll(alerts);
        out.addAll(audits);
        return new Decision(after, true, out, counters);
    }

    /**
     * The session ended (its container is gone): its alerts resolve, its status is tombstoned, the end is
     * audited and the state dropped.
     */
    Decision end(String reason) {
        for (ActiveAlert alert : List.copyOf(s.activeAlerts)) {
            resolve(alert.kind());
        }
        audit(AuditAction.SESSION_ENDED, reason, s.pending == null ? null : s.pending.commandId(),
                Map.of("statusBefore", s.status.name(), "restartAttempts", String.valueOf(s.restartAttempts)));
        count(DecisionCounter.SESSION_ENDED);
        List<Emitted<?>> out = new ArrayList<>();
        out.add(new Emitted<>(Topics.SESSION_STATUS, s.sessionId, null, at));
        out.addAll(alerts);
        out.addAll(audits);
        return new Decision(null, true, out, counters);
    }

    /**
     * Status, counters, pause and error category are what an operator watches; the last check time alone
     * changes with every check and would flood the compacted topic.
     */
    private static boolean statusVisiblyChanged(SessionState a, SessionState b) {
        return a.status() != b.status()
                || a.consecutiveFailures() != b.consecutiveFailures()
                || a.restartAttempts() != b.restartAttempts()
                || a.paused() != b.paused()
                || a.lastErrorCategory() != b.lastErrorCategory()
                || !Objects.equals(a.conflict() == null ? null : a.conflict().describe(),
                        b.conflict() == null ? null : b.conflict().describe())
                || !Objects.equals(a.hostId(), b.hostId())
                || !Objects.equals(a.containerId(), b.containerId());
    }
}
