package io.fleethealth.cli;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleethealth.cli.source.ExportFolder;
import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.cli.testing.Events;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.processor.app.HealthProcessorApp;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.decision.DecisionCounter;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three commands end to end against the real broker and registry of the test bed, on a history made
 * by the real health-processor app: export the live topics, replay them with the live settings (the same
 * restart commands come out, ids included) and with a higher threshold (none), and report.
 */
class FleetHealthCliIT {

    private static final int SESSIONS = 6;

    private static TestBed bed;
    private static HealthProcessorApp app;
    private static KafkaProducer<String, byte[]> producer;
    private static EventSerdes serdes;
    private static Map<String, String> env;
    private static Instant start;
    private static String run;
    private static final Map<String, RestartCommand> liveCommands = new ConcurrentHashMap<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void startProcessorAndMakeHistory() throws Exception {
        bed = TestBed.shared();
        serdes = bed.serdes();
        run = bed.uniqueId("cli-it");
        env = new HashMap<>();
        env.put("PROCESSOR_APPLICATION_ID", run);
        env.put("PROCESSOR_STATE_DIR", bed.dir().resolve(run).toString());
        env.put("PROCESSOR_HTTP_PORT", Integer.toString(freePort()));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bed.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", bed.registryUrl().toString());
        // The history is made 10 minutes in the past and read at once: a backlog. Commands valid for 15
        // minutes are still good when decided, so the live processor issues them (rather than withholding
        // commands that would arrive expired); the replay reads the same setting.
        env.put("CONTAINER_RESTART_EXPIRY", "900");
        start = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(1);
        app = new HealthProcessorApp(ProcessorConfig.fromEnv(env), KafkaClientSettings.plaintext(bed.bootstrapServers()), bed.registryClient(),
                new SimpleMeterRegistry());
        app.start();
        assertThat(app.awaitRunning(Duration.ofSeconds(90))).as("Kafka Streams reaches RUNNING").isTrue();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        makeHistory();
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (commandReader != null) {
            commandReader.close();
        }
        if (app != null) {
            app.close();
        }
    }

