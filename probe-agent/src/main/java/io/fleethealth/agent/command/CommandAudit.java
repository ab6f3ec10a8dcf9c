package io.fleethealth.agent.command;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import java.util.LinkedHashMap;
import java.util.Map;

/** The audit event that goes with each restart outcome. */
public final class CommandAudit {

    private CommandAudit() {
    }

    public static String actor(String hostId) {
        return "probe-agent@" + hostId;
    }

    /**
     * The event id is the command id and the result: a redelivered command that yields the same result again (two
     * SKIPPED_DUPLICATE answers, say) reproduces the same id, so readers can drop the repeat.
     */
    public static AuditEvent of(RestartCommand command, RestartOutcome outcome) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("result", outcome.getResult().name());
        details.put("attempt", Integer.toString(command.getAttempt()));
        details.put("episode", Integer.toString(command.getEpisode()));
        details.put("containerId", command.getContainerId());
        details.put("containerName", command.getContainerName());
        details.put("durationMs", Long.toString(outcome.getDurationMs()));
        return AuditEvent.newBuilder()
                .setEventId(command.getCommandId() + ":" + outcome.getResult().name())
                .setSessionId(command.getSessionId())
                .setHostId(outcome.getHostId())
                .setAction(action(outcome.getResult()))
                .setActor(actor(outcome.getHostId()))
                .setReason(outcome.getMessage() == null ? command.getReason() : outcome.getMessage())
                .setTime(outcome.getExecutedAt())
                .setCommandId(command.getCommandId())
                .setDetails(details)
                .build();
    }

    static AuditAction action(RestartResult result) {
        return switch (result) {
            case SUCCEEDED -> AuditAction.COMMAND_SUCCEEDED;
            case FAILED -> AuditAction.COMMAND_FAILED;
            case REJECTED -> AuditAction.COMMAND_REJECTED;
            case EXPIRED -> AuditAction.COMMAND_EXPIRED;
            case SKIPPED_DUPLICATE, SKIPPED_ALREADY_RESTARTED -> AuditAction.COMMAND_SKIPPED;
        };
    }
}
