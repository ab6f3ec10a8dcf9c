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
 */
public record PendingRestart(String commandId, int episode, int attempt, Instant issuedAt, Instant notBefore,
                             Instant expiresAt, int stopTimeoutSeconds) {

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
    public Instant lostAfter(Duration checkInterval) {
        return expiresAt.plusSeconds(stopTimeoutSeconds).plus(checkInterval);
    }
}
