package io.fleethealth.serde;

import org.apache.avro.Schema;

/**
 * The two registry calls the Confluent wire format needs: a writer learns the id of its schema, a reader
 * learns the schema behind an id. Implementations cache both answers, so a hot path does no I/O.
 *
 * <p>Both methods throw {@link SchemaRegistryException} when the registry refuses or cannot be reached.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject}, or finds it when it is already registered.
     *
     * @return the registry-wide id of the schema, the same for the same schema
     */
    int register(String subject, Schema schema);

    /** The schema registered under {@code id}. */
    Schema schemaById(int id);
}
