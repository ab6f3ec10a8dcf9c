package io.fleethealth.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.agent.docker.ContainerSnapshot;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartResult;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartGuardTest {

    private static final String LABEL = "fleet-health.session";
    private static final Instant ISSUED = Instant.parse("2024-05-01T12:00:00Z");
    private static final Instant NOW = ISSUED.plusSeconds(10);

    private final RestartGuard guard = new RestartGuard("host-a", LABEL);

    private static RestartCommand command(String host) {
        return RestartCommand.newBuilder()
                .setCommandId("cmd-1").setSessionId("session-1").setHostId(host).setContainerId("c1")
                .setContainerName("web").setAttempt(1).setEpisode(1).setReason("3 consecutive failures")
                .setIssuedAt(ISSUED).setNotBefore(ISSUED.plusSeconds(5)).setExpiresAt(ISSUED.plusSeconds(60))
                .setStopTimeoutSeconds(10).build();
    }

    private static Optional<ContainerSnapshot> container(Map<String, String> labels, Instant startedAt) {
        return Optional.of(new ContainerSnapshot("c1", "web", "img", labels, DockerState.EXITED, 1, false,
                DockerHealth.NONE, 0, Optional.empty(), 0, Optional.of(startedAt), Optional.of(startedAt.plusSeconds(1))));
    }

    private static Optional<ContainerSnapshot> sessionContainer() {
        return container(Map.of(LABEL, "session-1"), ISSUED.minusSeconds(600));
    }

    @Test
    void shouldAllowARestartWhenEveryCheckPasses() {
        CommandVerdict verdict = guard.check(command("host-a"), NOW, false, sessionContainer());

        assertThat(verdict.mayExecute()).isTrue();
    }

    @Test
    void shouldRejectARestartOfAContainerThatOptedOut() {
        CommandVerdict verdict = guard.check(command("host-a"), NOW, false,
                container(Map.of(LABEL, "session-1", "fleet-health.enabled", "false"), ISSUED.minusSeconds(600)));

        assertThat(verdict.refusal()).contains(RestartResult.REJECTED);
        assertThat(verdict.reason()).contains("not managed", "fleet-health.enabled=false");
    }

    @Test
    void shouldRejectACommandForAnotherHost() {
        CommandVerdict verdict = guard.check(command("host-b"), NOW, false, sessionContainer());

        assertThat(verdict.refusal()).contains(RestartResult.REJECTED);
        assertThat(verdict.reason()).contains("host-b").contains("host-a");
    }

    @Test
    void shouldRefuseAnExpiredCommand() {
        CommandVerdict verdict = guard.check(command("host-a"), ISSUED.plusSeconds(60), false, sessionContainer());

        assertThat(verdict.refusal()).contains(RestartResult.EXPIRED);
    }

    @Test
    void shouldSkipACommandAlreadyExecutedWhenTheContainerWasStartedAfterItsIssue() {
        CommandVerdict verdict = guard.check(command("host-a"), NOW, true,
                container(Map.of(LABEL, "session-1"), ISSUED.plusSeconds(6)));

        assertThat(verdict.refusal()).contains(RestartResult.SKIPPED_DUPLICATE);
        assertThat(verdict.reason()).contains("cmd-1").contains("was started at");
    }

    @Test
    void shouldExecuteARecordedCommandWhoseContainerWasNotRestartedSinceItsIssue() {
        // the id was seen before (an earlier life of the session, or a crash between record and restart), but the
        // engine says no restart happened since the command was issued: answering "duplicate" would fake a restart
        CommandVerdict verdict = guard.check(command("host-a"), NOW, true, sessionContainer());

        assertThat(verdict.mayExecute()).isTrue();
    }

    @Test
    void shouldRejectARecordedCommandForAContainerThatIsGoneRatherThanCallItADuplicate() {
        CommandVerdict verdict = guard.check(command("host-a"), NOW, true, Optional.empty());

        assertThat(verdict.refusal()).contains(RestartResult.REJECTED);
    }

    @Test
    void shouldRejectWhenTheContainerIsGone() {
        CommandVerdict verdict = guard.check(command("host-a"), NOW, false, Optional.empty());

        assertThat(verdict.refusal()).contains(RestartResult.REJECTED);
        assertThat(verdict.reason()).contains("no longer exists");
    }

    @Test
    void shouldNeverTouchAnUnlabelledContainer() {
        CommandVerdict verdict = guard.check(command("host-a"), NOW, false, container(Map.of(), ISSUED.minusSeconds(600)));

        assertThat(verdict.refusal()).contains(RestartResult.REJECTED);
        assertThat(verdict.reason()).contains("carries no " + LABEL);
    }

    @Test
    void shouldRejectAContainerThatNowServesAnotherSession() {
        CommandVerdict verdict = guard.check(command("host-a"), NOW, false,
                container(Map.of(LABEL, "session-2"), ISSUED.minusSeconds(600)));

        assertThat(verdict.refusal()).contains(RestartResult.REJECTED);
        assertThat(verdict.reason()).contains("session-2");
    }

    @Test
    void shouldSkipAContainerStartedAfterTheCommandWasIssued() {
        CommandVerdict verdict = guard.check(command("host-a"), NOW, false,
                container(Map.of(LABEL, "session-1"), ISSUED.plusSeconds(2)));

        assertThat(verdict.refusal()).contains(RestartResult.SKIPPED_ALREADY_RESTARTED);
    }
}
