package io.fleethealth.cli.source;

import io.fleethealth.topics.Topic;
import java.time.Instant;
import java.util.Objects;

/**
 * One record of a fleet topic with its Kafka coordinates, as read from the broker or from an export.
 *
 * @param topic     the catalogue topic the record belongs to (an export keeps the live topic's name)
 * @param key       the record key (a session id, or a host id), may be null
 * @param timestamp the record timestamp: the order in which Kafka Streams processed it depends on it
 * @param partition the partition it was read from; -1 for decisions of a replay, which have none
 * @param offset    its offset in the partition; for a replay, its position in the output
 * @param value     the decoded value; null for a tombstone
 * @param <V>       value type of the topic
 */
public record HistoryRecord<V>(Topic<V> topic, String key, Instant timestamp, int partition, long offset, V value) {

    public HistoryRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** The value as the given topic's type, when this record belongs to that topic. */
    @SuppressWarnings("unchecked")
    public <T> HistoryRecord<T> as(Topic<T> expected) {
        if (!topic.equals(expected)) {
            throw new IllegalArgumentException("Record of " + topic.name() + " read as " + expected.name());
        }
        return (HistoryRecord<T>) this;
    }
}
