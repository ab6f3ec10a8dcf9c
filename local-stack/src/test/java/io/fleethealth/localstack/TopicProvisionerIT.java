package io.fleethealth.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicProvisionerIT {

    private static Admin admin;

    @BeforeAll
    static void connect() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBed.shared().bootstrapServers()));
    }

    @AfterAll
    static void disconnect() {
        admin.close();
    }

    @Test
    void shouldProvisionEveryTopicAgainWithoutChangingThem() throws Exception {
        TopicProvisioner provisioner = new TopicProvisioner(admin, TestBed.TOPIC_PARTITIONS, (short) 1);

        // The bed provisioned once already; two more runs must be no-ops.
        provisioner.provisionAll();
        provisioner.provisionAll();

        List<String> names = Topics.ALL.stream().map(Topic::name).toList();
        Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(topics.values()).allSatisfy(topic ->
                assertThat(topic.partitions()).hasSize(TestBed.TOPIC_PARTITIONS));
        Config sessionStatus = config(Topics.SESSION_STATUS.name());
        assertThat(sessionStatus.get("cleanup.policy").value()).isEqualTo("compact");
        Config healthChecks = config(Topics.HEALTH_CHECKS.name());
        assertThat(healthChecks.get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(healthChecks.get("retention.ms").value())
                .isEqualTo(Long.toString(Topics.HEALTH_CHECKS.retention().toMillis()));
        assertThat(config(Topics.AUDIT.name()).get("retention.ms").value())
                .isEqualTo(Long.toString(Duration.ofDays(90).toMillis()));
    }

    @Test
    void shouldRefuseAnExistingTopicWhoseCleanupPolicyDiffers() {
        String name = TestBed.shared().uniqueId("drifted");
        TopicProvisioner provisioner = new TopicProvisioner(admin, 1, (short) 1);
        provisioner.provision(List.of(new Topic<>(name, String.class, "test", false, Duration.ofHours(1))));

        assertThatThrownBy(() -> provisioner.provision(
                List.of(new Topic<>(name, String.class, "test", true, Duration.ofHours(1)))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(name + " has cleanup.policy=delete, expected compact");
    }

    private static Config config(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    }
}
