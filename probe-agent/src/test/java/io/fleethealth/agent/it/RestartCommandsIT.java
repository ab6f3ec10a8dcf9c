package io.fleethealth.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.agent.AgentService;
import io.fleethealth.agent.command.CommandService;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import io.fleethealth.localstack.testbed.TestBed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole agent ({@link AgentService}) against the test bed's broker and registry and the real Docker engine:
 * commands produced to fleet.restart.commands with the registry serde, outcomes and audit events read back.
 */
class RestartCommandsIT {

    private static TestBed bed;
    private static String host;
    private static String label;
    private static Path stateDir;
    private static AgentService agent;
    private static CommandTopics topics;
    private TestDocker docker;

    @BeforeAll
    static void startAgent() {
        bed = TestBed.shared();
        host = bed.uniqueId("host");
        label = "fleet-health-it." + bed.uniqueId("label") + ".session";
        stateDir = Path.of(System.getProperty("java.io.tmpdir")).resolve(bed.uniqueId("agent-state"));
        agent = start(host, stateDir);
        topics = new CommandTopics(bed);
    }

    private static AgentService start(String hostId, Path state) {
        return AgentService.start(Map.of(
                "HOST_ID", hostId,
                "DOCKER_HOST", System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"),
                "CONTAINER_SESSION_LABEL", label,
                "CONTAINER_HEALTH_CHECK_INTERVAL", "1",
                "CONTAINER_HEALTH_TIMEOUT", "0.8",
                "CONTAINER_AGENT_STATE_DIR", state.toString(),
                "AGENT_HTTP_PORT", "0"), bed.bootstrapServers(), bed.registryUrl());
    }

