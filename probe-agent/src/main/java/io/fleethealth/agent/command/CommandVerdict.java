package io.fleethealth.agent.command;

import io.fleethealth.events.RestartResult;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent may do with a restart command: execute it, or answer with a rejection or skip and its reason.
 *
 * @param refusal empty when the restart may go ahead
 */
public record CommandVerdict(Optional<RestartResult> refusal, String reason) {

    public CommandVerdict {
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(reason, "reason");
    }

    static CommandVerdict execute() {
        return new CommandVerdict(Optional.empty(), "all checks passed");
    }

    static CommandVerdict refuse(RestartResult result, String reason) {
        return new CommandVerdict(Optional.of(result), reason);
    }

    public boolean mayExecute() {
        return refusal.isEmpty();
    }
}
