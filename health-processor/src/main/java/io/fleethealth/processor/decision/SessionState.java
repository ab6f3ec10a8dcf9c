package io.fleethealth.processor.decision;

import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.SessionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the decision keeps about one session between two events. Immutable; stored in a compact
 * versioned binary form by {@code state.SessionStateCodec} (this package knows no storage format). Methods
 * without a get/is prefix are derived and not serialised.
 *
 * @param sessionId            the session (the record key)
 * @param hostId               host of its container, from the latest check
 * @param containerId          its container, from the latest check that named one
 * @param containerName        name of its container
 * @param status               where the decision stands (one of the five)
 * @param previousStatus       status before the last transition; null for a new session
 * @param reason               why the session is in its status
 * @param lastTransitionAt     when the status last changed
 * @param consecutiveFailures  counted failures in a row (not those during a restart or its grace)
 * @param failureRunStartedAt  probe time of the oldest failure of the current run; null without a run
 * @param recentFailureTimes   probe times of the last (threshold) counted failures, oldest first: the window
 * @param consecutiveSuccesses successes in a row
 * @param healthySince         probe time of the first success of the current run of successes
 * @param episode              failure episode number; a new one starts with attempt 1
 * @param restartAttempts      restart commands issued in the current episode
 * @param pending              the command awaiting its outcome, or null
 * @param graceUntil           end of the grace after a restart, or null
 * @param paused               restarts paused by an operator
 * @param stale                marked UNKNOWN for silence; cleared by the next check
 * @param lastProbeTime        probe time of the last processed check: older ones are out of order
 * @param lastCheckStatus      status of the last processed check
 * @param recentCheckIds       the last {@value #RECENT_CHECK_IDS} check ids, for de-duplication
 * @param recentControlIds     the last {@value #RECENT_CONTROL_IDS} operator control ids, kept apart so
 *                             that checks never push a control out
 * @param lastErrorCategory    error category of the last failing check
 * @param lastErrorMessage     error message of the last failing check
 * @param activeAlerts         alerts fired and not yet resolved
 * @param unmanaged            its container is labelled {@code fleet-health.enabled=false} (from the latest
 *                             check): shown, never restarted, alerted or marked stale
 * @param invalidOverrides     the override labels of the latest check whose values were not accepted (their
 *                             defaults apply), as the agent named them; null when all were accepted
 * @param restartsReported     restarts of the current episode the agent answered (executed, failed or
 *                             rejected): what the give-up counts. Expired and lost commands are not in it,
 *                             so a backlog or an absent agent never makes a session FAILED by itself
 * @param conflict             another container claiming this session id while its owner lives, or null
 */
public record SessionState(String sessionId, String hostId, String containerId, String containerName,
                           HealthStatus status, HealthStatus previousStatus, String reason, Instant lastTransitionAt,
                           int consecutiveFailures, Instant failureRunStartedAt, List<Instant> recentFailureTimes,
                           int consecutiveSuccesses, Instant healthySince,
                           int episode, int restartAttempts, PendingRestart pending, Instant graceUntil,
                           boolean paused, boolean stale,
                           Instant lastProbeTime, HealthStatus lastCheckStatus, List<String> recentCheckIds,
                           List<String> recentControlIds, ErrorCategory lastErrorCategory, String lastErrorMessage,
                           List<ActiveAlert> activeAlerts, boolean unmanaged, String invalidOverrides,
                           int restartsReported, IdConflict conflict) {

    /** How many recent event ids are kept for de-duplication; older duplicates are caught as out of order. */
    public static final int RECENT_CHECK_IDS = 32;
    /** How many recent control ids are kept for de-duplication. */
    public static final int RECENT_CONTROL_IDS = 16;

    public SessionState {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
        hostId = Objects.requireNonNullElse(hostId, "");
        containerId = Objects.requireNonNullElse(containerId, "");
        containerName = Objects.requireNonNullElse(containerName, "");
        reason = Objects.requireNonNullElse(reason, "");
        Objects.requireNonNull(lastTransitionAt, "lastTransitionAt");
        recentFailureTimes = recentFailureTimes == null ? List.of() : List.copyOf(recentFailureTimes);
        recentCheckIds = RecentIds.copyOf(recentCheckIds);
        recentControlIds = RecentIds.copyOf(recentControlIds);
        activeAlerts = activeAlerts == null ? List.of() : List.copyOf(activeAlerts);
        lastErrorCategory = Objects.requireNonNullElse(lastErrorCategory, ErrorCategory.NONE);
        invalidOverrides = invalidOverrides == null || invalidOverrides.isBlank() ? null : invalidOverrides;
    }

    /** Whether the decision may restart, alert and mark it stale (not opted out by label). */
    public boolean managed() {
        return !unmanaged;
    }

    /** Given up: terminal until an operator reset. */
    public boolean failed() {
        return status == HealthStatus.FAILED;
    }

    /** The session status event for this state (the compacted topic's value, and the API's view). */
    public SessionStatus toSessionStatus() {
        return SessionStatus.newBuilder()
                .setSessionId(sessionId)
                .setHostId(hostId)
                .setContainerId(containerId)
                .setContainerName(containerName)
                .setStatus(status)
                .setPreviousStatus(previousStatus)
                .setConsecutiveFailures(consecutiveFailures)
                .setRestartAttempts(restartAttempts)
                .setPaused(paused)
                .setReason(reason)
                .setLastCheckAt(lastProbeTime)
                .setLastTransitionAt(lastTransitionAt)
                .setLastErrorCategory(lastErrorCategory)
                .setLastErrorMessage(lastErrorMessage)
                .setIdConflict(conflict == null ? null : conflict.describe())
                .build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A new session's state: UNKNOWN until its first check is decided. */
    public static Builder newSession(String sessionId, Instant at) {
        Builder b = new Builder();
        b.sessionId = sessionId;
        b.status = HealthStatus.UNKNOWN;
        b.lastTransitionAt = at;
        return b;
    }

    /** Mutable working copy, used while one event is decided and by tests to set up a state. */
    public static final class Builder {
        String sessionId;
        String hostId = "";
        String containerId = "";
        String containerName = "";
        HealthStatus status;
        HealthStatus previousStatus;
        String reason = "";
        Instant lastTransitionAt;
        int consecutiveFailures;
        Instant failureRunStartedAt;
        List<Instant> recentFailureTimes = new ArrayList<>();
        int consecutiveSuccesses;
        Instant healthySince;
        int episode;
        int restartAttempts;
        PendingRestart pending;
        Instant graceUntil;
        boolean paused;
        boolean stale;
        Instant lastProbeTime;
        HealthStatus lastCheckStatus;
        List<String> recentCheckIds = List.of();
        List<String> recentControlIds = List.of();
        ErrorCategory lastErrorCategory = ErrorCategory.NONE;
        String lastErrorMessage;
        List<ActiveAlert> activeAlerts = new ArrayList<>();
        boolean unmanaged;
        String invalidOverrides;
        int restartsReported;
        IdConflict conflict;

        private Builder() {
        }

        private Builder(SessionState s) {
            sessionId = s.sessionId;
            hostId = s.hostId;
            containerId = s.containerId;
            containerName = s.containerName;
            status = s.status;
            previousStatus = s.previousStatus;
            reason = s.reason;
            lastTransitionAt = s.lastTransitionAt;
            consecutiveFailures = s.consecutiveFailures;
            failureRunStartedAt = s.failureRunStartedAt;
            recentFailureTimes = s.recentFailureTimes; // shared until written: see writable()
            consecutiveSuccesses = s.consecutiveSuccesses;
            healthySince = s.healthySince;
            episode = s.episode;
            restartAttempts = s.restartAttempts;
            pending = s.pending;
            graceUntil = s.graceUntil;
            paused = s.paused;
            stale = s.stale;
            lastProbeTime = s.lastProbeTime;
            lastCheckStatus = s.lastCheckStatus;
            recentCheckIds = s.recentCheckIds;
            recentControlIds = s.recentControlIds;
            lastErrorCategory = s.lastErrorCategory;
            lastErrorMessage = s.lastErrorMessage;
            activeAlerts = s.activeAlerts;
            unmanaged = s.unmanaged;
            invalidOverrides = s.invalidOverrides;
            restartsReported = s.restartsReported;
            conflict = s.conflict;
        }

        /*
         * The lists of the state a builder starts from are immutable and shared with it until the decision
         * changes them: most events leave most of them alone, and build() then keeps them without a copy.
         * Code that changes a list takes it through one of these, which copy it on the first write.
         */

        List<Instant> recentFailureTimesForUpdate() {
            return recentFailureTimes = writable(recentFailureTimes);
        }

        List<ActiveAlert> activeAlertsForUpdate() {
            return activeAlerts = writable(activeAlerts);
        }

        private static <T> List<T> writable(List<T> list) {
            return list instanceof ArrayList<T> ? list : new ArrayList<>(list);
        }

        public Builder host(String hostId, String containerId, String containerName) {
            this.hostId = hostId;
            this.containerId = containerId;
            this.containerName = containerName;
            return this;
        }

        public Builder status(HealthStatus status) {
            this.status = status;
            return this;
        }

        public Builder restartAttempts(int episode, int attempts) {
            this.episode = episode;
            this.restartAttempts = attempts;
            return this;
        }

        public Builder restartsReported(int reported) {
            this.restartsReported = reported;
            return this;
        }

        public Builder paused(boolean paused) {
            this.paused = paused;
            return this;
        }

        public Builder pending(PendingRestart pending) {
            this.pending = pending;
            return this;
        }

        public Builder unmanaged(boolean unmanaged) {
            this.unmanaged = unmanaged;
            return this;
        }

        public Builder lastProbeTime(Instant lastProbeTime) {
            this.lastProbeTime = lastProbeTime;
            return this;
        }

        public SessionState build() {
            return new SessionState(sessionId, hostId, containerId, containerName, status, previousStatus, reason,
                    lastTransitionAt, consecutiveFailures, failureRunStartedAt, recentFailureTimes,
                    consecutiveSuccesses, healthySince, episode, restartAttempts, pending, graceUntil, paused, stale,
                    lastProbeTime, lastCheckStatus, recentCheckIds, recentControlIds, lastErrorCategory, lastErrorMessage,
                    activeAlerts, unmanaged, invalidOverrides, restartsReported, conflict);
        }
    }
}
