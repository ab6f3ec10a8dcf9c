package io.fleethealth.serde;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** Counts the calls that reach a registry, to prove that callers cache. */
public final class CountingSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final AtomicInteger registerCalls = new AtomicInteger();
    private final AtomicInteger lookupCalls = new AtomicInteger();

    public CountingSchemaRegistryClient(SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public int register(String subject, Schema schema) {
        registerCalls.incrementAndGet();
        return delegate.register(subject, schema);
    }

    @Override
    public Schema schemaById(int id) {
        lookupCalls.incrementAndGet();
        return delegate.schemaById(id);
    }

    public int registerCalls() {
        return registerCalls.get();
    }

    public int lookupCalls() {
        return lookupCalls.get();
    }
}
