package io.fleethealth.processor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.localstack.EmbeddedKafkaCluster;
import io.fleethealth.localstack.TopicProvisioner;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.decision.DecisionCounter;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.SampleEvents;
import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The processor on a three-node cluster (replication factor 3, min.insync.replicas 2) loses the leader of the checks
 * topic's first partition in the middle of a stream of checks. Every check stays readable, every failing session
 * gets exactly one restart command at an agent's read_committed consumer (none lost, none twice), and the outcomes
 * sent after the loss are all decided on.
 */
class BrokerLossIT {

    private static final int FAILING = 24;
    private static final int HEALTHY = 8;
    private static final int KILL_AT_ROUND = 10;
    /**
     * On Kafka 4.4 (transactions v2) the new leader of a partition can refuse the open transaction's next batch with
     * OUT_OF_ORDER_SEQUENCE_NUMBER, which the producer retries until delivery.timeout.ms (120 s by default); then
     * Streams aborts and redoes the work from the last commit. docs/operations.md advises these two settings for a
     * multi-broker cluster; with them the stall lasts about 20 s.
     */
    private static final Map<String, String> STALLED_TRANSACTION_LIMIT = Map.of(
            "KAFKA_DELIVERY_TIMEOUT_MS", "20000", "KAFKA_REQUEST_TIMEOUT_MS", "10000");

