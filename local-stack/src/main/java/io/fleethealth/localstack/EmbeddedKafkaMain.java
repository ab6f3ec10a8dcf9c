package io.fleethealth.localstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The embedded broker alone, on fixed loopback ports, for a local broker image made from the same Maven
 * artifacts as the embedded default (the compose smoke test uses it where the apache/kafka image cannot be
 * pulled). {@code provision BOOTSTRAP} instead creates every fleet topic and the registry's journal (retention
 * forever) on that cluster and exits, as compose's {@code topics} service does with deploy/kafka/create-topics.sh.
 *
 * <p>Environment: FLEET_KAFKA_DIR (default /var/lib/kafka/data), FLEET_KAFKA_PORT (9092),
 * FLEET_KAFKA_CONTROLLER_PORT (9093).
 */
public final class EmbeddedKafkaMain {

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("provision")) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[1]))) {
                new TopicProvisioner(admin).provisionAll();
            }
            createJournal(args[1]);
            return;
        }
        Map<String, String> env = System.getenv();
        Path dir = Path.of(env.getOrDefault("FLEET_KAFKA_DIR", "/var/lib/kafka/data"));
        int port = port(env, "FLEET_KAFKA_PORT", 9092);
        int controllerPort = port(env, "FLEET_KAFKA_CONTROLLER_PORT", 9093);
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, controllerPort, Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "embedded-kafka-shutdown"));
        System.out.println("Kafka bootstrap servers: " + kafka.bootstrapServers() + ", data in " + dir);
        stopped.await();
    }

    private static void createJournal(String bootstrap) throws InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            NewTopic journal = new NewTopic(ApicurioRegistry.JOURNAL_TOPIC, 1, (short) 1).configs(Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1"));
            admin.createTopics(List.of(journal)).all().get(60, TimeUnit.SECONDS);
            System.out.println("created " + ApicurioRegistry.JOURNAL_TOPIC);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create " + ApicurioRegistry.JOURNAL_TOPIC + " at " + bootstrap, e);
            }
            System.out.println(ApicurioRegistry.JOURNAL_TOPIC + " exists");
        }
    }

    private static int port(Map<String, String> env, String name, int defaultPort) {
        String value = env.getOrDefault(name, "").strip();
        if (value.isEmpty()) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted values
        }
        System.err.println(name + " must be a port number from 1 to 65535, was '" + value + "'");
        System.exit(2);
        return -1;
    }
}