    /** Two failure runs per session, each answered by the agent's outcome; waits for the live decisions. */
    private static void makeHistory() {
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);
        List<String> sessions = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) {
            sessions.add(run + "-s" + s);
        }
        int tick = 0;
        for (int episode = 0; episode < 2; episode++) {
            for (int i = 0; i < 3; i++, tick++) {
                for (String session : sessions) {
                    send(Topics.HEALTH_CHECKS, session, Events.check(session, session + "-" + tick,
                            base.plusSeconds(30L * tick), false));
                }
            }
            producer.flush();
            int expected = SESSIONS * (episode + 1);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                readCommands();
                assertThat(liveCommands).hasSize(expected);
            });
            Instant restartedAt = base.plusSeconds(30L * tick - 10);
            Instant runStart = base.plusSeconds(30L * (tick - 3));
            liveCommands.values().stream().filter(c -> !c.getIssuedAt().isBefore(runStart))
                    .forEach(c -> send(Topics.RESTART_OUTCOMES, c.getSessionId(), Events.succeeded(c, restartedAt)));
            producer.flush();
            long joined = (long) SESSIONS * (episode + 1);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(app.metrics().count(DecisionCounter.OUTCOME_JOINED)).isEqualTo(joined));
            for (int i = 0; i < 2; i++, tick++) {
                for (String session : sessions) {
                    send(Topics.HEALTH_CHECKS, session, Events.check(session, session + "-" + tick,
                            base.plusSeconds(30L * tick), true));
                }
            }
            producer.flush();
        }
        long checks = (long) SESSIONS * tick;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(app.metrics().count(DecisionCounter.CHECK_PROCESSED)).isEqualTo(checks));
    }

    @Test
    void shouldExportReplayAndReportTheLiveDecisionsExactly() throws Exception {
        Path export = dir.resolve("export");
        Path replay = dir.resolve("replay");
        // The whole topics: the outputs' record timestamps are the decisions' event times, minutes in the past.
        Result exported = cli("export", "-o", export.toString());
        Result replayed = cli("replay", "-i", export.toString(), "-o", replay.toString());
        Result report = cli("report", export.toString(), replay.toString(), "--json");

        assertThat(exported.code).as(exported.err).isZero();
        assertThat(exported.out).contains("fleet.health.checks").contains("fleet.restart.commands");
        assertThat(replayed.code).as(replayed.err).isZero();
        List<RestartCommand> fromExport = commands(export);
        assertThat(fromExport).containsExactlyInAnyOrderElementsOf(liveCommands.values());
        assertThat(commands(replay)).containsExactlyInAnyOrderElementsOf(liveCommands.values());
        JsonNode json = new ObjectMapper().readTree(report.out);
        assertThat(json.at("/restarts/identical").asInt()).isEqualTo(liveCommands.size());
        assertThat(json.at("/restarts/onlyInBaseline")).isEmpty();
        assertThat(json.at("/restarts/onlyInCandidate")).isEmpty();
        assertThat(json.at("/restarts/differing")).isEmpty();
        assertThat(json.at("/baseline/timeToDetect/p50").asDouble()).isEqualTo(60.0);
    }

    @Test
    void shouldReplayStraightFromKafkaIntoTopicsOfItsOwn() throws Exception {
        Path replay = dir.resolve("replay-kafka");
        String prefix = "replay." + run + ".";

        // The inputs' record timestamps are when they were produced, after the start of this test class.
        Result replayed = cli("replay", "--from", start.toString(), "-o", replay.toString(),
                "--output-topic-prefix", prefix);

        assertThat(replayed.code).as(replayed.err).isZero();
        assertThat(commands(replay)).containsExactlyInAnyOrderElementsOf(liveCommands.values());
        List<String> produced = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(prefix + Topics.RESTART_COMMANDS.name()));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    produced.add(serdes.valueDeserializer(Topics.RESTART_COMMANDS).deserialize(r.topic(), r.value())
                            .getCommandId());
                }
                assertThat(produced).containsExactlyInAnyOrderElementsOf(liveCommands.keySet());
            });
        }
    }

    @Test
    void shouldIssueNoRestartWithAThresholdAboveTheFailureRuns() throws Exception {
        Path export = dir.resolve("export-for-threshold");
        Path replay = dir.resolve("replay-threshold5");
        Path html = dir.resolve("report.html");
        cli("export", "-o", export.toString());

        Result replayed = cli("replay", "-i", export.toString(), "-o", replay.toString(), "--failure-threshold", "5");
        Result report = cli("report", export.toString(), replay.toString(), "--html", html.toString());

        assertThat(replayed.code).as(replayed.err).isZero();
        assertThat(commands(replay)).isEmpty();
        assertThat(report.out).contains(liveCommands.size() + " only in live");
        assertThat(Files.readString(html)).contains("<svg").contains(run + "-s0");
    }

    private static List<RestartCommand> commands(Path folder) {
        return ExportFolder.open(folder).readAll(Topics.RESTART_COMMANDS).stream().map(HistoryRecord::value)
                .filter(c -> c.getSessionId().startsWith(run)).toList();
    }

    @Test
    void shouldBuildItsKafkaClientsFromTheCommandConfigFile() throws Exception {
        Path config = dir.resolve("sasl-client.properties");
        Files.writeString(config, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"analyst\" password=\"cli-s3cret\";\n");
        Map<String, String> impatient = new java.util.HashMap<>(env);
        impatient.put("FLEET_KAFKA_STARTUP_TIMEOUT", "5");

        // The test bed's listener is plaintext: a SASL client from the file cannot use it, and says so at once.
        Result result = cli(impatient, "export", "--command-config", config.toString(), "-o",
                dir.resolve("never-written").toString());

        assertThat(result.code()).isEqualTo(3);
        assertThat(result.err().lines().filter(line -> !line.isBlank()).toList()).singleElement().asString()
                .startsWith("export: Kafka at " + bed.bootstrapServers())
                .contains("security.protocol=SASL_PLAINTEXT, sasl.mechanism=PLAIN");
        assertThat(result.out() + result.err()).doesNotContain("cli-s3cret");
    }

    @Test
    void shouldStopOnAnUnknownPropertyInTheCommandConfigFileNamingIt() throws Exception {
        Path config = dir.resolve("typo-client.properties");
        Files.writeString(config, "security.protocoll=SSL\n");

        Result result = cli(env, "export", "--command-config", config.toString(), "-o", dir.resolve("x").toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--command-config", "security.protocoll");
    }

    private static Result cli(String... args) {
        return cli(env, args);
    }

    private static Result cli(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FleetHealthCommand.commandLine(env, Clock.systemUTC(), new PrintWriter(out), new PrintWriter(err))
                .execute(args);
        transcript.append("$ fleet-health ").append(String.join(" ", args)).append('\n').append(out).append('\n');
        return new Result(code, out.toString(), err.toString());
    }

    /** What the commands printed, kept in target/ for docs/replay.md. */
    private static final StringBuilder transcript = new StringBuilder();

    @AfterAll
    static void keepTranscript() throws Exception {
        Files.writeString(Path.of("target", "fleet-health-it-session.txt"), transcript.toString());
    }

    private record Result(int code, String out, String err) {
    }

    private static <T extends SpecificRecord> void send(Topic<T> topic, String key, T value) {
        producer.send(new ProducerRecord<>(topic.name(), key, serdes.valueSerializer(topic).serialize(topic.name(), value)));
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, bed.uniqueGroupId("cli-it"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaConsumer<String, byte[]> commandReader;

    private static void readCommands() {
        if (commandReader == null) {
            commandReader = consumer();
            commandReader.subscribe(List.of(Topics.RESTART_COMMANDS.name()));
        }
        for (ConsumerRecord<String, byte[]> r : commandReader.poll(Duration.ofMillis(200))) {
            if (r.key() != null && r.key().startsWith(run)) {
                RestartCommand c = serdes.valueDeserializer(Topics.RESTART_COMMANDS).deserialize(r.topic(), r.value());
                liveCommands.put(c.getCommandId(), c);
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
