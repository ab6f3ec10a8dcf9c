package io.fleethealth.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: an in-process Kafka broker, the schema registry as a child process and every topic of
 * the catalogue. Closing stops them in reverse order.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private final EmbeddedKafka kafka;
    private final ApicurioRegistry registry;

    private LocalStack(EmbeddedKafka kafka, ApicurioRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /**
     * Starts a fresh stack in {@code settings.workDir()}. Earlier broker data is deleted first: the registry
     * keeps its schemas in memory, so old records would carry schema ids the new registry does not know.
     */
    public static LocalStack start(LocalStackSettings settings) {
        return start(settings.workDir(), settings.topicPartitions());
    }

    public static LocalStack start(Path workDir, int topicPartitions) {
        Path kafkaDir = workDir.resolve("kafka");
        deleteRecursively(kafkaDir);
        EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir);
        ApicurioRegistry registry = null;
        try {
            registry = ApicurioRegistry.start(workDir.resolve("registry"));
            provisionTopics(kafka.bootstrapServers(), topicPartitions);
            log.info("Local stack ready: Kafka {}, schema registry {}", kafka.bootstrapServers(), registry.ccompatUrl());
            return new LocalStack(kafka, registry);
        } catch (RuntimeException | Error e) {
            // Stop what started, whatever failed: a leaked broker would hold its folder and ports.
            if (registry != null) {
                registry.close();
            }
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Confluent-compatible registry root, e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public URI registryUrl() {
        return registry.ccompatUrl();
    }

    /** Restarts the broker on the same address and data (see {@link EmbeddedKafka#restart}). */
    public void restartBroker(java.time.Duration down) throws InterruptedException {
        kafka.restart(down);
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }

    private static void provisionTopics(String bootstrapServers, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicProvisioner(admin, partitions, TopicProvisioner.DEFAULT_REPLICATION_FACTOR).provisionAll();
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }
}
