package io.fleethealth.localstack;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    @TempDir
    Path tmp;

    @Test
    void shouldFailWithOneClearExceptionWhenTheDataDirIsUnusable() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("a-file"), "occupied");

        assertThatThrownBy(() -> EmbeddedKafka.start(notADirectory))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Embedded Kafka failed to start in " + notADirectory);
    }
}
