package io.fleethealth.cli.replay;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The processing times the live processor recorded. A live decision depends on the wall clock in one
 * place only: a check decided so late that its restart command would already have expired is withheld
 * (audited as RESTART_WITHHELD with {@code processedAt} and {@code checkId}). Fed these, a replay withholds
 * the same checks; every other check is decided as if on time, which is what the live run did too.
 */
public final class ProcessingTimes {

    private static final String CHECK_PREFIX = "check:";

    private final Map<String, Instant> byCheckId = new HashMap<>();

    public static ProcessingTimes none() {
        return new ProcessingTimes();
    }

    /** Learns from one audit event of the live run; anything but a withheld restart is ignored. */
    public void learn(AuditEvent audit) {
        if (audit.getAction() != AuditAction.RESTART_WITHHELD) {
            return;
        }
        String checkId = audit.getDetails().get("checkId");
        String processedAt = audit.getDetails().get("processedAt");
        if (checkId != null && processedAt != null) {
            String id = checkId.startsWith(CHECK_PREFIX) ? checkId.substring(CHECK_PREFIX.length()) : checkId;
            byCheckId.put(audit.getSessionId() + "|" + id, Instant.parse(processedAt));
        }
    }

    /** When the live processor decided this check, if it recorded it. */
    public Optional<Instant> of(String sessionId, String checkId) {
        return Optional.ofNullable(byCheckId.get(sessionId + "|" + checkId));
    }

    public int size() {
        return byCheckId.size();
    }
}
