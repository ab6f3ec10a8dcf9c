package io.fleethealth.processor.brake;

import io.fleethealth.processor.decision.SessionEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * The brake's answer to a session's restart command, on the session's own partition (internal topic
 * {@code fleet.brake.answers}, JSON, keyed by session id): held (not sent, waits for its incident) or sent
 * (to the agent, with the window the budget gave it).
 */
public record BrakeAnswer(Kind kind, String sessionId, String commandId, String incidentId, Instant notBefore,
                          Instant expiresAt, Instant at) {

    public enum Kind {
        HELD, SENT
    }

    public BrakeAnswer {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(at, "at");
        incidentId = incidentId == null ? "" : incidentId;
    }

    /** The event the session's decision reads. */
    public SessionEvent toEvent() {
        return switch (kind) {
            case HELD -> new SessionEvent.RestartHeld(sessionId, commandId, incidentId, at);
            case SENT -> new SessionEvent.RestartSent(sessionId, commandId, notBefore, expiresAt, at);
        };
    }
}
