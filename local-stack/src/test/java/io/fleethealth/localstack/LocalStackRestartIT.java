package io.fleethealth.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.HttpSchemaRegistryClient;
import io.fleethealth.serde.SampleEvents;
import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The embedded stack restarted on its folder, as the main job is: records written before still decode through a
 * fresh client (the registry's schemas live in the broker), the addresses are the same, and a client that kept
 * running through the restart reconnects by itself.
 */
class LocalStackRestartIT {

    private static final int RECORDS = 20;

    private static Path newDir(String name) {
        return Path.of(System.getProperty("fleet.test.dir", "target/test-bed")).resolve(name + "-" + UUID.randomUUID())
                .toAbsolutePath();
    }

    @Test
    void shouldDecodeEveryOldRecordAndKeepItsAddressesWhenTheStackRestarts() throws Exception {
        Path dir = newDir("stack-restart");
        List<HealthCheckResult> written = new ArrayList<>();
        String bootstrap;
        String registryUrl;
        List<Integer> idsBefore;
        LocalStack stack = LocalStack.start(dir, 1);
        TopicPartition partition = new TopicPartition(Topics.HEALTH_CHECKS.name(), 0);
        try (KafkaConsumer<String, byte[]> survivor = rawConsumer(stack.bootstrapServers())) {
            try (stack) {
                bootstrap = stack.bootstrapServers();
                registryUrl = stack.registryUrl().toString();
                EventSerdes serdes = new EventSerdes(new HttpSchemaRegistryClient(stack.registryUrl()));
                for (int i = 0; i < RECORDS; i++) {
                    written.add(SampleEvents.check("restart-" + i, "check-" + i, SampleEvents.T0.plusSeconds(i),
                            i % 2 == 0).build());
                }
                produce(bootstrap, serdes, Topics.HEALTH_CHECKS, written);
                idsBefore = schemaIds(readRaw(bootstrap, Topics.HEALTH_CHECKS.name(), RECORDS));
                // A client that keeps running through the restart, positioned after the first run's records.
                survivor.assign(List.of(partition));
                survivor.seekToEnd(List.of(partition));
                assertThat(survivor.position(partition)).isEqualTo(RECORDS);
            }
            long endBeforeRestart = RECORDS;

            try (LocalStack restarted = LocalStack.start(dir, 1)) {
                assertThat(restarted.bootstrapServers()).isEqualTo(bootstrap);
                assertThat(restarted.registryUrl().toString()).isEqualTo(registryUrl);

                // A fresh client: nothing cached from before the restart.
                EventSerdes fresh = new EventSerdes(new HttpSchemaRegistryClient(restarted.registryUrl()));
                List<ConsumerRecord<String, byte[]>> raw = readRaw(bootstrap, Topics.HEALTH_CHECKS.name(), RECORDS);
                List<HealthCheckResult> readBack = raw.stream()
                        .map(r -> fresh.valueDeserializer(Topics.HEALTH_CHECKS).deserialize(r.topic(), r.value()))
                        .toList();
                assertThat(readBack).containsExactlyElementsOf(written);

                // A schema registered after the restart gets an id of its own, never one an old record names.
                AuditEvent audit = (AuditEvent) SampleEvents.all().stream()
                        .filter(v -> v.topic().equals(Topics.AUDIT)).findFirst().orElseThrow().value();
                produce(bootstrap, fresh, Topics.AUDIT, List.of(audit));
                int auditId = schemaIds(readRaw(bootstrap, Topics.AUDIT.name(), 1)).get(0);
                assertThat(idsBefore).doesNotContain(auditId);

                // The consumer that lived through the restart reads what is written after it.
                HealthCheckResult after = SampleEvents.check("restart-after", "check-after",
                        SampleEvents.T0.plusSeconds(RECORDS), true).build();
                produce(bootstrap, fresh, Topics.HEALTH_CHECKS, List.of(after));
                List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    survivor.poll(Duration.ofMillis(200)).forEach(seen::add);
                    return !seen.isEmpty();
                });
                assertThat(seen).singleElement().satisfies(r -> {
                    assertThat(r.offset()).isEqualTo(endBeforeRestart);
                    assertThat(fresh.valueDeserializer(Topics.HEALTH_CHECKS).deserialize(r.topic(), r.value()))
                            .isEqualTo(after);
                });
            }
        }
    }

    @Test
    void shouldKeepSchemaIdsWhenOnlyTheRegistryRestartsOnTheSameCluster() throws Exception {
        Path dir = newDir("registry-restart");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            ApicurioRegistry.Storage storage = ApicurioRegistry.Storage.kafkaSql(kafka.bootstrapServers());
            List<SpecificRecord> written = new ArrayList<>();
            Map<String, Integer> ids = new java.util.HashMap<>();
            try (ApicurioRegistry registry = ApicurioRegistry.start(ApicurioRegistry.locateBundle(),
                    dir.resolve("registry"), storage, FreePorts.next())) {
                HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(registry.ccompatUrl());
                for (SampleEvents.TopicValue<?> value : SampleEvents.all()) {
                    ids.put(value.topic().name(), register(client, value));
                    written.add(value.value());
                }
            }
            // Another port, as a redeployed registry may get: only the storage carries the ids over.
            try (ApicurioRegistry restarted = ApicurioRegistry.start(ApicurioRegistry.locateBundle(),
                    dir.resolve("registry"), storage, FreePorts.next())) {
                HttpSchemaRegistryClient fresh = new HttpSchemaRegistryClient(restarted.ccompatUrl());
                for (SampleEvents.TopicValue<?> value : SampleEvents.all()) {
                    int id = ids.get(value.topic().name());
                    assertThat(fresh.schemaById(id)).as("schema %d of %s", id, value.topic().name())
                            .isEqualTo(value.value().getSchema());
                }
            }
            assertThat(written).hasSize(SampleEvents.all().size());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                ConfigResource journal = new ConfigResource(ConfigResource.Type.TOPIC, ApicurioRegistry.JOURNAL_TOPIC);
                Config config = admin.describeConfigs(List.of(journal)).all().get(30, TimeUnit.SECONDS).get(journal);
                assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).as("journal retention").isEqualTo("-1");
            }
        }
    }

    private static <T extends SpecificRecord> int register(HttpSchemaRegistryClient client,
                                                           SampleEvents.TopicValue<T> value) {
        byte[] bytes = new EventSerdes(client).valueSerializer(value.topic()).serialize(value.topic().name(), value.value());
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    private static <T extends SpecificRecord> void produce(String bootstrap, EventSerdes serdes, Topic<T> topic,
                                                           List<T> values) throws Exception {
        try (KafkaProducer<String, T> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), serdes.valueSerializer(topic))) {
            for (T value : values) {
                producer.send(new ProducerRecord<>(topic.name(), "key", value)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static KafkaConsumer<String, byte[]> rawConsumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<ConsumerRecord<String, byte[]>> readRaw(String bootstrap, String topic, int count) {
        try (KafkaConsumer<String, byte[]> consumer = rawConsumer(bootstrap)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
            return records;
        }
    }

    private static List<Integer> schemaIds(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> ByteBuffer.wrap(r.value(), 1, 4).getInt()).distinct().toList();
    }
}
