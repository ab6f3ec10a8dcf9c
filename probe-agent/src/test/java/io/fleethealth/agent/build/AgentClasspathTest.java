package io.fleethealth.agent.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent runs on every Docker host and must stay small: Kafka Streams and RocksDB (a 72 MB jar with native
 * libraries) belong to the processor. Checked on the agent's real run-time class path (written by the build, see
 * the pom), not on this test's, which also holds the test-only embedded broker.
 */
class AgentClasspathTest {

    private static final Path RUNTIME_CLASSPATH = Path.of("target/agent-runtime.classpath");
    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void shouldNotShipKafkaStreamsOrRocksDb() throws IOException {
        List<String> entries = runtimeEntries();

        assertThat(entries).as("the agent's run-time class path").isNotEmpty()
                .noneMatch(entry -> fileName(entry).startsWith("kafka-streams"))
                .noneMatch(entry -> fileName(entry).startsWith("rocksdbjni"));
    }

    @Test
    void shouldNotLoadKafkaStreamsOrRocksDbClasses() throws Exception {
        try (URLClassLoader agent = agentClassLoader()) {
            // The control: the same loader finds the agent and the Kafka client it does need.
            assertThat(Class.forName("io.fleethealth.agent.ProbeAgent", false, agent)).isNotNull();
            assertThat(Class.forName("org.apache.kafka.clients.producer.KafkaProducer", false, agent)).isNotNull();

            assertThatThrownBy(() -> Class.forName("org.apache.kafka.streams.KafkaStreams", false, agent))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> Class.forName("org.rocksdb.RocksDB", false, agent))
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }

    /** One logging configuration per runnable: the agent's own, no jar's logback.xml beside it. */
    @Test
    void shouldCarryOneLoggingConfigurationItsOwn() throws IOException {
        try (URLClassLoader agent = agentClassLoader()) {
            assertThat(Collections.list(agent.getResources("logback.xml"))).isEmpty();
            assertThat(Collections.list(agent.getResources("logback-test.xml"))).isEmpty();
            assertThat(Collections.list(agent.getResources("probe-agent-logback.xml"))).hasSize(1);
        }
    }

    private static URLClassLoader agentClassLoader() throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(toUrl(CLASSES.toAbsolutePath().toString()));
        for (String entry : runtimeEntries()) {
            urls.add(toUrl(entry));
        }
        // The platform loader as parent: nothing from this test's own class path leaks in.
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    private static List<String> runtimeEntries() throws IOException {
        assertThat(RUNTIME_CLASSPATH).as("written by the build (mvn ... verify -pl probe-agent -am)").exists();
        String text = Files.readString(RUNTIME_CLASSPATH).trim();
        return text.isEmpty() ? List.of() : Arrays.asList(text.split(File.pathSeparator));
    }

    private static String fileName(String entry) {
        return Path.of(entry).getFileName().toString();
    }

    private static URL toUrl(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }
}
