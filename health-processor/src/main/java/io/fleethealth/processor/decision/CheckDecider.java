package io.fleethealth.processor.decision;

import io.fleethealth.contract.check.CheckVerdict;
import io.fleethealth.contract.labels.ContainerOverrides;
import io.fleethealth.contract.labels.Labels;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Decides one health-check result: the heart of the failure detection. */
final class CheckDecider {

    private final DecisionSettings settings;
    private final SessionIdentity identity;

    CheckDecider(DecisionSettings settings) {
        this.settings = settings;
        this.identity = new SessionIdentity(settings);
    }

    /**
     * @param processedAt when the shell decides the check (its wall clock), or null to decide it as if on
     *                    time; only used to withhold a command that would already have expired
     */
    Decision decide(SessionState state, HealthCheckResult check, Instant processedAt) {
        Instant probeTime = check.getProbeTime();
        String eventId = "check:" + check.getCheckId();
        boolean gone = check.getErrorCategory() == ErrorCategory.CONTAINER_GONE;
        SessionState.Builder working;
        if (state == null) {
            if (gone) {
                // Nothing to end: the session was never seen or has already ended.
                return Decision.unchanged(null, DecisionCounter.IGNORED_UNKNOWN_SESSION);
            }
            working = SessionState.newSession(check.getSessionId(), probeTime);
        } else {
            if (state.recentCheckIds().contains(eventId)) {
                return Decision.unchanged(state, DecisionCounter.IGNORED_DUPLICATE);
            }
            if (!SessionIdentity.owns(state, check)) {
                return identity.foreign(state, check, eventId);
            }
            if (state.lastProbeTime() != null && probeTime.isBefore(state.lastProbeTime())) {
                return Decision.unchanged(state, DecisionCounter.IGNORED_OUT_OF_ORDER);
            }
            working = state.toBuilder();
        }
        Transition tx = new Transition(settings, state, working, probeTime, eventId);
        tx.count(DecisionCounter.CHECK_PROCESSED);
        record(tx, check, eventId);
        identity.expireSilentConflict(tx);
        if (gone) {
            return tx.end("container " + check.getContainerName() + " is gone" + detail(check));
        }
        ContainerOverrides overrides = ContainerOverrides.fromMetadata(check.getMetadata());
        applyOverrides(tx, overrides);
        giveUpLostCommand(tx);
        SessionState.Builder s = tx.s;
        if (s.graceUntil != null && !probeTime.isBefore(s.graceUntil)) {
            s.graceUntil = null;
        }
        if (check.getErrorCategory() == ErrorCategory.DOCKER_UNREACHABLE) {
            return hostTrouble(tx, check);
        }
        tx.resolve(AlertKind.DOCKER_UNREACHABLE);
        if (check.getEngineTrouble() != null) {
            return engineTrouble(tx, check);
        }
        tx.resolve(AlertKind.ENGINE_TROUBLE);

        CheckVerdict verdict = CheckVerdict.of(check);
        if (verdict == CheckVerdict.FAILURE) {
            s.lastErrorCategory = check.getErrorCategory();
            s.lastErrorMessage = check.getErrorMessage();
        }
        if (s.pending != null && s.pending.held()) {
            if (verdict == CheckVerdict.SUCCESS) {
                BrakeAnswers.withdrawIfHeld(tx); // and the check counts as usual, below
            } else {
                if (verdict == CheckVerdict.FAILURE) {
                    tx.count(DecisionCounter.FAILURE_NOT_COUNTED_RESTARTING);
                }
                tx.status(HealthStatus.UNHEALTHY, "restart attempt " + s.pending.attempt()
                        + " held by the restart brake until its incident closes");
                return tx.finish();
            }
        }
        if (s.pending != null) {
            // The restart is in flight: what the container does now says nothing about the decision.
            if (verdict == CheckVerdict.FAILURE) {
                tx.count(DecisionCounter.FAILURE_NOT_COUNTED_RESTARTING);
            }
            tx.status(HealthStatus.RESTARTING, "restart attempt " + s.pending.attempt() + " pending (not before "
                    + IsoInstant.format(s.pending.notBefore()) + ")");
            return tx.finish();
        }
        switch (verdict) {
            case NEUTRAL -> neutral(tx);
            case SUCCESS -> success(tx);
            case FAILURE -> failure(tx, check, overrides, processedAt);
            default -> throw new IllegalStateException(verdict.name());
        }
        return tx.finish();
    }

