package io.fleethealth.processor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The alert feed on the real broker commits only what its delivery took: a processor that stops while the
 * receiver is down leaves the undelivered alerts to its successor in the group instead of losing them.
 */
class AlertFeedIT {

    @Test
    void shouldHandTheUndeliveredAlertsOfAStoppedFeedToItsSuccessor() throws Exception {
        TestBed bed = TestBed.shared();
        String group = bed.uniqueGroupId("alert-feed-it");
        String marker = bed.uniqueId("feed");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers()))) {
            startGroupAtTheEnd(admin, group);

            List<HealthAlert> seenByFirst = new CopyOnWriteArrayList<>();
            AtomicBoolean receiverDown = new AtomicBoolean(true);
            AlertFeed first = new AlertFeed(KafkaClientSettings.plaintext(bed.bootstrapServers()), group, bed.serdes(), alert -> { }, alerts -> {
                seenByFirst.addAll(ours(alerts, marker));
                return !receiverDown.get();
            });
            first.start();
            produce(bed, marker, 3);
            await().atMost(Duration.ofSeconds(60)).until(() -> seenByFirst.size() >= 6); // offered, refused, offered again
            first.close();
            assertThat(committed(admin, group)).as("nothing committed while the receiver was down")
                    .allSatisfy((partition, offset) -> assertThat(offset).isEqualTo(0L));

            List<HealthAlert> delivered = new CopyOnWriteArrayList<>();
            AlertFeed second = new AlertFeed(KafkaClientSettings.plaintext(bed.bootstrapServers()), group, bed.serdes(), alert -> { }, alerts -> {
                delivered.addAll(ours(alerts, marker));
                return true;
            });
            second.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() >= 3);
                assertThat(delivered).extracting(HealthAlert::getFingerprint)
                        .containsExactlyInAnyOrder(marker + "-0", marker + "-1", marker + "-2");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(committed(admin, group).values().stream().mapToLong(Long::longValue).sum())
                                .as("committed once delivered").isGreaterThanOrEqualTo(3L));
            } finally {
                second.close();
            }
        }
    }

    private static List<HealthAlert> ours(List<HealthAlert> alerts, String marker) {
        return alerts.stream().filter(a -> a.getFingerprint().startsWith(marker)).toList();
    }

    /** The group's offsets set to the topic's current end, so that it reads exactly what the test produces next. */
    private static void startGroupAtTheEnd(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        int partitions = admin.describeTopics(List.of(Topics.ALERTS.name())).allTopicNames().get()
                .get(Topics.ALERTS.name()).partitions().size();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(Topics.ALERTS.name(), p), OffsetSpec.latest());
        }
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> start.put(tp, new OffsetAndMetadata(info.offset())));
        admin.alterConsumerGroupOffsets(group, start).all().get();
        BASE.clear();
        start.forEach((tp, offset) -> BASE.put(tp, offset.offset()));
    }

    private static final Map<TopicPartition, Long> BASE = new HashMap<>();

    /** Committed offsets relative to where the group started. */
    private static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .forEach((tp, offset) -> out.put(tp, offset.offset() - BASE.getOrDefault(tp, 0L)));
        return out;
    }

    private static void produce(TestBed bed, String marker, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        try (KafkaProducer<String, HealthAlert> producer = new KafkaProducer<>(props, new StringSerializer(),
                bed.serdes().valueSerializer(Topics.ALERTS))) {
            for (int i = 0; i < count; i++) {
                HealthAlert alert = HealthAlert.newBuilder()
                        .setFingerprint(marker + "-" + i).setStatus(AlertStatus.FIRING)
                        .setLabels(Map.of("alertname", "SessionFailed", "session_id", marker + "-" + i))
                        .setAnnotations(Map.of("summary", "test"))
                        .setStartsAt(Instant.now()).setEndsAt(null).setGeneratorUrl(null).build();
                producer.send(new ProducerRecord<>(Topics.ALERTS.name(), marker + "-" + i, alert)).get();
            }
        }
    }
}
