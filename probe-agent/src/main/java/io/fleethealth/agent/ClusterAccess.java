package io.fleethealth.agent;

import io.fleethealth.agent.config.AgentConfig;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.kafka.RegistryClientSettings;
import java.util.Map;
import java.util.Objects;

/**
 * How the agent reaches Kafka and the registry: bootstrap servers with the operator's client properties (TLS,
 * SASL), and the registry's credentials and trust store.
 */
public record ClusterAccess(KafkaClientSettings kafka, RegistryClientSettings registry) {

    public ClusterAccess {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(registry, "registry");
    }

    /** Reads the {@code KAFKA_*} client properties and the registry's security settings from {@code env}. */
    public static ClusterAccess fromEnv(AgentConfig config, Map<String, String> env) {
        String bootstrap = config.kafkaBootstrapServers().orElseThrow(() ->
                new IllegalArgumentException(AgentConfig.KAFKA_BOOTSTRAP_SERVERS.key() + " is required"));
        return new ClusterAccess(KafkaClientSettings.fromEnv(bootstrap, env), RegistryClientSettings.fromEnv(env));
    }
}
