package io.fleethealth.cli;

import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.SharedSettings;
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

/**
 * Where the Kafka cluster and the schema registry are. An option that is not given falls back to the
 * environment variable of the same meaning, read and validated through its one declaration in
 * {@link SharedSettings} (same range, same error message as in the processor and the agent).
 */
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
        return bootstrapServers != null || fromEnv(env, SharedSettings.KAFKA_BOOTSTRAP_SERVERS).isPresent();
    }

    public String bootstrapServers(Map<String, String> env) {
        if (bootstrapServers != null) {
            try {
                return SharedSettings.KAFKA_BOOTSTRAP_SERVERS.parser().parse(bootstrapServers).orElseThrow();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--bootstrap-servers '" + bootstrapServers + "' is not accepted: expected "
                        + SharedSettings.KAFKA_BOOTSTRAP_SERVERS.accepted(), e);
            }
        }
        return fromEnv(env, SharedSettings.KAFKA_BOOTSTRAP_SERVERS).orElseThrow(() -> new IllegalArgumentException(
                "No Kafka cluster: pass --bootstrap-servers or set " + SharedSettings.KAFKA_BOOTSTRAP_SERVERS.key()));
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
        return fromEnv(env, SharedSettings.SCHEMA_REGISTRY_URL).orElseThrow(() -> new IllegalArgumentException(
                "No schema registry: pass --registry-url or set " + SharedSettings.SCHEMA_REGISTRY_URL.key()));
    }

    /** The variable as the processor and the agent read it; a bad value is a ConfigException naming it. */
    private static <T> Optional<T> fromEnv(Map<String, String> env, Setting<Optional<T>> setting) {
        return setting.resolve(env.get(setting.key()), null);
    }

    /** The CLI waits less than a service by default: someone is waiting at the terminal. */
    private static final Duration PREFLIGHT_DEADLINE = Duration.ofSeconds(20);
}
