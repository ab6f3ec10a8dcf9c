package io.fleethealth.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

    private static final String TOPIC = "persistence-probe";

    @Test
    void shouldKeepRecordsWhenRestartedOnTheSameDataDir() throws Exception {
        Path dir = Path.of(System.getProperty("fleet.test.dir", "target/test-bed"))
                .resolve("embedded-restart-" + UUID.randomUUID());
        String firstAddress;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            firstAddress = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(TOPIC, "session-1", "before restart")).get(30, TimeUnit.SECONDS);
            }
        }

        try (EmbeddedKafka restarted = EmbeddedKafka.start(dir);
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                     Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, restarted.bootstrapServers()),
                     new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });

            assertThat(restarted.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("session-1");
                assertThat(record.value()).isEqualTo("before restart");
            });
        }
        assertThat(firstAddress).startsWith("127.0.0.1:");
    }
}