    @AfterAll
    static void stopAgent() {
        if (topics != null) {
            topics.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @BeforeEach
    void docker() {
        docker = new TestDocker();
    }

    @AfterEach
    void removeContainers() {
        docker.close();
    }

    private static RestartCommand.Builder command(String session, String containerId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return RestartCommand.newBuilder()
                .setCommandId(bed.uniqueId("cmd")).setSessionId(session).setHostId(host).setContainerId(containerId)
                .setContainerName("it").setAttempt(1).setEpisode(1).setReason("3 consecutive failures")
                .setIssuedAt(now).setNotBefore(now).setExpiresAt(now.plusSeconds(120)).setStopTimeoutSeconds(1);
    }

    private String sessionContainer(String session) {
        return docker.run(Map.of(label, session), TestDocker.RUN_FOREVER);
    }

    @Test
    void shouldRestartTheContainerAndReportSuccessWithAnAuditEvent() {
        String session = bed.uniqueId("session");
        String id = sessionContainer(session);
        String startedBefore = docker.startedAt(id);
        RestartCommand command = command(session, id).setNotBefore(Instant.now().plusMillis(500)).build();

        topics.send(command);
        RestartOutcome outcome = topics.awaitOutcome(command.getCommandId());

        assertThat(outcome.getResult()).isEqualTo(RestartResult.SUCCEEDED);
        assertThat(outcome.getHostId()).isEqualTo(host);
        assertThat(outcome.getSessionId()).isEqualTo(session);
        assertThat(outcome.getExecutedAt()).isAfterOrEqualTo(command.getNotBefore());
        assertThat(Instant.parse(docker.startedAt(id))).isAfter(Instant.parse(startedBefore))
                .isAfter(command.getNotBefore());
        AuditEvent audit = topics.awaitAudit(command.getCommandId() + ":SUCCEEDED");
        assertThat(audit.getAction()).isEqualTo(AuditAction.COMMAND_SUCCEEDED);
        assertThat(audit.getActor()).isEqualTo("probe-agent@" + host);
        assertThat(audit.getCommandId()).isEqualTo(command.getCommandId());
        assertThat(audit.getSessionId()).isEqualTo(session);
    }

    @Test
    void shouldAnswerAnExpiredCommandWithoutTouchingTheContainer() {
        String session = bed.uniqueId("session");
        String id = sessionContainer(session);
        String startedBefore = docker.startedAt(id);
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        RestartCommand command = command(session, id).setIssuedAt(past).setNotBefore(past)
                .setExpiresAt(past.plusSeconds(30)).build();

        topics.send(command);
        RestartOutcome outcome = topics.awaitOutcome(command.getCommandId());

        assertThat(outcome.getResult()).isEqualTo(RestartResult.EXPIRED);
        assertThat(outcome.getMessage()).contains("expired");
        assertThat(docker.startedAt(id)).isEqualTo(startedBefore);
        assertThat(topics.awaitAudit(command.getCommandId() + ":EXPIRED").getAction())
                .isEqualTo(AuditAction.COMMAND_EXPIRED);
    }

    @Test
    void shouldExecuteACommandIdOnlyOnceEvenAfterTheAgentRestarts() {
        String otherHost = bed.uniqueId("host");
        Path otherState = Path.of(System.getProperty("java.io.tmpdir")).resolve(bed.uniqueId("agent-state"));
        String session = bed.uniqueId("session");
        String id = sessionContainer(session);
        // The record names the skip a duplicate; the engine confirms it (the container was started after the
        // command was issued). A recorded id the engine does not confirm is executed (CommandExecutorTest).
        Instant issued = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        RestartCommand command = command(session, id).setHostId(otherHost).setIssuedAt(issued)
                .setExpiresAt(issued.plusSeconds(90)).build();

        String startedAfterFirst;
        try (AgentService first = start(otherHost, otherState)) {
            topics.send(command);
            assertThat(topics.awaitOutcome(command.getCommandId()).getResult()).isEqualTo(RestartResult.SUCCEEDED);
            startedAfterFirst = docker.startedAt(id);
            topics.send(command);
            RestartOutcome second = topics.awaitOutcome(command.getCommandId(), 2);
            assertThat(second.getResult()).isEqualTo(RestartResult.SKIPPED_DUPLICATE);
        }
        try (AgentService restarted = start(otherHost, otherState)) {
            topics.send(command);
            RestartOutcome third = topics.awaitOutcome(command.getCommandId(), 3);
            assertThat(third.getResult()).isEqualTo(RestartResult.SKIPPED_DUPLICATE);
            assertThat(third.getMessage()).contains("already executed");
        }
        assertThat(docker.startedAt(id)).isEqualTo(startedAfterFirst);
        assertThat(topics.outcomesOf(command.getCommandId())).hasSize(3);
        assertThat(topics.awaitAudit(command.getCommandId() + ":SKIPPED_DUPLICATE").getAction())
                .isEqualTo(AuditAction.COMMAND_SKIPPED);
    }

    @Test
    void shouldRestartAgainWhenACommandIdItExecutedComesBackIssuedAfterThatRestart() throws InterruptedException {
        // A session that started over (processor state lost, agent state kept) may send an id this agent executed
        // in an earlier life. The container was not restarted since the new command was issued: a "duplicate"
        // answer would make the processor count a restart that never happened.
        String session = bed.uniqueId("session");
        String id = sessionContainer(session);
        RestartCommand first = command(session, id).build();
        topics.send(first);
        assertThat(topics.awaitOutcome(first.getCommandId()).getResult()).isEqualTo(RestartResult.SUCCEEDED);
        String startedAfterFirst = docker.startedAt(id);
        Thread.sleep(50); // the new life's command is issued strictly after that restart
        Instant reissued = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        RestartCommand again = RestartCommand.newBuilder(first).setIssuedAt(reissued).setNotBefore(reissued)
                .setExpiresAt(reissued.plusSeconds(120)).build();

        topics.send(again);
        RestartOutcome second = topics.awaitOutcome(first.getCommandId(), 2);

        assertThat(second.getResult()).isEqualTo(RestartResult.SUCCEEDED);
        assertThat(Instant.parse(docker.startedAt(id))).isAfter(Instant.parse(startedAfterFirst));
    }

    @Test
    void shouldIgnoreACommandForAnotherHostWithoutAnyOutcome() {
        String session = bed.uniqueId("session");
        String id = sessionContainer(session);
        String startedBefore = docker.startedAt(id);
        RestartCommand foreign = command(session, id).setHostId(bed.uniqueId("elsewhere")).build();
        // Same key, so same partition, read after the foreign one: once its outcome is out, the foreign one was read.
        RestartCommand marker = command(session, id).setExpiresAt(Instant.now().minusSeconds(1)).build();

        topics.send(foreign);
        topics.send(marker);
        assertThat(topics.awaitOutcome(marker.getCommandId()).getResult()).isEqualTo(RestartResult.EXPIRED);

        assertThat(topics.outcomesOf(foreign.getCommandId())).isEmpty();
        assertThat(docker.startedAt(id)).isEqualTo(startedBefore);
        assertThat(agent.commands().consumer().foreignSkipped()).isPositive();
    }

    @Test
    void shouldRejectAnUnlabelledContainerAndLeaveItAlone() {
        String session = bed.uniqueId("session");
        String id = docker.run(Map.of(), TestDocker.RUN_FOREVER); // only the test label, no session label
        String startedBefore = docker.startedAt(id);
        RestartCommand command = command(session, id).build();

        topics.send(command);
        RestartOutcome outcome = topics.awaitOutcome(command.getCommandId());

        assertThat(outcome.getResult()).isEqualTo(RestartResult.REJECTED);
        assertThat(outcome.getMessage()).contains("carries no " + label);
        assertThat(docker.startedAt(id)).isEqualTo(startedBefore);
        assertThat(docker.client().inspectContainerCmd(id).exec().getState().getRunning()).isTrue();
        assertThat(topics.awaitAudit(command.getCommandId() + ":REJECTED").getAction())
                .isEqualTo(AuditAction.COMMAND_REJECTED);
    }

    @Test
    void shouldRejectAContainerThatServesAnotherSession() {
        String session = bed.uniqueId("session");
        String id = sessionContainer(bed.uniqueId("other-session"));
        String startedBefore = docker.startedAt(id);
        RestartCommand command = command(session, id).build();

        topics.send(command);
        RestartOutcome outcome = topics.awaitOutcome(command.getCommandId());

        assertThat(outcome.getResult()).isEqualTo(RestartResult.REJECTED);
        assertThat(outcome.getMessage()).contains("other-session");
        assertThat(docker.startedAt(id)).isEqualTo(startedBefore);
    }

    @Test
    void shouldSkipAContainerRestartedByHandAfterTheCommandWasIssued() {
        String session = bed.uniqueId("session");
        String id = sessionContainer(session);
        RestartCommand command = command(session, id).build();
        docker.client().restartContainerCmd(id).withTimeout(1).exec();
        String restartedByHand = docker.startedAt(id);
        assertThat(Instant.parse(restartedByHand)).isAfter(command.getIssuedAt());

        topics.send(command);
        RestartOutcome outcome = topics.awaitOutcome(command.getCommandId());

        assertThat(outcome.getResult()).isEqualTo(RestartResult.SKIPPED_ALREADY_RESTARTED);
        assertThat(docker.startedAt(id)).isEqualTo(restartedByHand);
    }

    @Test
    void shouldReportTheEnginesErrorWhenTheRestartFails() {
        String session = bed.uniqueId("session");
        // A container whose command does not exist: the engine creates it but refuses to start it, restart included.
        String id = docker.createWithCommand(Map.of(label, session), "/no/such/binary");
        RestartCommand command = command(session, id).build();

        topics.send(command);
        RestartOutcome outcome = topics.awaitOutcome(command.getCommandId());

        assertThat(outcome.getResult()).isEqualTo(RestartResult.FAILED);
        assertThat(outcome.getMessage()).contains("restart " + id).contains("no/such/binary");
        assertThat(topics.awaitAudit(command.getCommandId() + ":FAILED").getAction())
                .isEqualTo(AuditAction.COMMAND_FAILED);
    }

    @Test
    void shouldCommitTheGroupsOffsetsToTheEndOnceEveryOutcomeIsOut() throws Exception {
        String session = bed.uniqueId("session");
        String id = sessionContainer(session);
        RestartCommand command = command(session, id).build();
        topics.send(command);
        topics.send(command(session, id).setHostId(bed.uniqueId("elsewhere")).build());
        RestartCommand last = command(session, id).setExpiresAt(Instant.now().minusSeconds(1)).build();
        topics.send(last);
        topics.awaitOutcome(last.getCommandId());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(topics.committed(CommandService.groupId(host))).isEqualTo(topics.endOffsets()));
    }

    @Test
    void shouldServeHealthAndPrometheusMetrics() throws Exception {
        sessionContainer(bed.uniqueId("session"));
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + agent.httpPort());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(health.body()).contains("\"status\":\"UP\"", "\"engineReachable\":true",
                    "\"kafkaReachable\":true", "\"lastRoundAt\":\"", "\"lastRoundDurationMs\":",
                    "\"containersMonitored\":");
            assertThat(health.body()).doesNotContain("\"containersMonitored\":0,", "\"containersMonitored\":0}");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains(
                    "fleet_agent_probes_total{host=\"" + host + "\",status=\"HEALTHY\"}",
                    "fleet_agent_probe_latency_seconds_bucket{",
                    "fleet_agent_round_duration_seconds_count{",
                    "fleet_agent_round_overruns_total{",
                    "fleet_agent_containers_monitored{",
                    "fleet_agent_commands_total{host=\"" + host + "\",result=\"SUCCEEDED\"}",
                    "fleet_agent_commands_total{host=\"" + host + "\",result=\"REJECTED\"}",
                    "fleet_agent_publish_dropped_total{",
                    "fleet_agent_publish_published_total{");
        });
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(base.resolve("/nothing")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }
}
