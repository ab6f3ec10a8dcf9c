package io.fleethealth.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CommandAuditTest {

    private static final Instant ISSUED = Instant.parse("2024-05-01T12:00:00Z");
    private static final RestartCommand COMMAND = RestartCommand.newBuilder()
            .setCommandId("s1/1/2").setSessionId("s1").setHostId("host-a").setContainerId("c1").setContainerName("web")
            .setAttempt(2).setEpisode(1).setReason("3 consecutive failures").setIssuedAt(ISSUED).setNotBefore(ISSUED)
            .setExpiresAt(ISSUED.plusSeconds(60)).setStopTimeoutSeconds(10).build();

    private static RestartOutcome outcome(RestartResult result, String message) {
        return RestartOutcome.newBuilder().setCommandId("s1/1/2").setSessionId("s1").setHostId("host-a")
                .setContainerId("c1").setAttempt(2).setResult(result).setMessage(message)
                .setExecutedAt(ISSUED.plusSeconds(3)).setDurationMs(812).build();
    }

    @Test
    void shouldAuditASuccessWithADeterministicIdAndTheAgentAsActor() {
        AuditEvent event = CommandAudit.of(COMMAND, outcome(RestartResult.SUCCEEDED, null));

        assertThat(event.getEventId()).isEqualTo("s1/1/2:SUCCEEDED");
        assertThat(event.getAction()).isEqualTo(AuditAction.COMMAND_SUCCEEDED);
        assertThat(event.getActor()).isEqualTo("probe-agent@host-a");
        assertThat(event.getCommandId()).isEqualTo("s1/1/2");
        assertThat(event.getSessionId()).isEqualTo("s1");
        assertThat(event.getTime()).isEqualTo(ISSUED.plusSeconds(3));
        assertThat(event.getReason()).isEqualTo("3 consecutive failures");
        assertThat(event.getDetails()).containsEntry("attempt", "2").containsEntry("durationMs", "812")
                .containsEntry("result", "SUCCEEDED");
    }

    @Test
    void shouldCarryTheRefusalReasonAndMapEveryResultToAnAction() {
        AuditEvent skipped = CommandAudit.of(COMMAND, outcome(RestartResult.SKIPPED_ALREADY_RESTARTED, "started later"));

        assertThat(skipped.getReason()).isEqualTo("started later");
        assertThat(skipped.getEventId()).isEqualTo("s1/1/2:SKIPPED_ALREADY_RESTARTED");
        assertThat(CommandAudit.action(RestartResult.FAILED)).isEqualTo(AuditAction.COMMAND_FAILED);
        assertThat(CommandAudit.action(RestartResult.REJECTED)).isEqualTo(AuditAction.COMMAND_REJECTED);
        assertThat(CommandAudit.action(RestartResult.EXPIRED)).isEqualTo(AuditAction.COMMAND_EXPIRED);
        assertThat(CommandAudit.action(RestartResult.SKIPPED_DUPLICATE)).isEqualTo(AuditAction.COMMAND_SKIPPED);
    }
}
