package io.fleethealth.processor;

import io.fleethealth.contract.logging.RunnableLogging;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.kafka.KafkaPreflight;
import io.fleethealth.contract.kafka.RegistryClientSettings;
import io.fleethealth.contract.settings.SharedSettings;
import io.fleethealth.contract.start.MainRunner;
import io.fleethealth.contract.start.Reachability;
import io.fleethealth.processor.api.ApiTls;
import io.fleethealth.processor.api.PeerSignature;
import io.fleethealth.processor.app.ProcessorService;
import io.fleethealth.processor.config.ProcessorConfig;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the health-processor from the environment, all or nothing: every setting is validated first (a bad one
 * exits 2 naming every bad variable), then Kafka must answer within FLEET_KAFKA_STARTUP_TIMEOUT with its security
 * settings (else exit 3) and the registry too (else exit 1), then the parts are built in order (exit 1 with one
 * line if one fails, after closing what was built).
 */
public final class ProcessorMain {

    static {
        RunnableLogging.configure("health-processor-logback.xml"); // before the first logger
    }

    private static final Logger log = LoggerFactory.getLogger(ProcessorMain.class);

    private ProcessorMain() {
    }

    public static void main(String[] args) {
        // Avro refuses to build our generated classes unless their package is trusted.
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES",
                System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.fleethealth"));
        MainRunner.run("health-processor", () -> {
            Map<String, String> env = System.getenv();
            ProcessorConfig config = ProcessorConfig.fromEnv(env, SharedSettings.EXTERNAL_CLUSTER_REQUIRED);
            KafkaClientSettings kafka = KafkaClientSettings.fromEnv(config.kafkaBootstrapServers().orElseThrow(), env);
            RegistryClientSettings registryAccess = RegistryClientSettings.fromEnv(env);
            ApiTls.fromEnv(env); // an unusable API key store stops the processor here, with exit 2
            PeerSignature.fromEnv(env, config.adminToken());
            log.info("health-processor settings:\n{}", config.describe());
            log.info("Kafka client: {}; registry client: {}", kafka.describe(), registryAccess.describe());
            URI registryUrl = config.schemaRegistryUrl().orElseThrow();
            KafkaPreflight.check(kafka, config.startTimeout());
            Reachability.awaitRegistry(registryUrl, ProcessorConfig.SCHEMA_REGISTRY_URL.show(config.schemaRegistryUrl()),
                    registryAccess.access(), config.startTimeout(), ProcessorConfig.SCHEMA_REGISTRY_URL.key());
            return ProcessorService.start(config, kafka, registryAccess.client(registryUrl), env);
        });
    }
}
