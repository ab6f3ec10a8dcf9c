package io.fleethealth.launcher.fault;

import io.fleethealth.localstack.LocalStack;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.HttpSchemaRegistryClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault suite's own broker and registry (one per test JVM), apart from the shared {@link TestBed}: its
 * faults (a thousand poison records on every topic) must not reach the other suites' processors.
 */
final class FaultBed {

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static FaultBed shared;

    private final LocalStack stack;
    private final Path dir;

    private FaultBed(LocalStack stack, Path dir) {
        this.stack = stack;
        this.dir = dir;
    }

    static synchronized FaultBed shared() {
        if (shared == null) {
            String configured = System.getProperty(TestBed.DIR_PROPERTY);
            Path base = configured == null || configured.isBlank() ? Path.of("target", "test-bed") : Path.of(configured);
            Path dir = base.toAbsolutePath().resolve("fault-suite");
            shared = new FaultBed(LocalStack.start(dir, 2), dir);
            Runtime.getRuntime().addShutdownHook(new Thread(shared.stack::close, "fault-bed-shutdown"));
        }
        return shared;
    }

    String bootstrapServers() {
        return stack.bootstrapServers();
    }

    URI registryUrl() {
        return stack.registryUrl();
    }

    HttpSchemaRegistryClient registryClient() {
        return new HttpSchemaRegistryClient(stack.registryUrl());
    }

    EventSerdes serdes() {
        return new EventSerdes(registryClient());
    }

    /** Stops the registry for {@code down}, then starts it again on the same address and journal. */
    void restartRegistry(java.time.Duration down) throws InterruptedException {
        stack.restartRegistry(down);
    }

    /** Stops the broker for {@code down}, then starts it again on the same address and data. */
    void restartBroker(java.time.Duration down) throws InterruptedException {
        stack.restartBroker(down);
    }

    Path dir() {
        return dir;
    }

    static String uniqueId(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
    }
}
