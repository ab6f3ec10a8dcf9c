package io.fleethealth.processor;

import io.fleethealth.contract.logging.RunnableLogging;
import io.fleethealth.processor.api.ApiTls;
import io.fleethealth.processor.api.PeerSignature;
import io.fleethealth.processor.app.ProcessorService;
import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.kafka.KafkaPreflight;
import io.fleethealth.contract.kafka.RegistryClientSettings;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the health-processor from the environment; a bad setting stops it at once with exit code 2. */
public final class ProcessorMain {

    static {
        RunnableLogging.configure("health-processor-logback.xml"); // before the first logger
    }

    private static final Logger log = LoggerFactory.getLogger(ProcessorMain.class);

    private ProcessorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Avro refuses to build our generated classes unless their package is trusted.
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES",
                System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.fleethealth"));
        ProcessorConfig config;
        KafkaClientSettings kafka;
        RegistryClientSettings registryAccess;
        Duration kafkaDeadline;
        URI registryUrl;
        try {
            config = ProcessorConfig.fromEnv(System.getenv());
            String bootstrap = config.kafkaBootstrapServers().orElseThrow(() -> new ConfigException(
                    ProcessorConfig.KAFKA_BOOTSTRAP_SERVERS.key(),
                    "KAFKA_BOOTSTRAP_SERVERS is required: host:port[,host:port...] of the Kafka cluster"));
            registryUrl = config.schemaRegistryUrl().orElseThrow(() -> new ConfigException(
                    ProcessorConfig.SCHEMA_REGISTRY_URL.key(),
                    "SCHEMA_REGISTRY_URL is required: the Confluent-compatible registry, e.g. "
                            + "http://127.0.0.1:8080/apis/ccompat/v7"));
            kafka = KafkaClientSettings.fromEnv(bootstrap, System.getenv());
            registryAccess = RegistryClientSettings.fromEnv(System.getenv());
            kafkaDeadline = KafkaPreflight.deadline(System.getenv());
            ApiTls.fromEnv(System.getenv()); // an unusable API key store stops the processor here, with exit 2
            PeerSignature.fromEnv(System.getenv(), config.adminToken());
        } catch (ConfigException e) {
            System.err.println("health-processor: " + e.getMessage());
            System.exit(2);
            return;
        }
        log.info("health-processor settings:\n{}", config.describe());
        log.info("Kafka client: {}; registry client: {}", kafka.describe(), registryAccess.describe());
        try {
            KafkaPreflight.check(kafka, kafkaDeadline);
        } catch (KafkaPreflight.KafkaUnavailableException e) {
            System.err.println("health-processor: " + e.getMessage());
            System.exit(3);
            return;
        }

        ProcessorService service = ProcessorService.start(config, kafka, registryAccess.client(registryUrl),
                System.getenv());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "health-processor-shutdown"));
        stopped.await();
    }
}
