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
 * the catalogue, all kept in one folder. The registry stores its schemas in a journal topic on the same broker
 * (KafkaSQL), and the ports are remembered in the folder ({@link StackAddresses}): a restart on the same folder
 * comes back on the same addresses with every record still decodable. Closing stops them in reverse order.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private final EmbeddedKafka kafka;
    private final Path workDir;
    private final int registryPort;
    private ApicurioRegistry registry;

    private LocalStack(EmbeddedKafka kafka, ApicurioRegistry registry, Path workDir, int registryPort) {
        this.kafka = kafka;
        this.registry = registry;
        this.workDir = workDir;
        this.registryPort = registryPort;
    }

    /** Starts the stack in {@code settings.workDir()}, keeping what an earlier run left there. */
    public static LocalStack start(LocalStackSettings settings) {
        return start(settings.workDir(), settings.topicPartitions());
    }

    /** Starts the stack in {@code workDir}, keeping the records, schemas and addresses of earlier runs. */
    public static LocalStack start(Path workDir, int topicPartitions) {
        StackAddresses addresses = StackAddresses.loadOrChoose(workDir);
        addresses.checkFree(workDir);
        EmbeddedKafka kafka = EmbeddedKafka.start(workDir.resolve("kafka"), addresses.brokerPort(),
                addresses.controllerPort(), Map.of());
        ApicurioRegistry registry = null;
        try {
            registry = ApicurioRegistry.start(ApicurioRegistry.locateBundle(), workDir.resolve("registry"),
                    ApicurioRegistry.Storage.kafkaSql(kafka.bootstrapServers()), addresses.registryPort());
            provisionTopics(kafka.bootstrapServers(), topicPartitions);
            log.info("Local stack ready: Kafka {}, schema registry {}", kafka.bootstrapServers(), registry.ccompatUrl());
            return new LocalStack(kafka, registry, workDir, addresses.registryPort());
        } catch (RuntimeException | Error e) {
            // Stop what started, whatever failed: a leaked broker would hold its folder and ports.
            if (registry != null) {
                registry.close();
            }
            kafka.close();
            throw e;
        }
    }

    /** Deletes {@code workDir} with everything an earlier run left there, then starts a new stack in it. */
    public static LocalStack startFresh(Path workDir, int topicPartitions) {
        wipe(workDir);
        return start(workDir, topicPartitions);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Confluent-compatible registry root, e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public synchronized URI registryUrl() {
        return registry.ccompatUrl();
    }

    /** Restarts the broker on the same address and data (see {@link EmbeddedKafka#restart}). */
    public void restartBroker(java.time.Duration down) throws InterruptedException {
        kafka.restart(down);
    }

    /**
     * Stops the registry's process, waits {@code down}, and starts it again on the same port and the same journal
     * (fault tests): a registry restart as clients see it. Returns once it answers again.
     */
    public synchronized void restartRegistry(java.time.Duration down) throws InterruptedException {
        registry.close();
        log.info("Schema registry stopped for a restart; down for {}", down);
        Thread.sleep(down.toMillis());
        registry = ApicurioRegistry.start(ApicurioRegistry.locateBundle(), workDir.resolve("registry"),
                ApicurioRegistry.Storage.kafkaSql(kafka.bootstrapServers()), registryPort);
        log.info("Schema registry restarted at {}", registry.ccompatUrl());
    }

    @Override
    public synchronized void close() {
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

    /** Deletes {@code dir} and everything in it (nothing when it does not exist). */
    public static void wipe(Path dir) {
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