    private static void record(Transition tx, HealthCheckResult check, String eventId) {
        SessionState.Builder s = tx.s;
        tx.rememberCheckId(eventId);
        s.lastProbeTime = check.getProbeTime();
        s.lastCheckStatus = check.getStatus();
        s.hostId = check.getHostId();
        if (!check.getContainerId().isEmpty()) {
            s.containerId = check.getContainerId();
        }
        if (!check.getContainerName().isEmpty()) {
            s.containerName = check.getContainerName();
        }
        s.stale = false;
        tx.resolve(AlertKind.SESSION_STALE);
    }

    /**
     * The latest check's labels say whether the session is managed and which overrides were ignored. Opting out
     * resolves what was firing for the session (nothing fires while it stays out, see {@link Transition#fire});
     * ignored overrides are shown on the session and audited once per new set, not with every check.
     */
    private static void applyOverrides(Transition tx, ContainerOverrides overrides) {
        SessionState.Builder s = tx.s;
        String invalid = overrides.invalidText().orElse(null);
        if (invalid != null) {
            tx.count(DecisionCounter.INVALID_OVERRIDE);
            if (!invalid.equals(s.invalidOverrides)) {
                tx.audit(AuditAction.INVALID_OVERRIDES, "label values not accepted, their defaults apply: " + invalid,
                        null, Map.of(Labels.INVALID_OVERRIDES, invalid));
            }
        }
        s.invalidOverrides = invalid;
        boolean unmanaged = !overrides.managed();
        if (unmanaged && !s.unmanaged) {
            for (ActiveAlert alert : List.copyOf(s.activeAlerts)) {
                if (!alert.kind().hostScoped()) {
                    tx.resolve(alert.kind());
                }
            }
        }
        s.unmanaged = unmanaged;
    }

    /**
     * A pending command without an outcome long after its expiry is given up as lost (the agent may be
     * gone): the attempt stays used, as for an expired outcome, so the session cannot wait forever.
     */
    private void giveUpLostCommand(Transition tx) {
        PendingRestart pending = tx.s.pending;
        // A held command was never sent: it waits for the brake, however long its incident lasts.
        if (pending == null || pending.held() || !tx.at.isAfter(pending.lostAfter(settings.checkInterval()))) {
            return;
        }
        tx.count(DecisionCounter.COMMAND_LOST);
        String what = "got no outcome from the agent of host " + tx.s.hostId + " by "
                + pending.lostAfter(settings.checkInterval()) + ": given up as lost";
        tx.restartNotDone(pending, what, false);
        tx.audit(AuditAction.COMMAND_EXPIRED, what, pending.commandId(),
                Map.of("attempt", String.valueOf(pending.attempt()), "episode", String.valueOf(pending.episode()),
                        "expiresAt", pending.expiresAt().toString()));
    }

    /**
     * The agent could not ask its engine: the host is sick, not the container. Nothing is counted, the
     * host gets an alert (same fingerprint from every session of the host), the session shows UNKNOWN
     * unless a restart or a FAILED verdict says more.
     */
    private Decision hostTrouble(Transition tx, HealthCheckResult check) {
        SessionState.Builder s = tx.s;
        tx.count(DecisionCounter.DOCKER_UNREACHABLE);
        tx.fire(AlertKind.DOCKER_UNREACHABLE, s.hostId, tx.at, "Docker engine on host " + s.hostId + " unreachable",
                "The probe-agent of host " + s.hostId + " cannot reach its Docker engine" + detail(check)
                        + ". Checks from this host do not count toward restarts until it answers.", false);
        if (!s.status.equals(HealthStatus.FAILED) && s.pending == null && s.graceUntil == null) {
            tx.status(HealthStatus.UNKNOWN, "docker engine on host " + s.hostId + " unreachable" + detail(check));
        }
        return tx.finish();
    }

