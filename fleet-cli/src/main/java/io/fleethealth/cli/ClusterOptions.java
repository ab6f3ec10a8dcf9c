package io.fleethealth.cli;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.kafka.KafkaPreflight;
import io.fleethealth.contract.kafka.RegistryClientSettings;
import io.fleethealth.serde.HttpSchemaRegistryClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Kafka client properties file (security.protocol, sasl.*, ssl.*), like Kafka's own tools "
                    + "(default: $KAFKA_CLIENT_CONFIG_FILE); KAFKA_* variables override its keys")
    Path commandConfig;

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

    /**
     * The Kafka client settings: bootstrap servers, then the client properties of {@code --command-config} (or
     * KAFKA_CLIENT_CONFIG_FILE) and the KAFKA_* variables; checked against the cluster so that a wrong password or
     * security protocol fails here with one line.
     */
    public KafkaClientSettings kafka(Map<String, String> env) {
        KafkaClientSettings kafka = KafkaClientSettings.fromEnv(bootstrapServers(env), env,
                Optional.ofNullable(commandConfig));
        KafkaPreflight.check(kafka, env.containsKey(KafkaPreflight.STARTUP_TIMEOUT.key())
                ? KafkaPreflight.deadline(env) : PREFLIGHT_DEADLINE);
        return kafka;
    }

    /** A registry client with the credentials and trust store of SCHEMA_REGISTRY_* settings. */
    public HttpSchemaRegistryClient registry(Map<String, String> env) {
        return RegistryClientSettings.fromEnv(env).client(registryUrl(env));
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

    private static final Duration PREFLIGHT_DEADLINE = Duration.ofSeconds(20);

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
