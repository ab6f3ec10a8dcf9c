package io.fleethealth.processor.app;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.decision.DecisionCounter;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.SampleEvents;
import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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

/**
 * The processor against the real in-process broker and the real Apicurio registry: a burst of checks
 * goes in, and commands, statuses, alerts, audit events and dead letters come out.
 */
class HealthProcessorIT {

    private static final int FAILING = 12;
    private static final int HEALTHY = 8;

    private static TestBed bed;
    private static HealthProcessorApp app;
    private static EventSerdes serdes;
    private static KafkaProducer<String, byte[]> producer;
    private static String appId;

    @BeforeAll
    static void start() throws Exception {
        bed = TestBed.shared();
        serdes = bed.serdes();
        appId = bed.uniqueId("processor-it");
        Map<String, String> env = new HashMap<>();
        env.put("PROCESSOR_APPLICATION_ID", appId);
        env.put("PROCESSOR_STATE_DIR", bed.dir().resolve(appId).toString());
        env.put("PROCESSOR_HTTP_PORT", Integer.toString(freePort()));
        // The brake runs (its topics, signals and answers on the real broker), but this burst of 12 failing
        // sessions of 20 on one host would be an incident and held: this test is about the decisions
        // themselves, so no incident (N above the fleet) and no budget wait (the brake's own IT covers both).
        env.put("FLEET_BRAKE_MIN_SESSIONS", "1000000");
        env.put("FLEET_BRAKE_HOST_RESTARTS_PER_MINUTE", "10000");
        env.put("FLEET_BRAKE_FLEET_RESTARTS_PER_MINUTE", "1000000");
        ProcessorConfig config = ProcessorConfig.fromEnv(env);
        app = new HealthProcessorApp(config, KafkaClientSettings.plaintext(bed.bootstrapServers()), bed.registryClient(), new SimpleMeterRegistry());
        app.start();
        assertThat(app.awaitRunning(Duration.ofSeconds(90))).as("Kafka Streams reaches RUNNING").isTrue();

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldTurnABurstOfChecksIntoCommandsStatusesAlertsAuditAndDeadLetters() {
        String run = appId;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> failing = new ArrayList<>();
        for (int s = 0; s < FAILING; s++) {
            String session = run + "-failing-" + s;
            failing.add(session);
            for (int i = 0; i < 3; i++) {
                send(Topics.HEALTH_CHECKS, session, check(session, session + "-c" + i, now.minusSeconds(60 - 30L * i), false));
            }
        }
        List<String> healthy = new ArrayList<>();
        for (int s = 0; s < HEALTHY; s++) {
            String session = run + "-healthy-" + s;
            healthy.add(session);
            for (int i = 0; i < 3; i++) {
                send(Topics.HEALTH_CHECKS, session, check(session, session + "-c" + i, now.minusSeconds(60 - 30L * i), true));
            }
        }
        producer.send(new ProducerRecord<>(Topics.HEALTH_CHECKS.name(), run + "-garbage",
                "definitely not avro".getBytes(StandardCharsets.UTF_8)));
        producer.flush();

        Map<String, RestartCommand> commands = new ConcurrentHashMap<>();
        Map<String, List<HealthStatus>> statuses = new ConcurrentHashMap<>();
        List<HealthAlert> alerts = new CopyOnWriteArrayList<>();
        List<AuditEvent> audits = new CopyOnWriteArrayList<>();
        List<ConsumerRecord<String, byte[]>> deadLetters = new CopyOnWriteArrayList<>();
        try (Reader reader = new Reader(run)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                reader.poll(Topics.RESTART_COMMANDS, run, c -> commands.put(c.getSessionId(), c));
                reader.poll(Topics.SESSION_STATUS, run, st -> statuses.computeIfAbsent(st.getSessionId(),
                        k -> new CopyOnWriteArrayList<>()).add(st.getStatus()));
                reader.poll(Topics.ALERTS, run, alerts::add);
                reader.poll(Topics.AUDIT, run, audits::add);
                reader.pollRaw(Topics.HEALTH_CHECKS_DLQ, run, deadLetters::add);
                assertThat(commands.keySet()).containsExactlyInAnyOrderElementsOf(failing);
                assertThat(deadLetters).hasSize(1);
                assertThat(statuses.keySet()).containsAll(healthy).containsAll(failing);
                // each topic has its own consumer, which may be a fetch behind the others
                assertThat(failing).allSatisfy(s -> assertThat(statuses.get(s)).last().isEqualTo(HealthStatus.RESTARTING));
                assertThat(audits).filteredOn(a -> a.getAction() == AuditAction.COMMAND_ISSUED).hasSize(FAILING);
                assertThat(alerts).filteredOn(a -> "SessionUnhealthy".equals(a.getLabels().get("alertname")))
                        .extracting(a -> a.getLabels().get("session_id")).containsExactlyInAnyOrderElementsOf(failing);
            });

            assertThat(commands.values()).allSatisfy(c -> {
                assertThat(c.getAttempt()).isEqualTo(1);
                assertThat(c.getNotBefore()).isEqualTo(c.getIssuedAt().plusSeconds(5));
            });
            assertThat(commands.values()).extracting(RestartCommand::getCommandId).doesNotHaveDuplicates();
            assertThat(healthy).allSatisfy(s -> assertThat(statuses.get(s)).containsOnly(HealthStatus.HEALTHY));
            assertThat(new String(deadLetters.get(0).headers().lastHeader("fleet.dlq.reason").value(),
                    StandardCharsets.UTF_8)).isEqualTo("undeserializable");

            // The agents report success and the containers come back: every failing session recovers.
            Instant later = now.plusSeconds(10);
            for (RestartCommand command : commands.values()) {
                send(Topics.RESTART_OUTCOMES, command.getSessionId(), RestartOutcome.newBuilder()
                        .setCommandId(command.getCommandId()).setSessionId(command.getSessionId())
                        .setHostId(command.getHostId()).setContainerId(command.getContainerId())
                        .setAttempt(command.getAttempt()).setResult(RestartResult.SUCCEEDED)
                        .setExecutedAt(later).setDurationMs(300).build());
            }
            producer.flush();
            // Streams does not order records across input topics: let the outcomes land first.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(app.metrics().count(DecisionCounter.OUTCOME_JOINED)).isEqualTo(FAILING));
            for (RestartCommand command : commands.values()) {
                send(Topics.HEALTH_CHECKS, command.getSessionId(),
                        check(command.getSessionId(), command.getSessionId() + "-after", later.plusSeconds(1), true));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                reader.poll(Topics.SESSION_STATUS, run, st -> statuses.computeIfAbsent(st.getSessionId(),
                        k -> new CopyOnWriteArrayList<>()).add(st.getStatus()));
                assertThat(failing).allSatisfy(s -> assertThat(statuses.get(s)).last().isEqualTo(HealthStatus.HEALTHY));
            });
        }
        assertThat(app.metrics().count(DecisionCounter.COMMAND_ISSUED)).isEqualTo(FAILING);
        assertThat(app.metrics().deadLetterCount()).isEqualTo(1);
    }

    private static <T extends SpecificRecord> void send(Topic<T> topic, String key, T value) {
        producer.send(new ProducerRecord<>(topic.name(), key, serdes.valueSerializer(topic).serialize(topic.name(), value)));
    }

    private static HealthCheckResult check(String session, String checkId, Instant at, boolean healthy) {
        return SampleEvents.check(session, checkId, at, healthy).setHostId("it-host").setContainerName(session).build();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Reads output topics (committed transactions only) from the beginning, keeping this run's keys. */
    private static final class Reader implements AutoCloseable {
        private final Map<String, KafkaConsumer<String, byte[]>> consumers = new HashMap<>();
        private final String group;

        Reader(String run) {
            this.group = run + "-reader";
        }

        <T extends SpecificRecord> void poll(Topic<T> topic, String keyPrefix, java.util.function.Consumer<T> sink) {
            pollRaw(topic, keyPrefix, record -> {
                if (record.value() != null) {
                    sink.accept(serdes.valueDeserializer(topic).deserialize(topic.name(), record.value()));
                }
            });
        }

        void pollRaw(Topic<?> topic, String keyPrefix, java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink) {
            KafkaConsumer<String, byte[]> consumer = consumers.computeIfAbsent(topic.name(), name -> {
                Properties props = new Properties();
                props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
                props.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-" + name);
                props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
                c.subscribe(List.of(name));
                return c;
            });
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.key() != null && record.key().startsWith(keyPrefix)) {
                    sink.accept(record);
                }
            }
        }

        @Override
        public void close() {
            consumers.values().forEach(KafkaConsumer::close);
        }
    }
}
