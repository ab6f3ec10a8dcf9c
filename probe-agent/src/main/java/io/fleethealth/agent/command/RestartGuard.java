package io.fleethealth.agent.command;

import io.fleethealth.agent.docker.ContainerSnapshot;
import io.fleethealth.contract.labels.ContainerOverrides;
import io.fleethealth.contract.labels.Labels;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartResult;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The checks a restart command must pass before the agent touches a container, as a pure function. The order matters:
 * cheap facts of the command first, then the container as the engine sees it now, and the agent's own record last.
 *
 * <p>"Already executed" alone never refuses a command: the record only says the id was seen, not that the container
 * was restarted for it. A command id can come back for a container that was not restarted since the command was
 * issued (the agent died between recording and restarting, or a session that started over reuses an id); answering
 * SKIPPED_DUPLICATE then would make the processor count a restart that never happened. So a duplicate is answered only
 * when the engine confirms the container was started after the command was issued.
 */
public final class RestartGuard {

    private final String hostId;
    private final String sessionLabel;

    public RestartGuard(String hostId, String sessionLabel) {
        this.hostId = Objects.requireNonNull(hostId, "hostId");
        this.sessionLabel = Objects.requireNonNull(sessionLabel, "sessionLabel");
    }

    /**
     * @param alreadyExecuted whether this agent already recorded the command id (persisted across agent restarts); it
     *        only names the skip, the container decides whether there is one
     * @param container the container named by the command, empty when the engine does not know it
     */
    public CommandVerdict check(RestartCommand command, Instant now, boolean alreadyExecuted,
                                Optional<ContainerSnapshot> container) {
        if (!hostId.equals(command.getHostId())) {
            return CommandVerdict.refuse(RestartResult.REJECTED,
                    "command is for host " + command.getHostId() + ", this agent runs on " + hostId);
        }
        if (!now.isBefore(command.getExpiresAt())) {
            return CommandVerdict.refuse(RestartResult.EXPIRED, "command expired at " + command.getExpiresAt());
        }
        if (container.isEmpty()) {
            return CommandVerdict.refuse(RestartResult.REJECTED,
                    "container " + command.getContainerId() + " no longer exists");
        }
        String label = container.get().labels().get(sessionLabel);
        if (label == null) {
            // Never touch a container that is not a session container.
            return CommandVerdict.refuse(RestartResult.REJECTED,
                    "container " + command.getContainerId() + " carries no " + sessionLabel + " label");
        }
        if (!label.equals(command.getSessionId())) {
            return CommandVerdict.refuse(RestartResult.REJECTED, "container " + command.getContainerId()
                    + " now serves session " + label + ", not " + command.getSessionId());
        }
        if (!ContainerOverrides.fromLabels(container.get().labels()).managed()) {
            // The processor never orders one for such a container; a command from before the opt-out must not either.
            return CommandVerdict.refuse(RestartResult.REJECTED, "container " + command.getContainerId()
                    + " is not managed: labelled " + Labels.ENABLED + "=false");
        }
        Optional<Instant> startedAt = container.get().startedAt();
        if (startedAt.isPresent() && startedAt.get().isAfter(command.getIssuedAt())) {
            if (alreadyExecuted) {
                return CommandVerdict.refuse(RestartResult.SKIPPED_DUPLICATE, "command " + command.getCommandId()
                        + " was already executed: the container was started at " + startedAt.get()
                        + ", after the command was issued at " + command.getIssuedAt());
            }
            return CommandVerdict.refuse(RestartResult.SKIPPED_ALREADY_RESTARTED,
                    "container was started at " + startedAt.get() + ", after the command was issued at "
                            + command.getIssuedAt());
        }
        return CommandVerdict.execute();
    }
}
