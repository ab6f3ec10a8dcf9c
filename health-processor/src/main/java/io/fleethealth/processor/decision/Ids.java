package io.fleethealth.processor.decision;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deterministic ids: the same facts give the same id in the live run, after a failover and in a replay. */
public final class Ids {

    private Ids() {
    }

    /**
     * The id of a restart command: a name-based UUID of session, container, episode and attempt.
     * The container id is part of the name because a session whose container is removed drops its state
     * and starts again at episode 1 if a new container takes the session label: without it, the new
     * container's first restart would reuse an id the agent has already executed, and be skipped.
     */
    public static String commandId(String sessionId, String containerId, int episode, int attempt) {
        return nameUuid("restart|" + sessionId + "|" + containerId + "|" + episode + "|" + attempt);
    }

    /** The id of an audit event: the session, what happened and the id of the input that caused it. */
    public static String auditEventId(String sessionId, String action, String sourceId) {
        return nameUuid("audit|" + sessionId + "|" + action + "|" + sourceId);
    }

    private static String nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
