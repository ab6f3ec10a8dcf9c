package io.fleethealth.cli;

import java.net.URI;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the Kafka cluster and the schema registry are; defaults from the processor's environment variables. */
public final class ClusterOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers (default: $KAFKA_BOOTSTRAP_SERVERS)")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "Confluent-compatible schema registry root, e.g. http://127.0.0.1:8080/apis/ccompat/v7 "
                    + "(default: $SCHEMA_REGISTRY_URL)")
    URI registryUrl;

    public boolean kafkaConfigured(Map<String, String> env) {
        return bootstrapServers != null || blankToNull(env.get("KAFKA_BOOTSTRAP_SERVERS")) != null;
    }

    public String bootstrapServers(Map<String, String> env) {
        String value = bootstrapServers != null ? bootstrapServers : blankToNull(env.get("KAFKA_BOOTSTRAP_SERVERS"));
        if (value == null) {
            throw new IllegalArgumentException("No Kafka cluster: pass --bootstrap-servers or set KAFKA_BOOTSTRAP_SERVERS");
        }
        return value;
    }

    public URI registryUrl(Map<String, String> env) {
        if (registryUrl != null) {
            return registryUrl;
        }
        String value = blankToNull(env.get("SCHEMA_REGISTRY_URL"));
        if (value == null) {
            throw new IllegalArgumentException("No schema registry: pass --registry-url or set SCHEMA_REGISTRY_URL");
        }
        return URI.create(value);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