    /**
     * The engine breaker of the check's agent is open: most probes of its round got no answer from the engine. As
     * for an unreachable engine, nothing is counted either way and the host gets one alert (the same fingerprint
     * from every session of the host); the session shows UNKNOWN unless a restart or a FAILED verdict says more.
     */
    private Decision engineTrouble(Transition tx, HealthCheckResult check) {
        SessionState.Builder s = tx.s;
        tx.count(DecisionCounter.ENGINE_TROUBLE);
        tx.fire(AlertKind.ENGINE_TROUBLE, s.hostId, tx.at, "Docker engine on host " + s.hostId + " in trouble",
                check.getEngineTrouble() + ". Probe failures on this host do not count toward restarts until its"
                        + " engine answers again.", false);
        if (!s.status.equals(HealthStatus.FAILED) && s.pending == null && s.graceUntil == null) {
            tx.status(HealthStatus.UNKNOWN, check.getEngineTrouble());
        }
        return tx.finish();
    }

    private void neutral(Transition tx) {
        SessionState.Builder s = tx.s;
        tx.count(DecisionCounter.CHECK_NEUTRAL);
        if (s.graceUntil != null) {
            tx.status(HealthStatus.RESTARTING, "restarted; container starting; failures do not count until "
                    + IsoInstant.format(s.graceUntil));
        } else if (s.status == HealthStatus.RESTARTING) {
            tx.status(HealthStatus.UNKNOWN, "restart grace over; container still starting");
        }
    }

    private void success(Transition tx) {
        SessionState.Builder s = tx.s;
        tx.count(DecisionCounter.SUCCESS_COUNTED);
        tx.clearFailureRun();
        s.consecutiveSuccesses++;
        if (s.consecutiveSuccesses == 1) {
            s.healthySince = tx.at;
        }
        boolean enough = s.consecutiveSuccesses >= settings.successThreshold();
        if (s.status == HealthStatus.FAILED) {
            // Terminal: the container looking healthy again does not undo the verdict; an operator resets.
            tx.status(HealthStatus.FAILED, "gave up after " + s.restartAttempts
                    + " restart attempt(s); container healthy again since " + IsoInstant.format(s.healthySince)
                    + "; an operator reset resumes monitoring");
        } else if (s.graceUntil != null) {
            if (enough) {
                s.graceUntil = null; // the restart worked: no need to wait for the end of the grace
                becomeHealthy(tx);
            } else {
                tx.status(HealthStatus.RESTARTING, "restarted; " + progress(s));
            }
        } else if (enough) {
            becomeHealthy(tx);
            resetAttemptsAfterContinuousHealth(tx);
        } else if (s.status == HealthStatus.UNHEALTHY || s.status == HealthStatus.RESTARTING) {
            tx.status(HealthStatus.UNHEALTHY, "recovering: " + progress(s));
        }
    }

    private String progress(SessionState.Builder s) {
        return s.consecutiveSuccesses + " of " + settings.successThreshold() + " successes needed";
    }

    private void becomeHealthy(Transition tx) {
        SessionState.Builder s = tx.s;
        HealthStatus previous = s.status;
        if (previous == HealthStatus.HEALTHY) {
            return;
        }
        tx.status(HealthStatus.HEALTHY, s.consecutiveSuccesses + " consecutive success(es)");
        tx.resolve(AlertKind.SESSION_UNHEALTHY);
        tx.resolve(AlertKind.RESTART_FAILED);
        if (previous == HealthStatus.UNHEALTHY || previous == HealthStatus.RESTARTING) {
            tx.count(DecisionCounter.SESSION_RECOVERED);
            tx.audit(AuditAction.SESSION_RECOVERED, "healthy again after " + previous, null,
                    Map.of("statusBefore", previous.name(), "restartAttempts", String.valueOf(s.restartAttempts),
                            "episode", String.valueOf(s.episode)));
        }
    }

    /** As Kubernetes resets its back-off: after a long enough healthy stretch, the next failure starts afresh. */
    private void resetAttemptsAfterContinuousHealth(Transition tx) {
        SessionState.Builder s = tx.s;
        if (s.status == HealthStatus.HEALTHY && s.restartAttempts > 0 && s.healthySince != null
                && Duration.between(s.healthySince, tx.at).compareTo(settings.recoveryReset()) >= 0) {
            s.restartAttempts = 0;
            s.restartsReported = 0;
            tx.count(DecisionCounter.ATTEMPTS_RESET);
            tx.status(HealthStatus.HEALTHY, "healthy since " + s.healthySince + ": restart attempts reset");
        }
    }

