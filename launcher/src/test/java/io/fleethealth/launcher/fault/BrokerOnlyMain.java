package io.fleethealth.launcher.fault;

import io.fleethealth.localstack.EmbeddedKafka;
import io.fleethealth.localstack.TopicProvisioner;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A broker of its own for a fault test, in a child JVM so that the test can take it away with kill -9 while the
 * shared test bed's broker stays up. Prints {@code BOOTSTRAP <host:port>} once the fleet topics exist.
 */
public final class BrokerOnlyMain {

    private BrokerOnlyMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, 1, TopicProvisioner.DEFAULT_REPLICATION_FACTOR).provisionAll();
        }
        System.out.println("BOOTSTRAP " + kafka.bootstrapServers());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
