package io.fleethealth.cli.source;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a time range of fleet topics from Kafka, one {@link RecordStream} per partition, all fed by one
 * consumer without a group (assign, never subscribe: nothing is committed, no live group is touched).
 * The range's bounds come from {@code offsetsForTimes}; the end is also capped by the end offsets seen at
 * start, so a busy topic never keeps the command running. Only committed records are read.
 */
public final class KafkaSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaSource.class);
    private static final int PAUSE_ABOVE = 5_000;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    private final KafkaConsumer<String, byte[]> consumer;
    private final EventSerdes serdes;
    private final Map<TopicPartition, PartitionSpan> spans = new HashMap<>();
    private final Map<TopicPartition, Topic<?>> topics = new HashMap<>();
    private final Map<TopicPartition, ArrayDeque<HistoryRecord<?>>> queues = new HashMap<>();
    private final Set<TopicPartition> reachedEnd = new HashSet<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private long undecodable;

    public KafkaSource(KafkaClientSettings kafka, EventSerdes serdes, Collection<? extends Topic<?>> wanted,
                       TimeRange range) {
        this.serdes = serdes;
        Properties props = kafka.asProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "fleet-health-cli");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            for (Topic<?> topic : wanted) {
                for (PartitionSpan span : resolve(topic, range)) {
                    spans.put(span.partition(), span);
                    topics.put(span.partition(), topic);
                    queues.put(span.partition(), new ArrayDeque<>());
                    if (span.size() == 0) {
                        reachedEnd.add(span.partition());
                    }
                }
            }
            List<TopicPartition> toRead = spans.values().stream().filter(s -> s.size() > 0)
                    .map(PartitionSpan::partition).toList();
            consumer.assign(toRead);
            toRead.forEach(tp -> consumer.seek(tp, spans.get(tp).start()));
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    private List<PartitionSpan> resolve(Topic<?> topic, TimeRange range) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("Topic " + topic.name() + " does not exist on the cluster");
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(at(partitions, range.from()));
        Map<TopicPartition, OffsetAndTimestamp> stops = consumer.offsetsForTimes(at(partitions, range.to()));
        List<PartitionSpan> result = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            long end = ends.get(tp);
            OffsetAndTimestamp startAt = starts.get(tp);
            OffsetAndTimestamp stopAt = stops.get(tp);
            long start = startAt == null ? end : Math.min(startAt.offset(), end);
            long stop = stopAt == null ? end : Math.min(stopAt.offset(), end);
            result.add(new PartitionSpan(tp, start, Math.max(start, stop)));
        }
        return result;
    }

    private static Map<TopicPartition, Long> at(List<TopicPartition> partitions, Instant time) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, time.toEpochMilli()));
        return query;
    }

    /** The spans of a topic, by partition number. */
    public List<PartitionSpan> spans(Topic<?> topic) {
        return spans.values().stream().filter(s -> s.partition().topic().equals(topic.name()))
                .sorted(Comparator.comparingInt(s -> s.partition().partition())).toList();
    }

    /** How many records the range holds at most (transaction markers and gaps make it fewer). */
    public long expectedRecords() {
        return spans.values().stream().mapToLong(PartitionSpan::size).sum();
    }

    /** Records skipped because their bytes were not a value of the topic's schema. */
    public long undecodable() {
        return undecodable;
    }

    /** One stream per partition of the topic; they share this source's consumer. */
    public List<RecordStream> partitions(Topic<?> topic) {
        return spans(topic).stream().map(s -> (RecordStream) new PartitionStream(s.partition())).toList();
    }

    private boolean fill(TopicPartition tp) {
        ArrayDeque<HistoryRecord<?>> queue = queues.get(tp);
        Instant stalledSince = Instant.now();
        while (queue.isEmpty() && !reachedEnd.contains(tp)) {
            resumeIfDrained();
            int before = totalQueued();
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                accept(record);
            }
            updateEnds();
            if (totalQueued() > before || reachedEnd.contains(tp)) {
                stalledSince = Instant.now();
            } else if (Duration.between(stalledSince, Instant.now()).compareTo(STALL_LIMIT) > 0) {
                throw new IllegalStateException("No record of " + tp + " for " + STALL_LIMIT.toSeconds()
                        + " s: position " + consumer.position(tp) + ", expected to read up to " + spans.get(tp).end());
            }
        }
        return !queue.isEmpty();
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionSpan span = spans.get(tp);
        if (span == null || record.offset() >= span.end()) {
            return;
        }
        Topic<?> topic = topics.get(tp);
        Object value = null;
        if (record.value() != null) {
            try {
                value = decode(topic, record);
            } catch (SerializationException | IllegalArgumentException e) {
                undecodable++;
                log.warn("[{}] skipping undecodable record {}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
                return;
            }
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        HistoryRecord<?> history = new HistoryRecord(topic, record.key(), Instant.ofEpochMilli(record.timestamp()),
                record.partition(), record.offset(), value);
        ArrayDeque<HistoryRecord<?>> queue = queues.get(tp);
        queue.add(history);
        if (queue.size() > PAUSE_ABOVE && paused.add(tp)) {
            consumer.pause(List.of(tp));
        }
    }

    @SuppressWarnings("unchecked")
    private Object decode(Topic<?> topic, ConsumerRecord<String, byte[]> record) {
        Deserializer<?> values = serdes.valueDeserializer((Topic<? extends SpecificRecord>) topic);
        return values.deserialize(record.topic(), record.headers(), record.value());
    }

    /** A partition whose position passed its end is done; it is no longer fetched. */
    private void updateEnds() {
        List<TopicPartition> done = new ArrayList<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (!reachedEnd.contains(tp) && consumer.position(tp) >= spans.get(tp).end()) {
                reachedEnd.add(tp);
                done.add(tp);
            }
        }
        if (!done.isEmpty()) {
            consumer.pause(done);
            paused.addAll(done);
        }
    }

    private void resumeIfDrained() {
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition tp : paused) {
            if (!reachedEnd.contains(tp) && queues.get(tp).size() < PAUSE_ABOVE / 5) {
                resume.add(tp);
            }
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
            resume.forEach(paused::remove);
        }
    }

    private int totalQueued() {
        int n = 0;
        for (ArrayDeque<HistoryRecord<?>> queue : queues.values()) {
            n += queue.size();
        }
        return n;
    }

    @Override
    public void close() {
        consumer.close();
    }

    /** The records of one partition, pulled from the shared consumer on demand. */
    private final class PartitionStream implements RecordStream {
        private final TopicPartition tp;

        PartitionStream(TopicPartition tp) {
            this.tp = tp;
        }

        @Override
        public boolean hasNext() {
            return fill(tp);
        }

        @Override
        public HistoryRecord<?> next() {
            if (!hasNext()) {
                throw new NoSuchElementException(tp + " is read to its end");
            }
            return queues.get(tp).poll();
        }

        @Override
        public void close() {
            // the consumer belongs to the source
        }
    }
}
