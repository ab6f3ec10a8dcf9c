package io.fleethealth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the agent's image and distribution carry: the jars `mvn package` copies to target/lib. An agent runs on
 * every Docker host; it needs Kafka's client, not Kafka Streams and its RocksDB native library.
 */
class AgentRuntimeLibIT {

    @Test
    void shouldShipTheKafkaClientWithoutKafkaStreamsOrRocksDb() throws IOException {
        Path lib = Path.of("target", "lib");
        List<String> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.map(p -> p.getFileName().toString()).toList();
        }

        assertThat(jars).anyMatch(j -> j.startsWith("kafka-clients-"))
                .anyMatch(j -> j.startsWith("docker-java-core-"))
                .noneMatch(j -> j.startsWith("kafka-streams"))
                .noneMatch(j -> j.startsWith("rocksdbjni"));
    }
}
