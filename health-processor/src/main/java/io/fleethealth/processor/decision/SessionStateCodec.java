package io.fleethealth.processor.decision;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;

/**
 * Session state to and from bytes (UTF-8 JSON) for the state store. Instants are ISO-8601 text, lossless.
 * Unknown fields are ignored and missing ones take their empty value, so a newer processor can read the
 * state an older one wrote. Thread-safe.
 */
public final class SessionStateCodec {

    private final ObjectMapper mapper;

    public SessionStateCodec() {
        SimpleModule instants = new SimpleModule("instants")
                .addSerializer(Instant.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
                            throws IOException {
                        gen.writeString(value.toString());
                    }
                })
                .addDeserializer(Instant.class, new JsonDeserializer<>() {
                    @Override
                    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                        return Instant.parse(parser.getValueAsString());
                    }
                });
        this.mapper = new ObjectMapper()
                .registerModule(instants)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    public byte[] encode(SessionState state) {
        try {
            return mapper.writeValueAsBytes(state);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode the state of session " + state.sessionId(), e);
        }
    }

    /** Reads a stored state; throws {@link IllegalArgumentException} for bytes that are not a session state. */
    public SessionState decode(byte[] bytes) {
        try {
            return mapper.readValue(bytes, SessionState.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("Stored bytes are not a session state", e);
        }
    }
}