    private void failure(Transition tx, HealthCheckResult check, ContainerOverrides overrides, Instant processedAt) {
        SessionState.Builder s = tx.s;
        if (s.graceUntil != null) {
            // A restart takes a while to come back: failures inside the grace do not count.
            tx.count(DecisionCounter.FAILURE_NOT_COUNTED_RESTARTING);
            tx.status(HealthStatus.RESTARTING,
                    "restarted; failures do not count until " + IsoInstant.format(s.graceUntil));
            return;
        }
        int threshold = overrides.failureThresholdOr(settings.failureThreshold());
        tx.count(DecisionCounter.FAILURE_COUNTED);
        tx.clearSuccessRun();
        s.consecutiveFailures++;
        if (s.failureRunStartedAt == null) {
            s.failureRunStartedAt = tx.at;
        }
        List<Instant> failureTimes = s.recentFailureTimesForUpdate();
        failureTimes.add(tx.at);
        while (failureTimes.size() > threshold) {
            failureTimes.remove(0);
        }
        String cause = s.consecutiveFailures + " consecutive failure(s): " + describe(check);
        if (s.status == HealthStatus.FAILED) {
            tx.status(HealthStatus.FAILED, "gave up after " + s.restartAttempts + " restart attempt(s); " + cause);
            return;
        }
        HealthStatus previous = s.status;
        tx.status(HealthStatus.UNHEALTHY, cause);
        if (previous == HealthStatus.HEALTHY || previous == HealthStatus.UNKNOWN) {
            tx.audit(AuditAction.SESSION_UNHEALTHY, cause, null, Map.of("statusBefore", previous.name(),
                    "errorCategory", check.getErrorCategory().name()));
        }
        if (s.consecutiveFailures >= threshold && recentEnough(s, threshold)) {
            thresholdReached(tx, overrides, cause, processedAt);
        }
    }

    /**
     * The windowed part: the oldest of the last {@code threshold} failures lies no further back than
     * threshold x interval plus one interval of slack from the newest. F, F, an hour of silence, F is
     * three in a row but not recent: no restart. If a larger threshold arrives by label mid-run, fewer
     * failure times are kept than it needs and the run must first grow again: the conservative side.
     */
    private boolean recentEnough(SessionState.Builder s, int threshold) {
        int size = s.recentFailureTimes.size();
        if (size < threshold) {
            return false;
        }
        Instant oldest = s.recentFailureTimes.get(size - threshold);
        Instant newest = s.recentFailureTimes.get(size - 1);
        return Duration.between(oldest, newest).compareTo(settings.failureWindow(threshold)) <= 0;
    }

    private void thresholdReached(Transition tx, ContainerOverrides overrides, String cause, Instant processedAt) {
        SessionState.Builder s = tx.s;
        if (!overrides.managed()) {
            // Opted out by label: observed and shown, never restarted, never given up, not alerted.
            tx.count(DecisionCounter.RESTART_WITHHELD_OPTED_OUT);
            tx.status(HealthStatus.UNHEALTHY, cause + "; not managed: restarts disabled by label " + Labels.ENABLED
                    + "=false");
            return;
        }
        if (s.paused) {
            tx.count(DecisionCounter.RESTART_WITHHELD_PAUSED);
            tx.status(HealthStatus.UNHEALTHY, cause + "; restart withheld: paused for maintenance");
            fireUnhealthy(tx, cause);
            return;
        }
        if (s.restartsReported >= settings.maxRestartAttempts()) {
            giveUp(tx, cause);
            return;
        }
        fireUnhealthy(tx, cause);
        Instant expiresAt = tx.at.plus(settings.backoff(s.restartAttempts + 1)).plus(settings.restartExpiry());
        if (processedAt != null && !processedAt.isBefore(expiresAt)) {
            withholdStale(tx, cause, processedAt, expiresAt);
            return;
        }
        issueRestart(tx, overrides, cause);
    }

    /**
     * Catching up on a backlog (the processor was down, or an agent's buffer drains late): the command this
     * old check calls for would reach the agent expired, an attempt burnt for nothing. It is not issued and
     * nothing is spent; the failure run stays, so the first current failing check (within the failure
     * window) issues a real one. The audit keeps the processing time: the one input a replay needs to
     * decide the same (see docs/replay.md).
     */
    private void withholdStale(Transition tx, String cause, Instant processedAt, Instant expiresAt) {
        tx.count(DecisionCounter.RESTART_WITHHELD_BACKLOG);
        String why = "restart withheld: this check of " + IsoInstant.format(tx.at) + " was decided at "
                + IsoInstant.format(processedAt) + ", after its command would have expired ("
                + IsoInstant.format(expiresAt) + "); a current failing check restarts";
        tx.status(HealthStatus.UNHEALTHY, cause + "; " + why);
        tx.audit(AuditAction.RESTART_WITHHELD, why, null, Map.of("processedAt", processedAt.toString(),
                "checkId", tx.sourceId(), "wouldExpireAt", expiresAt.toString()));
    }

