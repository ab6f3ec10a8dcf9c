package io.fleethealth.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.HealthCheck;
import io.fleethealth.cli.FleetHealthCommand;
import io.fleethealth.cli.source.ExportFolder;
import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import io.fleethealth.localstack.testbed.DockerTestEngine;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.HttpSchemaRegistryClient;
import io.fleethealth.topics.Topics;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The main job run twice on the same folder, as a user does: a container fails and is restarted in the first
 * run, the job stops, starts again, and the container fails again. The second restart is executed (not skipped
 * as a duplicate of the first run's command), and the export and replay of the history still hold the first
 * run's restart.
 */
class MainJobRestartIT {

    private static final String LOOP = "trap 'exit 0' TERM; touch /tmp/ok; while true; do sleep 1; done";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    private final String session = run + "-session";
    private final DockerClient docker = DockerTestEngine.client();
    private FleetHealthLocal job;

    @AfterEach
    void cleanUp() {
        if (job != null) {
            job.close();
        }
        DockerTestEngine.removeTestContainers("fleet-health.restart-it", run);
    }

    @Test
    void shouldKeepTheHistoryAndExecuteTheSecondRunsRestartWhenStartedAgainOnTheSameFolder() throws Exception {
        Path folder = Path.of(System.getProperty("fleet.test.dir", "target/test-bed")).toAbsolutePath().resolve(run);
        Map<String, String> env = env(folder);
        String container = DockerTestEngine.createTestContainer(run, Map.of("fleet-health.restart-it", run,
                "fleet-health.session", session), cmd -> cmd.withCmd("sh", "-c", LOOP)
                .withHealthcheck(new HealthCheck().withTest(List.of("CMD", "test", "-f", "/tmp/ok"))
                        .withInterval(TimeUnit.SECONDS.toNanos(1)).withTimeout(TimeUnit.SECONDS.toNanos(1))
                        .withRetries(1)));
        docker.startContainerCmd(container).exec();

        job = FleetHealthLocal.start(env, quiet(), false);
        String bootstrap = job.bootstrapServers();
        assertThat(job.processor().awaitRunning(Duration.ofSeconds(90))).isTrue();
        awaitStatus("HEALTHY");
        breakHealthcheck(container);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(outcomes(bootstrap)).extracting(RestartOutcome::getResult).contains(RestartResult.SUCCEEDED));
        awaitStatus("HEALTHY");
        job.close();
        job = null;
        assertThat(folder.resolve("processor-state")).as("processor state in the job's folder").isDirectory();
        assertThat(folder.resolve("agent-state")).as("agent state in the job's folder").isDirectory();

        job = FleetHealthLocal.start(env, quiet(), false);
        assertThat(job.bootstrapServers()).isEqualTo(bootstrap);
        assertThat(job.processor().awaitRunning(Duration.ofSeconds(90))).isTrue();
        awaitStatus("HEALTHY");
        breakHealthcheck(container);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(outcomes(bootstrap))
                .filteredOn(o -> o.getResult() == RestartResult.SUCCEEDED).hasSize(2));
        List<RestartOutcome> outcomes = outcomes(bootstrap);
        assertThat(outcomes).as("no restart of the second run skipped as a duplicate of the first")
                .extracting(RestartOutcome::getResult).containsOnly(RestartResult.SUCCEEDED);
        assertThat(outcomes).extracting(RestartOutcome::getCommandId).doesNotHaveDuplicates();
        List<String> liveCommandIds = outcomes.stream().map(RestartOutcome::getCommandId).toList();

        Path export = folder.resolve("export");
        Path replay = folder.resolve("replay");
        Map<String, String> cliEnv = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "SCHEMA_REGISTRY_URL", job.registryUrl().toString());
        assertThat(cli(cliEnv, "export", "-o", export.toString())).isZero();
        // An empty environment: the settings come from the history the live job recorded.
        assertThat(cli(Map.of(), "replay", "-i", export.toString(), "-o", replay.toString())).isZero();
        List<RestartCommand> live = commands(export);
        assertThat(live).as("both runs' restart commands exported").extracting(RestartCommand::getCommandId)
                .containsExactlyInAnyOrderElementsOf(liveCommandIds);
        assertThat(commands(replay)).as("the replay makes both runs' restarts again, identical")
                .containsExactlyInAnyOrderElementsOf(live);
    }

    private Map<String, String> env(Path folder) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("FLEET_LOCAL_DIR", folder.toString());
        env.put("FLEET_TOPIC_PARTITIONS", "1");
        env.put("CONTAINER_HEALTH_CHECK_INTERVAL", "1");
        env.put("CONTAINER_HEALTH_TIMEOUT", "0.8");
        env.put("CONTAINER_RESTART_DELAY", "1");
        env.put("CONTAINER_RESTART_GRACE", "3");
        env.put("CONTAINER_FAILURE_THRESHOLD", "3");
        env.put("CONTAINER_STOP_TIMEOUT", "2");
        env.put("HOST_ID", run + "-host");
        env.put("DOCKER_HOST", DockerTestEngine.dockerHost());
        env.put("PROCESSOR_HTTP_PORT", Integer.toString(freePort()));
        env.put("AGENT_HTTP_PORT", "0");
        return env;
    }

    private void breakHealthcheck(String container) throws InterruptedException {
        String exec = docker.execCreateCmd(container).withCmd("rm", "-f", "/tmp/ok").exec().getId();
        assertThat(docker.execStartCmd(exec).exec(new ResultCallback.Adapter<>()).awaitCompletion(30, TimeUnit.SECONDS))
                .as("exec finished").isTrue();
    }

    private void awaitStatus(String status) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(job.processor().apiUri()
                    .resolve("/health/container/" + session)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo(status);
        });
    }

    private List<RestartOutcome> outcomes(String bootstrap) {
        EventSerdes serdes = new EventSerdes(new HttpSchemaRegistryClient(job.registryUrl()));
        List<RestartOutcome> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(Topics.RESTART_OUTCOMES.name())
                    .stream().map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (session.equals(r.key())) {
                        out.add(serdes.valueDeserializer(Topics.RESTART_OUTCOMES).deserialize(r.topic(), r.value()));
                    }
                }
            }
        }
        return out;
    }

    private List<RestartCommand> commands(Path folder) {
        return ExportFolder.open(folder).readAll(Topics.RESTART_COMMANDS).stream().map(HistoryRecord::value)
                .filter(c -> c.getSessionId().equals(session)).toList();
    }

    private static int cli(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        int code = FleetHealthCommand.commandLine(env, Clock.systemUTC(), new PrintWriter(new StringWriter()),
                new PrintWriter(err)).execute(args);
        assertThat(err.toString()).as("fleet-health " + String.join(" ", args)).doesNotContain("Exception");
        return code;
    }

    private static PrintStream quiet() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
