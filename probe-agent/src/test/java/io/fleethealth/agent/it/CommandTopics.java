package io.fleethealth.agent.it;

import static org.awaitility.Awaitility.await;

import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The tests' side of the command topics on the test bed: produces commands as the processor would (registry serde,
 * keyed by session id) and reads outcomes and audit events back. Used from the test thread only.
 */
final class CommandTopics implements AutoCloseable {

    private final TestBed bed;
    private final KafkaProducer<String, RestartCommand> producer;
    private final KafkaConsumer<String, RestartOutcome> outcomeReader;
    private final KafkaConsumer<String, AuditEvent> auditReader;
    private final Admin admin;
    private final List<RestartOutcome> outcomes = new ArrayList<>();
    private final List<AuditEvent> audits = new ArrayList<>();

    CommandTopics(TestBed bed) {
        this.bed = bed;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), bed.serdes().valueSerializer(Topics.RESTART_COMMANDS));
        this.outcomeReader = new KafkaConsumer<>(readerProps("outcomes"), new StringDeserializer(),
                bed.serdes().valueDeserializer(Topics.RESTART_OUTCOMES));
        outcomeReader.subscribe(List.of(Topics.RESTART_OUTCOMES.name()));
        this.auditReader = new KafkaConsumer<>(readerProps("audit"), new StringDeserializer(),
                bed.serdes().valueDeserializer(Topics.AUDIT));
        auditReader.subscribe(List.of(Topics.AUDIT.name()));
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        this.admin = Admin.create(a);
    }

    private Properties readerProps(String purpose) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, bed.uniqueGroupId("agent-commands-it-" + purpose));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    void send(RestartCommand command) {
        try {
            producer.send(new ProducerRecord<>(Topics.RESTART_COMMANDS.name(), command.getSessionId(), command))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not produce command " + command.getCommandId(), e);
        }
    }

    RestartOutcome awaitOutcome(String commandId, int nth) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            outcomeReader.poll(Duration.ofMillis(200)).forEach(r -> outcomes.add(r.value()));
            return outcomesOf(commandId).size() >= nth;
        });
        return outcomesOf(commandId).get(nth - 1);
    }

    RestartOutcome awaitOutcome(String commandId) {
        return awaitOutcome(commandId, 1);
    }

    /** Outcomes of the command seen so far (call after awaiting a later command of the same session). */
    List<RestartOutcome> outcomesOf(String commandId) {
        return outcomes.stream().filter(o -> o.getCommandId().equals(commandId)).toList();
    }

    AuditEvent awaitAudit(String eventId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            auditReader.poll(Duration.ofMillis(200)).forEach(r -> audits.add(r.value()));
            return audits.stream().anyMatch(a -> a.getEventId().equals(eventId));
        });
        return audits.stream().filter(a -> a.getEventId().equals(eventId)).findFirst().orElseThrow();
    }

    /** The group's committed offset per partition of the commands topic (0 where it never committed). */
    Map<TopicPartition, Long> committed(String groupId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        return partitions().stream().collect(Collectors.toMap(tp -> tp,
                tp -> Optional.ofNullable(offsets.get(tp)).map(OffsetAndMetadata::offset).orElse(0L)));
    }

    Map<TopicPartition, Long> endOffsets() {
        return outcomeReaderEndOffsets(partitions());
    }

    private Map<TopicPartition, Long> outcomeReaderEndOffsets(Set<TopicPartition> partitions) {
        return outcomeReader.endOffsets(partitions);
    }

    private Set<TopicPartition> partitions() {
        List<PartitionInfo> infos = producer.partitionsFor(Topics.RESTART_COMMANDS.name());
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        producer.close();
        outcomeReader.close();
        auditReader.close();
        admin.close();
    }
}
