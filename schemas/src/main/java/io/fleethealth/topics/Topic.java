package io.fleethealth.topics;

import java.time.Duration;
import java.util.Objects;

/**
 * A topic of the fleet: its name with the type of its values and how the broker keeps it.
 * Serdes are bound to a topic elsewhere (they need a registry), but always through this descriptor,
 * so that a name and its value type never drift apart.
 *
 * @param name       topic name
 * @param valueType  Avro class of the values, or {@code byte[]} for raw topics such as the dead letters
 * @param keyedBy    what the record key holds (session id or host id)
 * @param compacted  whether the topic is compacted (latest value per key) instead of deleted by time
 * @param retention  how long records are kept; ignored for compacted topics
 */
public record Topic<V>(String name, Class<V> valueType, String keyedBy, boolean compacted, Duration retention) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(keyedBy, "keyedBy");
        Objects.requireNonNull(retention, "retention");
    }

    /** Confluent subject of the value schema: {@code <topic>-value}. */
    public String valueSubject() {
        return name + "-value";
    }

    /** Confluent subject of the key schema: {@code <topic>-key}. */
    public String keySubject() {
        return name + "-key";
    }
}
