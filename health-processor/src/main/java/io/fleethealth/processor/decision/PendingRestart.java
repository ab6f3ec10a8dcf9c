package io.fleethealth.processor.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A restart command that was issued and whose outcome has not come back yet.
 *
 * @param commandId          the command's deterministic id; the outcome is joined on it
 * @param episode            failure episode of the command
 * @param attempt            attempt number within the episode (1-based)
 * @param issuedAt           decision time (probe time of the check that crossed the threshold)
 * @param notBefore          the agent waits until then
 * @param expiresAt          the agent must not execute it after then
 * @param stopTimeoutSeconds SIGTERM-to-SIGKILL wait the command carries
 * @param held               the restart brake holds the command (an incident is open): it has not been sent
 *                           to the agent, so it can neither expire nor be lost until the brake releases it
 */
public record PendingRestart(String commandId, int episode, int attempt, Instant issuedAt, Instant notBefore,
                             Instant expiresAt, int stopTimeoutSeconds, boolean held) {

    public PendingRestart(String commandId, int episode, int attempt, Instant issuedAt, Instant notBefore,
                          Instant expiresAt, int stopTimeoutSeconds) {
        this(commandId, episode, attempt, issuedAt, notBefore, expiresAt, stopTimeoutSeconds, false);
    }

    public PendingRestart {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * When the command is given up as lost if no outcome came back: its expiry, plus the stop timeout a
     * restart started just before the expiry may take, plus one interval for the outcome to travel.
     * A check later than that proves time has moved on without an answer (the agent may be gone).
     */
    /** The brake held it. */
    public PendingRestart asHeld() {
        return new PendingRestart(commandId, episode, attempt, issuedAt, notBefore, expiresAt, stopTimeoutSeconds, true);
    }

    /** The brake sent it, at its budget's slot: the agent's window starts then. */
    public PendingRestart issuedAt(Instant slotNotBefore, Instant slotExpiresAt) {
        return new PendingRestart(commandId, episode, attempt, issuedAt, slotNotBefore, slotExpiresAt,
                stopTimeoutSeconds, false);
    }

    public Instant lostAfter(Duration checkInterval) {
        return expiresAt.plusSeconds(stopTimeoutSeconds).plus(checkInterval);
    }
}