    @Test
    void shouldLoseNothingAndDuplicateNothingWhenOneOfThreeBrokersDiesMidRun() throws Exception {
        TestBed bed = TestBed.shared(); // the real registry; Kafka is the cluster below
        EventSerdes serdes = bed.serdes();
        String run = bed.uniqueId("broker-loss");
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(bed.dir().resolve(run), 3);
             Admin admin = Admin.create(cluster.adminClientProperties())) {
            new TopicProvisioner(admin, 3, (short) 3).provisionAll();
            assertReplicatedThreeWaysWithMinIsrTwo(admin, Topics.RESTART_COMMANDS.name());

            Map<String, String> env = new HashMap<>();
            env.put("PROCESSOR_APPLICATION_ID", run);
            env.put("PROCESSOR_STATE_DIR", bed.dir().resolve(run).resolve("state").toString());
            env.put("PROCESSOR_HTTP_PORT", Integer.toString(freePort()));
            try (HealthProcessorApp app = new HealthProcessorApp(ProcessorConfig.fromEnv(env),
                    KafkaClientSettings.fromEnv(cluster.bootstrapServers(), STALLED_TRANSACTION_LIMIT), bed.registryClient(),
                    new SimpleMeterRegistry());
                 KafkaProducer<String, byte[]> producer = producer(cluster.bootstrapServers());
                 Reader reader = new Reader(cluster.bootstrapServers(), run, serdes)) {
                app.start();
                assertThat(app.awaitRunning(Duration.ofSeconds(90))).as("Kafka Streams reaches RUNNING").isTrue();

                int victim = leaderOf(admin, Topics.HEALTH_CHECKS.name());
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                Set<String> checkIds = ConcurrentHashMap.newKeySet();
                // Failing session i sends its three failing checks in rounds i, i+1, i+2: about half the sessions
                // cross the threshold before the kill, half after; healthy sessions report every round.
                for (int round = 0; round < FAILING + 2; round++) {
                    if (round == KILL_AT_ROUND) {
                        cluster.kill(victim);
                    }
                    for (int i = 0; i < FAILING; i++) {
                        int index = round - i;
                        if (index >= 0 && index < 3) {
                            String session = run + "-failing-" + i;
                            sent.add(send(producer, serdes, check(session, now.minusSeconds(60 - 30L * index), false), checkIds));
                        }
                    }
                    for (int h = 0; h < HEALTHY; h++) {
                        String session = run + "-healthy-" + h;
                        sent.add(send(producer, serdes, check(session + "-r" + round, session, now.plusMillis(round), true), checkIds));
                    }
                    Thread.sleep(100);
                }
                for (Future<RecordMetadata> ack : sent) {
                    ack.get(120, TimeUnit.SECONDS); // acks=all on two of three replicas: every check is stored
                }

                List<RestartCommand> commands = new CopyOnWriteArrayList<>();
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    reader.poll(Topics.RESTART_COMMANDS, commands::add);
                    assertThat(commands).extracting(RestartCommand::getSessionId).containsAll(failingSessions(run));
                });
                // Outcomes go in on the degraded cluster; each must be decided on exactly once.
                for (RestartCommand command : commands) {
                    send(producer, serdes, Topics.RESTART_OUTCOMES, command.getSessionId(), RestartOutcome.newBuilder()
                            .setCommandId(command.getCommandId()).setSessionId(command.getSessionId())
                            .setHostId(command.getHostId()).setContainerId(command.getContainerId())
                            .setAttempt(command.getAttempt()).setResult(RestartResult.SUCCEEDED)
                            .setExecutedAt(now.plusSeconds(10)).setDurationMs(300).build()).get(120, TimeUnit.SECONDS);
                }
                // Streams does not order records across input topics: let the outcomes land, then the checks that
                // show the containers back, which turn every failing session HEALTHY.
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                        assertThat(app.metrics().count(DecisionCounter.OUTCOME_JOINED)).isGreaterThanOrEqualTo(FAILING));
                for (String session : failingSessions(run)) {
                    send(producer, serdes, check(session + "-after", session, now.plusSeconds(11), true), checkIds)
                            .get(120, TimeUnit.SECONDS);
                }
                Map<String, HealthStatus> lastStatus = new ConcurrentHashMap<>();
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    reader.poll(Topics.SESSION_STATUS, st -> lastStatus.put(st.getSessionId(), st.getStatus()));
                    assertThat(failingSessions(run)).allSatisfy(session ->
                            assertThat(lastStatus.get(session)).isEqualTo(HealthStatus.HEALTHY));
                });
                List<String> storedChecks = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    reader.pollRaw(Topics.HEALTH_CHECKS, r -> storedChecks.add(
                            serdes.valueDeserializer(Topics.HEALTH_CHECKS).deserialize(r.topic(), r.value()).getCheckId()));
                    assertThat(storedChecks).hasSameSizeAs(checkIds);
                });
                // A last poll after the outcomes were decided: a duplicate command would have arrived by now.
                reader.poll(Topics.RESTART_COMMANDS, commands::add);

                assertThat(storedChecks).as("checks stored, each once").containsExactlyInAnyOrderElementsOf(checkIds);
                assertThat(commands).as("one command per failing session, none twice").hasSize(FAILING);
                assertThat(commands).extracting(RestartCommand::getSessionId)
                        .containsExactlyInAnyOrderElementsOf(failingSessions(run));
                assertThat(commands).allSatisfy(c -> assertThat(c.getAttempt()).isEqualTo(1));
            }
        }
    }

    private static void assertReplicatedThreeWaysWithMinIsrTwo(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        assertThat(admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("2");
    }

    private static int leaderOf(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().get(0).leader().id();
    }

    private static List<String> failingSessions(String run) {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < FAILING; i++) {
            sessions.add(run + "-failing-" + i);
        }
        return sessions;
    }

    private static HealthCheckResult check(String session, Instant at, boolean healthy) {
        return check(session + "-" + at.toEpochMilli(), session, at, healthy);
    }

    private static HealthCheckResult check(String checkId, String session, Instant at, boolean healthy) {
        return SampleEvents.check(session, checkId, at, healthy).setHostId("broker-loss-host")
                .setContainerName(session).build();
    }

    private static Future<RecordMetadata> send(KafkaProducer<String, byte[]> producer, EventSerdes serdes,
                                               HealthCheckResult check, Set<String> checkIds) {
        checkIds.add(check.getCheckId());
        return send(producer, serdes, Topics.HEALTH_CHECKS, check.getSessionId(), check);
    }

    private static <T extends SpecificRecord> Future<RecordMetadata> send(KafkaProducer<String, byte[]> producer,
                                                                          EventSerdes serdes, Topic<T> topic,
                                                                          String key, T value) {
        return producer.send(new ProducerRecord<>(topic.name(), key,
                serdes.valueSerializer(topic).serialize(topic.name(), value)));
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** An agent's view: read_committed consumers from the beginning, keeping this run's keys. */
    private static final class Reader implements AutoCloseable {
        private final Map<String, KafkaConsumer<String, byte[]>> consumers = new HashMap<>();
        private final String bootstrapServers;
        private final String run;
        private final EventSerdes serdes;

        Reader(String bootstrapServers, String run, EventSerdes serdes) {
            this.bootstrapServers = bootstrapServers;
            this.run = run;
            this.serdes = serdes;
        }

        <T extends SpecificRecord> void poll(Topic<T> topic, java.util.function.Consumer<T> sink) {
            pollRaw(topic, record -> sink.accept(serdes.valueDeserializer(topic).deserialize(topic.name(), record.value())));
        }

        void pollRaw(Topic<?> topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink) {
            KafkaConsumer<String, byte[]> consumer = consumers.computeIfAbsent(topic.name(), name -> {
                Properties props = new Properties();
                props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                props.put(ConsumerConfig.GROUP_ID_CONFIG, run + "-reader-" + name);
                props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
                c.subscribe(List.of(name));
                return c;
            });
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.key() != null && record.key().startsWith(run) && record.value() != null) {
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
