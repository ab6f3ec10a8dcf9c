package io.fleethealth.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The node settings that make three in-process nodes one cluster that survives the loss of one. */
class EmbeddedKafkaClusterTest {

    private static final String VOTERS = "1@127.0.0.1:9001,2@127.0.0.1:9002,3@127.0.0.1:9003";

    @Test
    void shouldReplicateEveryTopicOnAllThreeNodesAndAcceptWritesWithTwo() {
        Properties p = EmbeddedKafkaCluster.nodeProperties(Path.of("log"), 2, 9092, 9002, VOTERS, 3);

        assertThat(p).containsEntry("node.id", "2")
                .containsEntry("controller.quorum.voters", VOTERS)
                .doesNotContainKey("controller.quorum.bootstrap.servers")
                .containsEntry("default.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2")
                .containsEntry("controlled.shutdown.enable", "false");
    }

    @Test
    void shouldRefuseAnEmptyCluster() {
        assertThatThrownBy(() -> EmbeddedKafkaCluster.start(Path.of("target", "never"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one node");
    }
}
