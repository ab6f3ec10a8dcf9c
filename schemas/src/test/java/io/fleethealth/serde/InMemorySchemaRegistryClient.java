package io.fleethealth.serde;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A registry in memory, for unit tests: ids are handed out 1, 2, 3, ... in registration order, and the
 * same schema gets the same id under every subject, as in Confluent's registry. No compatibility rules.
 * Thread-safe.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private static final URI URL = URI.create("memory:/");

    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        int id = idsBySchemaText.computeIfAbsent(schema.toString(), text -> {
            int next = schemasById.size() + 1;
            schemasById.put(next, schema);
            return next;
        });
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("In-memory registry has no schema with id " + id, 404,
                    SchemaRegistryException.SCHEMA_NOT_FOUND, null, URL, null);
        }
        return schema;
    }

    /** Ids registered under {@code subject}, oldest first; empty for an unknown subject. */
    public synchronized List<Integer> versions(String subject) {
        return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
    }

    /** Every subject registered so far. */
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }
}
