package io.fleethealth.processor.decision;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deterministic ids: the same facts give the same id in the live run, after a failover and in a replay. */
public final class Ids {

    private Ids() {
    }

    /**
     * The id of a restart command: a name-based UUID of session, container, episode, attempt and the id of
     * the input that triggered it (the check that reached the threshold). Session, container, episode and
     * attempt alone repeat when a session starts over while its container lives on (its state ended or was
     * lost, e.g. a wiped broker): the agent would answer "duplicate" for a restart it never did. Check ids
     * are unique per probe, so the trigger never repeats across lives, and a replay of the same input has it.
     */
    public static String commandId(String sessionId, String containerId, int episode, int attempt, String triggerId) {
        return nameUuid("restart|" + sessionId + "|" + containerId + "|" + episode + "|" + attempt + "|" + triggerId);
    }

    /** The id of an audit event: the session, what happened and the id of the input that caused it. */
    public static String auditEventId(String sessionId, String action, String sourceId) {
        return nameUuid("audit|" + sessionId + "|" + action + "|" + sourceId);
    }

    private static String nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
