package io.fleethealth.processor.decision;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import java.time.Duration;
import java.util.Map;

/**
 * A session belongs to the host and container of its first check. A check with the same session id from
 * another host or container (a second container with a copied label, a typo) is a conflict: one
 * {@code SessionIdConflict} alert and one audit event, shown on the session, and never part of the
 * owner's decision (its failures and successes, its removal). Only the owner's removal ends the session
 * (reported, or evident: on the owner's own host another container reports while the owner has been
 * silent for the stale period); the conflict ends when the other container is removed or stays silent
 * for the stale period.
 */
final class SessionIdentity {

    private final DecisionSettings settings;

    SessionIdentity(DecisionSettings settings) {
        this.settings = settings;
    }

    /**
     * Whether the check comes from the session's owner. A state without a host yet has no owner; a check
     * or state without a container id (the engine could not be asked) is judged by its host alone.
     */
    static boolean owns(SessionState state, HealthCheckResult check) {
        if (state.hostId().isEmpty()) {
            return true;
        }
        if (!state.hostId().equals(check.getHostId())) {
            return false;
        }
        return state.containerId().isEmpty() || check.getContainerId().isEmpty()
                || state.containerId().equals(check.getContainerId());
    }

    /** Decides a check from another container than the owner: the owner's decision stays as it is. */
    Decision foreign(SessionState state, HealthCheckResult check, String eventId) {
        Transition tx = new Transition(settings, state, state.toBuilder(), check.getProbeTime(), eventId);
        SessionState.Builder s = tx.s;
        tx.count(DecisionCounter.FOREIGN_CHECK);
        tx.rememberCheckId(eventId);
        if (replacedOnItsHost(state, check)) {
            // The owner's own agent sees only the new container and has reported nothing of the owner for
            // the stale period: the owner was removed (recreated, e.g. by compose) without a reported end.
            return tx.end("container " + s.containerName + " (" + s.containerId + ") was replaced on host "
                    + s.hostId + " by " + check.getContainerName() + " (" + check.getContainerId()
                    + "): no check of it since " + IsoInstant.format(s.lastProbeTime));
        }
        IdConflict current = s.conflict;
        boolean sameClaimant = current != null && current.sameClaimant(check.getHostId(), check.getContainerId());
        if (check.getErrorCategory() == ErrorCategory.CONTAINER_GONE) {
            if (sameClaimant) {
                end(tx, "the other container " + current.describe() + " was removed");
            }
            return tx.finish();
        }
        if (sameClaimant) {
            s.conflict = current.seenAt(tx.at);
            return tx.finish();
        }
        IdConflict conflict = new IdConflict(check.getHostId(), check.getContainerId(), check.getContainerName(),
                tx.at, tx.at);
        s.conflict = conflict;
        tx.count(DecisionCounter.ID_CONFLICT_RAISED);
        String owner = s.containerName + " (" + s.containerId + ") on host " + s.hostId;
        String what = "container " + conflict.describe() + " sends checks under session id " + s.sessionId
                + ", owned by " + owner;
        tx.fire(AlertKind.SESSION_ID_CONFLICT, s.hostId, tx.at, "Session id " + s.sessionId + " claimed by two containers",
                what + ". Its checks are ignored; fix the label of one of them.", current != null);
        tx.audit(AuditAction.SESSION_ID_CONFLICT, what, null, Map.of(
                "ownerHostId", s.hostId, "ownerContainerId", s.containerId,
                "otherHostId", conflict.hostId(), "otherContainerId", conflict.containerId(),
                "otherContainerName", conflict.containerName()));
        return tx.finish();
    }

    /**
     * Same host, another container, and the owner silent for the stale period while this one reports: the
     * host's agent no longer sees the owner, so it is gone. Across hosts the owner's host may just be down:
     * no take-over there.
     */
    private boolean replacedOnItsHost(SessionState state, HealthCheckResult check) {
        return state.hostId().equals(check.getHostId()) && state.lastProbeTime() != null
                && check.getErrorCategory() != ErrorCategory.CONTAINER_GONE
                && Duration.between(state.lastProbeTime(), check.getProbeTime()).compareTo(settings.staleAfter()) > 0;
    }

    /** On an owner's check: a conflict whose other container has been silent for the stale period ends. */
    void expireSilentConflict(Transition tx) {
        IdConflict conflict = tx.s.conflict;
        if (conflict != null && Duration.between(conflict.lastSeenAt(), tx.at).compareTo(settings.staleAfter()) > 0) {
            end(tx, "no check from the other container " + conflict.describe() + " since "
                    + IsoInstant.format(conflict.lastSeenAt()));
        }
    }

    private static void end(Transition tx, String why) {
        IdConflict conflict = tx.s.conflict;
        tx.s.conflict = null;
        tx.resolve(AlertKind.SESSION_ID_CONFLICT);
        tx.audit(AuditAction.SESSION_ID_CONFLICT, "conflict over: " + why, null, Map.of(
                "otherHostId", conflict.hostId(), "otherContainerId", conflict.containerId(), "resolved", "true"));
    }
}