    private void fireUnhealthy(Transition tx, String cause) {
        SessionState.Builder s = tx.s;
        tx.fire(AlertKind.SESSION_UNHEALTHY, s.hostId, s.failureRunStartedAt, "Session " + s.sessionId
                + " is unhealthy", "Container " + s.containerName + " on host " + s.hostId + ": " + cause + ".", false);
    }

    private void giveUp(Transition tx, String cause) {
        SessionState.Builder s = tx.s;
        String reason = "gave up after " + s.restartsReported + " restart attempt(s) answered by the agent without"
                + " recovery; " + cause;
        tx.status(HealthStatus.FAILED, reason);
        tx.resolve(AlertKind.SESSION_UNHEALTHY);
        tx.resolve(AlertKind.RESTART_FAILED);
        tx.fire(AlertKind.SESSION_FAILED, s.hostId, tx.at, "Session " + s.sessionId + " FAILED: restarts exhausted",
                "Container " + s.containerName + " on host " + s.hostId + " " + reason
                        + ". No more restarts until an operator resets the session.", false);
        tx.count(DecisionCounter.SESSION_FAILED);
        tx.audit(AuditAction.SESSION_FAILED, reason, null, Map.of("restartAttempts", String.valueOf(s.restartAttempts),
                "restartsReported", String.valueOf(s.restartsReported),
                "episode", String.valueOf(s.episode), "consecutiveFailures", String.valueOf(s.consecutiveFailures)));
    }

    private void issueRestart(Transition tx, ContainerOverrides overrides, String cause) {
        SessionState.Builder s = tx.s;
        if (s.restartAttempts == 0) {
            s.episode++;
        }
        int attempt = ++s.restartAttempts;
        Instant notBefore = tx.at.plus(settings.backoff(attempt));
        Instant expiresAt = notBefore.plus(settings.restartExpiry());
        int stopTimeout = overrides.stopTimeoutOr(settings.stopTimeoutSeconds());
        // The triggering check's id makes the id unique across lives of the session, and a replay has it too.
        String commandId = Ids.commandId(s.sessionId, s.containerId, s.episode, attempt, tx.sourceId());
        RestartCommand command = RestartCommand.newBuilder()
                .setCommandId(commandId)
                .setSessionId(s.sessionId)
                .setHostId(s.hostId)
                .setContainerId(s.containerId)
                .setContainerName(s.containerName)
                .setAttempt(attempt)
                .setEpisode(s.episode)
                .setReason(cause)
                .setIssuedAt(tx.at)
                .setNotBefore(notBefore)
                .setExpiresAt(expiresAt)
                .setStopTimeoutSeconds(stopTimeout)
                .build();
        s.pending = new PendingRestart(commandId, s.episode, attempt, tx.at, notBefore, expiresAt, stopTimeout);
        // The failures are spent on this command: after it, a new run must build up.
        tx.clearFailureRun();
        tx.status(HealthStatus.RESTARTING, "restart attempt " + attempt + " ordered for " + notBefore + " ("
                + s.restartsReported + " of " + settings.maxRestartAttempts() + " answered so far); " + cause);
        tx.command(command);
        tx.count(DecisionCounter.COMMAND_ISSUED);
        tx.audit(AuditAction.COMMAND_ISSUED, cause, commandId, Map.of("attempt", String.valueOf(attempt),
                "episode", String.valueOf(s.episode), "notBefore", notBefore.toString(),
                "expiresAt", expiresAt.toString(), "stopTimeoutSeconds", String.valueOf(stopTimeout)));
    }

    private static String describe(HealthCheckResult check) {
        String message = check.getErrorMessage();
        return message == null || message.isBlank() ? check.getStatus() + " (" + check.getErrorCategory() + ")"
                : message;
    }

    private static String detail(HealthCheckResult check) {
        String message = check.getErrorMessage();
        return message == null || message.isBlank() ? "" : ": " + message;
    }
}
