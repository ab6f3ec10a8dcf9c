package io.fleethealth.localstack.testbed;

import io.fleethealth.localstack.LocalStack;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.HttpSchemaRegistryClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Kafka broker and one schema registry per test JVM, with every topic of the catalogue provisioned.
 * Started on first use and stopped by a shutdown hook. Tests share the topics, so each test keeps to its own
 * keys and consumer groups ({@link #uniqueGroupId(String)}, {@link #uniqueId(String)}).
 */
public final class TestBed {

    /** Set by surefire and failsafe to {@code <module>/target/test-bed}. */
    public static final String DIR_PROPERTY = "fleet.test.dir";
    /** Fewer than the local default: every test JVM creates them and groups rebalance over them. */
    public static final int TOPIC_PARTITIONS = 3;

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static TestBed shared;
    private static Throwable startFailure;

    private final LocalStack stack;
    private final HttpSchemaRegistryClient registryClient;
    private final Path dir;

    private TestBed(LocalStack stack, Path dir) {
        this.stack = stack;
        this.registryClient = new HttpSchemaRegistryClient(stack.registryUrl());
        this.dir = dir;
    }

    /** The bed of this JVM, started on the first call. A failed start is reported again on every later call. */
    public static synchronized TestBed shared() {
        if (startFailure != null) {
            throw new IllegalStateException("The test bed failed to start earlier in this JVM", startFailure);
        }
        if (shared == null) {
            try {
                // A fresh folder per JVM: no records, schemas or ports of an earlier run.
                Path dir = workDir();
                shared = new TestBed(LocalStack.startFresh(dir, TOPIC_PARTITIONS), dir);
            } catch (RuntimeException | Error e) {
                startFailure = e;
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-bed-shutdown"));
        }
        return shared;
    }

    public String bootstrapServers() {
        return stack.bootstrapServers();
    }

    /** Confluent-compatible registry root: {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public URI registryUrl() {
        return stack.registryUrl();
    }

    public HttpSchemaRegistryClient registryClient() {
        return registryClient;
    }

    /** Serdes bound to this bed's registry. */
    public EventSerdes serdes() {
        return new EventSerdes(registryClient);
    }

    /** A consumer group id no other test of this JVM (or an earlier run) uses. */
    public String uniqueGroupId(String purpose) {
        return uniqueId("group-" + purpose);
    }

    /** A unique name, e.g. for session ids, so tests sharing a topic never read each other's records. */
    public String uniqueId(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Where the bed keeps the broker data and the registry log. */
    public Path dir() {
        return dir;
    }

    private void close() {
        stack.close();
    }

    private static Path workDir() {
        String configured = System.getProperty(DIR_PROPERTY);
        Path base = configured == null || configured.isBlank() ? Path.of("target", "test-bed") : Path.of(configured);
        return base.toAbsolutePath().resolve("local-stack");
    }
}
