package io.fleethealth.serde;

import io.fleethealth.topics.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes the values of one topic in the Confluent wire format. The writer schema is the generated class's
 * schema; it is registered under the topic's value subject on first use, and its id kept from then on.
 * Thread-safe: the datum writer keeps no state between records.
 */
final class AvroValueSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final Topic<T> topic;
    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final DatumWriter<T> writer;
    private volatile Integer schemaId;

    AvroValueSerializer(Topic<T> topic, SchemaRegistryClient registry) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.registry = Objects.requireNonNull(registry, "registry");
        SpecificData model = SpecificData.getForClass(topic.valueType());
        this.schema = model.getSchema(topic.valueType());
        this.writer = new SpecificDatumWriter<>(schema, model);
    }

    @Override
    public byte[] serialize(String topicName, T value) {
        if (value == null) {
            return null; // a tombstone stays a tombstone
        }
        if (value.getSchema() != schema && !value.getSchema().equals(schema)) {
            throw new SerializationException("Cannot serialize a value for topic " + topicName + ": it is a "
                    + value.getSchema().getFullName() + " but the topic " + topic.name() + " holds "
                    + schema.getFullName());
        }
        int id = schemaId();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] header = new byte[WireFormat.HEADER_SIZE];
        WireFormat.writeHeader(header, id);
        out.writeBytes(header);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            // typically a null in a field that is not nullable
            throw new SerializationException("Cannot serialize a " + schema.getName() + " for topic " + topicName
                    + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private int schemaId() {
        Integer id = schemaId;
        if (id == null) {
            id = register();
            schemaId = id;
        }
        return id;
    }

    private int register() {
        try {
            return registry.register(topic.valueSubject(), schema);
        } catch (SchemaRegistryException e) {
            if (e.isRetriable()) {
                throw e; // the registry is away, the value is fine: let the caller retry or fail, not discard
            }
            throw new SerializationException("Cannot serialize values for topic " + topic.name() + ": "
                    + e.getMessage(), e);
        }
    }
}
