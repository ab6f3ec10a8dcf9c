package io.fleethealth.agent.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleethealth.agent.docker.EngineException;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandExecutorTest {

    private static final String HOST = "host-a";
    private static final String LABEL = "fleet-health.session";
    private static final Instant ISSUED = Instant.parse("2024-05-01T12:00:00Z");

    @TempDir
    Path stateDir;

    private final MutableClock clock = new MutableClock(ISSUED.plusSeconds(1));
    private final ManualDelays delays = new ManualDelays(clock);
    private final RestartableEngine engine = new RestartableEngine(clock);
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final List<RestartCommand> followUps = new CopyOnWriteArrayList<>();
    private ExecutedCommands executed;
    private CommandExecutor executor;

    private CommandExecutor executor() {
        if (executor == null) {
            executed = new ExecutedCommands(stateDir);
            executor = new CommandExecutor(engine, new RestartGuard(HOST, LABEL), executed, HOST, clock, workers, delays,
                    followUps::add);
        }
        return executor;
    }

    @AfterEach
    void tearDown() {
        engine.holds.values().forEach(CountDownLatch::countDown);
        workers.shutdownNow();
        if (executed != null) {
            executed.close();
        }
    }

    private static RestartCommand.Builder command(String id, String containerId) {
        return RestartCommand.newBuilder()
                .setCommandId(id).setSessionId("session-" + containerId).setHostId(HOST).setContainerId(containerId)
                .setContainerName("name-" + containerId).setAttempt(2).setEpisode(1).setReason("3 consecutive failures")
                .setIssuedAt(ISSUED).setNotBefore(ISSUED).setExpiresAt(ISSUED.plusSeconds(60)).setStopTimeoutSeconds(7);
    }

    private void sessionContainer(String id) {
        engine.add(id, Map.of(LABEL, "session-" + id), ISSUED.minusSeconds(600));
    }

    private static RestartOutcome outcome(CompletableFuture<RestartOutcome> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldRestartWithTheCommandsStopTimeoutAndReportSuccess() throws Exception {
        sessionContainer("c1");

        RestartOutcome outcome = outcome(executor().submit(command("cmd-1", "c1").build()));

        assertThat(outcome.getResult()).isEqualTo(RestartResult.SUCCEEDED);
        assertThat(outcome.getMessage()).isNull();
        assertThat(outcome.getCommandId()).isEqualTo("cmd-1");
        assertThat(outcome.getSessionId()).isEqualTo("session-c1");
        assertThat(outcome.getHostId()).isEqualTo(HOST);
        assertThat(outcome.getContainerId()).isEqualTo("c1");
        assertThat(outcome.getAttempt()).isEqualTo(2);
        assertThat(outcome.getExecutedAt()).isEqualTo(clock.instant());
        assertThat(engine.restarts).containsExactly(new RestartableEngine.Restart("c1", Duration.ofSeconds(7)));
        assertThat(followUps).extracting(RestartCommand::getCommandId).containsExactly("cmd-1");
    }

    @Test
    void shouldRecordTheCommandAsExecutedBeforeTheRestartBegins() throws Exception {
        sessionContainer("c1");
        List<Boolean> recordedWhenRestarting = new CopyOnWriteArrayList<>();
        engine.onRestart = id -> recordedWhenRestarting.add(executed.contains("cmd-1"));

        outcome(executor().submit(command("cmd-1", "c1").build()));

        assertThat(recordedWhenRestarting).containsExactly(true);
    }

    @Test
    void shouldWaitUntilNotBeforeWithoutRestartingEarly() throws Exception {
        sessionContainer("c1");

        CompletableFuture<RestartOutcome> future = executor().submit(
                command("cmd-1", "c1").setNotBefore(clock.instant().plusSeconds(30)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> delays.pending() == 1);
        clock.advance(Duration.ofSeconds(29));
        delays.elapse();

        assertThat(future).isNotDone();
        assertThat(engine.restarts).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        delays.elapse();
        assertThat(outcome(future).getResult()).isEqualTo(RestartResult.SUCCEEDED);
        assertThat(engine.restarts).hasSize(1);
    }

    @Test
    void shouldAnswerExpiredWhenTheCommandExpiresWhileWaitingForNotBefore() throws Exception {
        sessionContainer("c1");

        CompletableFuture<RestartOutcome> future = executor().submit(command("cmd-1", "c1")
                .setNotBefore(ISSUED.plusSeconds(30)).setExpiresAt(ISSUED.plusSeconds(40)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> delays.pending() == 1);
        clock.advance(Duration.ofSeconds(60));
        delays.elapse();

        RestartOutcome outcome = outcome(future);
        assertThat(outcome.getResult()).isEqualTo(RestartResult.EXPIRED);
        assertThat(outcome.getMessage()).contains("expired");
        assertThat(engine.restarts).isEmpty();
    }

    @Test
    void shouldAnswerAnExpiredCommandAtOnceWithoutWaiting() throws Exception {
        sessionContainer("c1");
        clock.advance(Duration.ofMinutes(5));

        RestartOutcome outcome = outcome(executor().submit(command("cmd-1", "c1")
                .setNotBefore(clock.instant().plusSeconds(30)).build()));

        assertThat(outcome.getResult()).isEqualTo(RestartResult.EXPIRED);
        assertThat(delays.pending()).isZero();
        assertThat(engine.restarts).isEmpty();
    }

    @Test
    void shouldSkipTheSameCommandIdTheSecondTimeEvenAfterTheAgentRestarts() throws Exception {
        sessionContainer("c1");
        assertThat(outcome(executor().submit(command("cmd-1", "c1").build())).getResult())
                .isEqualTo(RestartResult.SUCCEEDED);
        executed.close();
        clock.advance(Duration.ofSeconds(1));
        // a fresh agent run on the same state dir; the engine shows the restart the first run did
        executed = new ExecutedCommands(stateDir);
        CommandExecutor restarted = new CommandExecutor(engine, new RestartGuard(HOST, LABEL), executed, HOST, clock,
                workers, delays, followUps::add);

        RestartOutcome again = outcome(restarted.submit(command("cmd-1", "c1").build()));

        assertThat(again.getResult()).isEqualTo(RestartResult.SKIPPED_DUPLICATE);
        assertThat(again.getMessage()).contains("cmd-1");
        assertThat(engine.restarts).hasSize(1);
    }

    @Test
    void shouldRestartWhenARecordedIdComesBackForAContainerNotRestartedSinceTheCommandWasIssued() throws Exception {
        // An earlier life of the session used the same command id; the container has not been restarted since the
        // new command was issued, so answering "duplicate" would make the processor count a restart that never was.
        sessionContainer("c1");
        assertThat(outcome(executor().submit(command("cmd-1", "c1").build())).getResult())
                .isEqualTo(RestartResult.SUCCEEDED);
        clock.advance(Duration.ofMinutes(10));
        Instant reissued = clock.instant();

        RestartOutcome again = outcome(executor().submit(command("cmd-1", "c1").setIssuedAt(reissued)
                .setNotBefore(reissued).setExpiresAt(reissued.plusSeconds(60)).build()));

        assertThat(again.getResult()).isEqualTo(RestartResult.SUCCEEDED);
        assertThat(engine.restarts).hasSize(2);
    }

    @Test
    void shouldRestartWhenTheAgentDiedBetweenRecordingTheCommandAndRestarting() throws Exception {
        sessionContainer("c1");
        try (ExecutedCommands crashed = new ExecutedCommands(stateDir)) {
            crashed.record("cmd-1"); // recorded, then the agent was killed before the engine call
        }

        RestartOutcome outcome = outcome(executor().submit(command("cmd-1", "c1").build()));

        assertThat(outcome.getResult()).isEqualTo(RestartResult.SUCCEEDED);
        assertThat(engine.restarts).hasSize(1);
    }

    @Test
    void shouldSkipAContainerRestartedAfterTheCommandWasIssued() throws Exception {
        engine.add("c1", Map.of(LABEL, "session-c1"), ISSUED.plusMillis(500));

        RestartOutcome outcome = outcome(executor().submit(command("cmd-1", "c1").build()));

        assertThat(outcome.getResult()).isEqualTo(RestartResult.SKIPPED_ALREADY_RESTARTED);
        assertThat(engine.restarts).isEmpty();
    }

    @Test
    void shouldRejectAnUnlabelledContainerWithoutTouchingIt() throws Exception {
        engine.add("c1", Map.of("other", "x"), ISSUED.minusSeconds(600));

        RestartOutcome outcome = outcome(executor().submit(command("cmd-1", "c1").build()));

        assertThat(outcome.getResult()).isEqualTo(RestartResult.REJECTED);
        assertThat(outcome.getMessage()).contains("carries no " + LABEL);
        assertThat(engine.restarts).isEmpty();
        assertThat(executed.contains("cmd-1")).as("a rejected command is not recorded as executed").isFalse();
    }

    @Test
    void shouldRejectAContainerOfAnotherSession() throws Exception {
        engine.add("c1", Map.of(LABEL, "session-other"), ISSUED.minusSeconds(600));

        RestartOutcome outcome = outcome(executor().submit(command("cmd-1", "c1").build()));

        assertThat(outcome.getResult()).isEqualTo(RestartResult.REJECTED);
        assertThat(outcome.getMessage()).contains("session-other");
    }

    @Test
    void shouldRejectAContainerRemovedWhileTheCommandWaited() throws Exception {
        sessionContainer("c1");
        CompletableFuture<RestartOutcome> future = executor().submit(
                command("cmd-1", "c1").setNotBefore(clock.instant().plusSeconds(5)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> delays.pending() == 1);

        engine.containers.remove("c1");
        clock.advance(Duration.ofSeconds(5));
        delays.elapse();

        RestartOutcome outcome = outcome(future);
        assertThat(outcome.getResult()).isEqualTo(RestartResult.REJECTED);
        assertThat(outcome.getMessage()).contains("no longer exists");
    }

    @Test
    void shouldReportTheEnginesErrorWhenTheRestartFails() throws Exception {
        sessionContainer("c1");
        engine.failures.put("c1", new EngineException("restart c1 refused by the engine: cannot restart", null));

        RestartOutcome outcome = outcome(executor().submit(command("cmd-1", "c1").build()));

        assertThat(outcome.getResult()).isEqualTo(RestartResult.FAILED);
        assertThat(outcome.getMessage()).isEqualTo("restart c1 refused by the engine: cannot restart");
        assertThat(followUps).isEmpty();
    }

    @Test
    void shouldRunOneCommandAtATimePerContainerAndContainersSideBySide() throws Exception {
        sessionContainer("c1");
        sessionContainer("c2");
        engine.holds.put("c1", new CountDownLatch(1));

        CompletableFuture<RestartOutcome> first = executor().submit(command("cmd-1", "c1").build());
        CompletableFuture<RestartOutcome> second = executor().submit(command("cmd-2", "c1").build());
        CompletableFuture<RestartOutcome> other = executor().submit(command("cmd-3", "c2").build());

        assertThat(outcome(other).getResult()).as("c2 does not wait for c1").isEqualTo(RestartResult.SUCCEEDED);
        // c2 may finish before c1's first restart reaches the engine: wait for it, then watch that the second stays queued
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.restartsOf("c1").size() == 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).alias("the second command for c1 waits for the first")
                .until(() -> engine.restartsOf("c1").size() == 1 && !second.isDone());

        engine.holds.get("c1").countDown();
        assertThat(outcome(first).getResult()).isEqualTo(RestartResult.SUCCEEDED);
        // the first restart moved StartedAt past the second command's issue time
        assertThat(outcome(second).getResult()).isEqualTo(RestartResult.SKIPPED_ALREADY_RESTARTED);
        assertThat(engine.restartsOf("c1")).hasSize(1);
    }

    @Test
    void shouldLeaveCommandsWaitingAtShutdownWithoutAnOutcome() {
        sessionContainer("c1");
        CompletableFuture<RestartOutcome> waiting = executor().submit(
                command("cmd-1", "c1").setNotBefore(clock.instant().plusSeconds(30)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> delays.pending() == 1);

        executor.close();
        clock.advance(Duration.ofSeconds(30));
        delays.elapse();

        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(java.util.concurrent.CancellationException.class);
        assertThat(engine.restarts).isEmpty();
        assertThat(executed.contains("cmd-1")).isFalse();
    }

    @Test
    void shouldTellCommandsForOtherHostsApart() {
        assertThat(executor().isForThisHost(command("cmd-1", "c1").build())).isTrue();
        assertThat(executor().isForThisHost(command("cmd-1", "c1").setHostId("host-b").build())).isFalse();
        assertThatThrownBy(() -> executor.submit(command("cmd-1", "c1").setHostId("host-b").build()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
