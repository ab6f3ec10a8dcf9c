package io.fleethealth.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.serde.SchemaRegistryException;
import java.io.IOException;
import java.net.URI;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RegistryTroubleTest {

    private static SchemaRegistryException answer(int status, int code) {
        return new SchemaRegistryException("registry said " + status, status, code, "s", URI.create("http://127.0.0.1:1"),
                null);
    }

    @Test
    void shouldWaitForARegistryThatIsAwayOrOverloaded() {
        assertThat(RegistryTrouble.isTransient(new SerializationException("x", answer(503, SchemaRegistryException.NONE))))
                .isTrue();
        assertThat(RegistryTrouble.isTransient(new SerializationException("x",
                answer(SchemaRegistryException.NONE, SchemaRegistryException.NONE)))).isTrue();
        assertThat(RegistryTrouble.isTransient(new SerializationException("x", answer(429, SchemaRegistryException.NONE))))
                .isTrue();
        assertThat(RegistryTrouble.isTransient(new SerializationException("x", new IOException("connection refused"))))
                .isTrue();
    }

    @Test
    void shouldPassOverBytesThatCanNeverBeDecoded() {
        assertThat(RegistryTrouble.isTransient(new SerializationException("unknown magic byte 0x70"))).isFalse();
        assertThat(RegistryTrouble.isTransient(new SerializationException("x",
                answer(404, SchemaRegistryException.SCHEMA_NOT_FOUND)))).isFalse();
        assertThat(RegistryTrouble.isTransient(new SerializationException("x", answer(422, 42201)))).isFalse();
    }
}
