package io.fleethealth.processor;

import io.fleethealth.contract.settings.SharedSettings;
import io.fleethealth.contract.start.MainRunner;
import io.fleethealth.contract.start.Reachability;
import io.fleethealth.processor.app.ProcessorService;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.serde.HttpSchemaRegistryClient;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the health-processor from the environment, all or nothing: every setting is validated first (a bad one
 * exits 2 naming every bad variable), then Kafka and the registry must answer within FLEET_START_TIMEOUT, then
 * the parts are built in order (exit 1 with one line if one fails, after closing what was built).
 */
public final class ProcessorMain {

    private static final Logger log = LoggerFactory.getLogger(ProcessorMain.class);

    private ProcessorMain() {
    }

    public static void main(String[] args) {
        // Avro refuses to build our generated classes unless their package is trusted.
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES",
                System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.fleethealth"));
        MainRunner.run("health-processor", () -> {
            ProcessorConfig config = ProcessorConfig.fromEnv(System.getenv(), SharedSettings.EXTERNAL_CLUSTER_REQUIRED);
            log.info("health-processor settings:\n{}", config.describe());
            String bootstrap = config.kafkaBootstrapServers().orElseThrow();
            URI registryUrl = config.schemaRegistryUrl().orElseThrow();
            Reachability.awaitKafka(bootstrap, config.startTimeout(), ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS.key());
            Reachability.awaitRegistry(registryUrl, ProcessorConfig.SCHEMA_REGISTRY_URL.show(config.schemaRegistryUrl()),
                    config.startTimeout(), ProcessorConfig.SCHEMA_REGISTRY_URL.key());
            return ProcessorService.start(config, bootstrap, new HttpSchemaRegistryClient(registryUrl));
        });
    }
}
