package io.fleethealth.processor.state;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What the session-marks store keeps of an audit event worth a mark on the session's timeline: restarts and
 * their outcomes, operator actions, giving up and recovering. Checks themselves are in the check history.
 */
public record SessionMark(Instant time, String action, String actor, String reason) {

    private static final Set<AuditAction> MARKED = Set.of(AuditAction.COMMAND_ISSUED, AuditAction.COMMAND_SUCCEEDED,
            AuditAction.COMMAND_FAILED, AuditAction.COMMAND_REJECTED, AuditAction.COMMAND_EXPIRED,
            AuditAction.SESSION_FAILED, AuditAction.SESSION_RECOVERED, AuditAction.OPERATOR_RESET,
            AuditAction.OPERATOR_PAUSE, AuditAction.OPERATOR_RESUME);

    public static Optional<SessionMark> of(AuditEvent audit) {
        if (!MARKED.contains(audit.getAction())) {
            return Optional.empty();
        }
        return Optional.of(new SessionMark(audit.getTime(), audit.getAction().name(), audit.getActor(),
                audit.getReason() == null ? "" : audit.getReason()));
    }
}
