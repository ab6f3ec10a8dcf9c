package io.fleethealth.serde;

import io.fleethealth.topics.Topic;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the values of one topic from the Confluent wire format into the generated class. The writer schema
 * is looked up by the id in the header and resolved against the class's schema, so a record written with an
 * older or newer compatible schema reads fine (missing fields take their defaults, unknown ones are skipped).
 *
 * <p>A record that cannot be read (bad header, unknown schema id, incompatible schema, corrupt payload)
 * throws {@link SerializationException}: it will never be readable, and a deserialization handler may
 * route it to the dead letter topic. A registry that cannot be reached throws a retriable
 * {@link SchemaRegistryException} instead, because the record itself is fine.
 */
final class AvroValueDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final Topic<T> topic;
    private final SchemaRegistryClient registry;
    private final SpecificData model;
    private final Schema readerSchema;
    private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    AvroValueDeserializer(Topic<T> topic, SchemaRegistryClient registry) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.model = SpecificData.getForClass(topic.valueType());
        this.readerSchema = model.getSchema(topic.valueType());
        requireTrusted(topic.valueType());
    }

    @Override
    public T deserialize(String topicName, byte[] data) {
        if (data == null) {
            return null; // tombstone
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw unreadable(topicName, data.length + " bytes is too short for the Confluent wire format"
                    + " (magic byte, 4-byte schema id, Avro payload)", null);
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw unreadable(topicName, String.format("unknown magic byte 0x%02x (expected 0x00):"
                    + " the value was not written in the Confluent wire format", data[0]), null);
        }
        int writerId = WireFormat.readSchemaId(data);
        DatumReader<T> reader = readerFor(topicName, writerId);
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw unreadable(topicName, "corrupt Avro payload for writer schema id " + writerId + ": " + e, e);
        }
        if (!isAtEnd(decoder)) {
            throw unreadable(topicName, "corrupt Avro payload for writer schema id " + writerId
                    + ": bytes are left over after the record", null);
        }
        return value;
    }

    private DatumReader<T> readerFor(String topicName, int writerId) {
        DatumReader<T> reader = readersByWriterId.get(writerId);
        if (reader == null) {
            reader = newReader(topicName, writerId);
            readersByWriterId.putIfAbsent(writerId, reader);
        }
        return reader;
    }

    private DatumReader<T> newReader(String topicName, int writerId) {
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(writerId);
        } catch (SchemaRegistryException e) {
            if (e.isRetriable()) {
                throw e;
            }
            throw unreadable(topicName, "writer schema id " + writerId + " cannot be fetched: " + e.getMessage(), e);
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            String problems = compatibility.getResult().getIncompatibilities().stream()
                    .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                    .collect(Collectors.joining("; "));
            throw unreadable(topicName, "writer schema id " + writerId + " (" + writerSchema.getFullName()
                    + ") cannot be read as " + readerSchema.getFullName() + ": " + problems, null);
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema, model);
    }

    private static boolean isAtEnd(BinaryDecoder decoder) {
        try {
            return decoder.isEnd();
        } catch (IOException e) {
            return false;
        }
    }

    private SerializationException unreadable(String topicName, String reason, Throwable cause) {
        return new SerializationException("Cannot deserialize a " + readerSchema.getName() + " from topic "
                + topicName + ": " + reason, cause);
    }

    /** Avro 1.12 refuses to instantiate untrusted classes; say so once, here, rather than on every record. */
    private static void requireTrusted(Class<?> valueType) {
        try {
            ClassSecurityValidator.validate(valueType);
        } catch (SecurityException e) {
            throw new IllegalStateException("Avro does not trust " + valueType.getName()
                    + ": start the JVM with -Dorg.apache.avro.SERIALIZABLE_PACKAGES="
                    + valueType.getPackageName() + " (or install a ClassSecurityValidator that allows it)", e);
        }
    }
}
