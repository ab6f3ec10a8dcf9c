package io.fleethealth.bench;

import io.fleethealth.localstack.LocalStack;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.HttpSchemaRegistryClient;
import io.fleethealth.serde.SchemaRegistryClient;
import java.nio.file.Path;

/** The in-process broker and registry of one benchmark run, in {@code bench/target/<name>}. */
final class BenchStack implements AutoCloseable {

    static final int PARTITIONS = 4;

    private final LocalStack stack;
    private final SchemaRegistryClient registry;
    private final EventSerdes serdes;
    private final Path dir;

    private BenchStack(LocalStack stack, Path dir) {
        this.stack = stack;
        this.dir = dir;
        this.registry = new HttpSchemaRegistryClient(stack.registryUrl());
        this.serdes = new EventSerdes(registry);
    }

    static BenchStack start(String name) {
        Path dir = Path.of("bench", "target", "runs", name).toAbsolutePath();
        return new BenchStack(LocalStack.startFresh(dir, PARTITIONS), dir);
    }

    String bootstrapServers() {
        return stack.bootstrapServers();
    }

    java.net.URI registryUrl() {
        return stack.registryUrl();
    }

    SchemaRegistryClient registry() {
        return registry;
    }

    EventSerdes serdes() {
        return serdes;
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        stack.close();
    }
}
