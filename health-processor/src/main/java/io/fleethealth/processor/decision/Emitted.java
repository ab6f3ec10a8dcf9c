package io.fleethealth.processor.decision;

import io.fleethealth.topics.Topic;
import java.time.Instant;
import java.util.Objects;

/**
 * One record the decision asks the shell to produce.
 *
 * @param topic     where it goes
 * @param key       record key: the session id, or the host id for host alerts
 * @param value     the Avro value; null only for the session-status tombstone of an ended session
 * @param timestamp record timestamp: the event time of the decision, so a replay stamps the same times
 * @param <V>       value type of the topic
 */
public record Emitted<V>(Topic<V> topic, String key, V value, Instant timestamp) {

    public Emitted {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** A null value on a compacted topic: the session is gone. */
    public boolean tombstone() {
        return value == null;
    }
}
