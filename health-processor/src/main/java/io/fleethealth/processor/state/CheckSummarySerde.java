package io.fleethealth.processor.state;

import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthStatus;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The check history's value serde, written once per processed check: a version byte ({@value #VERSION}),
 * the probe time as epoch seconds (8 bytes) and nanos (4), the response time (8), then the status and the
 * error category by name (1-byte length each, 0 for null). Bytes starting with {@code '{'} are the JSON of
 * earlier processors and are still read; any other version fails with its number.
 */
public final class CheckSummarySerde implements Serde<CheckSummary> {

    static final byte VERSION = 1;
    private static final byte LEGACY_JSON = '{';
    private static final int FIXED = 1 + 8 + 4 + 8 + 1 + 1;

    private final Deserializer<CheckSummary> legacyJson = new JsonSerde<>(CheckSummary.class).deserializer();

    @Override
    public Serializer<CheckSummary> serializer() {
        return (topic, check) -> check == null ? null : encode(check);
    }

    @Override
    public Deserializer<CheckSummary> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == LEGACY_JSON) {
                return legacyJson.deserialize(topic, bytes);
            }
            return decode(topic, bytes);
        };
    }

    static byte[] encode(CheckSummary check) {
        byte[] status = name(check.status());
        byte[] category = name(check.errorCategory());
        ByteBuffer out = ByteBuffer.allocate(FIXED + status.length + category.length)
                .put(VERSION)
                .putLong(check.time().getEpochSecond())
                .putInt(check.time().getNano())
                .putDouble(check.responseTimeMs());
        out.put((byte) status.length).put(status);
        out.put((byte) category.length).put(category);
        return out.array();
    }

    private static CheckSummary decode(String topic, byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != VERSION) {
            throw new SerializationException("cannot read a check summary from " + topic + ": format version "
                    + (bytes.length == 0 ? "missing" : String.valueOf(bytes[0] & 0xFF)) + ", known " + VERSION + " and JSON");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            Instant time = Instant.ofEpochSecond(in.getLong(), in.getInt());
            double responseTimeMs = in.getDouble();
            String status = string(in);
            String category = string(in);
            return new CheckSummary(time, status == null ? null : HealthStatus.valueOf(status),
                    category == null ? null : ErrorCategory.valueOf(category), responseTimeMs);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("cannot read a check summary from " + topic + ": corrupt ("
                    + bytes.length + " bytes)", e);
        }
    }

    private static byte[] name(Enum<?> value) {
        return value == null ? new byte[0] : value.name().getBytes(StandardCharsets.US_ASCII);
    }

    private static String string(ByteBuffer in) {
        int length = in.get() & 0xFF;
        if (length == 0) {
            return null;
        }
        byte[] ascii = new byte[length];
        in.get(ascii);
        return new String(ascii, StandardCharsets.US_ASCII);
    }
}
