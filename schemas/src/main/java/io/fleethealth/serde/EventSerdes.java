package io.fleethealth.serde;

import io.fleethealth.topics.Topic;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Registry-backed value serdes for the fleet's topics, in the Confluent wire format. Keys are plain UTF-8
 * strings ({@code Serdes.String()}). One serializer and one deserializer per topic is shared by every
 * caller, so the schema id and the datum readers are looked up once per process.
 *
 * <p>Values are registered under the subject of the topic descriptor ({@code <topic>-value}) whatever topic
 * name Kafka passes in, so that internal topics of Kafka Streams (changelogs, repartitions) reuse the
 * topic's schema id instead of growing subjects of their own.
 */
public final class EventSerdes {

    private final SchemaRegistryClient registry;
    private final Map<Topic<?>, Serializer<?>> serializers = new ConcurrentHashMap<>();
    private final Map<Topic<?>, Deserializer<?>> deserializers = new ConcurrentHashMap<>();

    public EventSerdes(SchemaRegistryClient client) {
        this.registry = Objects.requireNonNull(client, "client");
    }

    public <T extends SpecificRecord> Serde<T> valueSerde(Topic<T> topic) {
        return Serdes.serdeFrom(valueSerializer(topic), valueDeserializer(topic));
    }

    @SuppressWarnings("unchecked") // the map holds, per topic, a serializer built for that topic's value type
    public <T extends SpecificRecord> Serializer<T> valueSerializer(Topic<T> topic) {
        Objects.requireNonNull(topic, "topic");
        return (Serializer<T>) serializers.computeIfAbsent(topic, t -> new AvroValueSerializer<>(topic, registry));
    }

    @SuppressWarnings("unchecked") // as above
    public <T extends SpecificRecord> Deserializer<T> valueDeserializer(Topic<T> topic) {
        Objects.requireNonNull(topic, "topic");
        return (Deserializer<T>) deserializers.computeIfAbsent(topic,
                t -> new AvroValueDeserializer<>(topic, registry));
    }
}
