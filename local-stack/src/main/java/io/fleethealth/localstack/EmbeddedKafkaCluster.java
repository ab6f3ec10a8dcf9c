package io.fleethealth.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several real KRaft nodes (each broker and controller) in this JVM, on loopback: a static quorum of all nodes, every
 * topic with {@code replication.factor} = the node count and {@code min.insync.replicas} = node count - 1 unless
 * overridden, so the cluster keeps accepting {@code acks=all} writes, transactions and group commits with one node
 * down. For the benchmarks and the broker-failure test; the single-node {@link EmbeddedKafka} stays the default.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    private final List<Node> nodes;
    private final String bootstrapServers;

    private record Node(int id, int brokerPort, KafkaRaftServer server, boolean[] stopped) {
    }

    private EmbeddedKafkaCluster(List<Node> nodes) {
        this.nodes = nodes;
        this.bootstrapServers = nodes.stream().map(n -> "127.0.0.1:" + n.brokerPort())
                .collect(Collectors.joining(","));
    }

    /** Starts {@code size} nodes keeping their data under {@code dir/node-N}; returns once all are registered. */
    public static EmbeddedKafkaCluster start(Path dir, int size) {
        return start(dir, size, Map.of());
    }

    /** Same as {@link #start(Path, int)}, with broker settings that override the cluster defaults on every node. */
    public static EmbeddedKafkaCluster start(Path dir, int size, Map<String, String> overrides) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, was " + size);
        }
        Instant begin = Instant.now();
        int[] brokerPorts = IntStream.range(0, size).map(i -> FreePorts.next()).toArray();
        int[] controllerPorts = IntStream.range(0, size).map(i -> FreePorts.next()).toArray();
        String voters = IntStream.range(0, size).mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts[i])
                .collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        List<Properties> configs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Path nodeDir = dir.toAbsolutePath().resolve("node-" + (i + 1));
            Properties props = nodeProperties(nodeDir.resolve("log"), i + 1, brokerPorts[i], controllerPorts[i],
                    voters, size);
            props.putAll(overrides);
            // A static quorum (controller.quorum.voters) is formatted with the shared cluster id alone.
            EmbeddedKafka.format(nodeDir, props, List.of("--cluster-id", clusterId));
            configs.add(props);
        }
        // Each node's start-up waits for the quorum, which needs the others: start them side by side.
        List<CompletableFuture<KafkaRaftServer>> starting = configs.stream()
                .map(props -> CompletableFuture.supplyAsync(() -> {
                    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
                    server.startup();
                    return server;
                })).toList();
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                nodes.add(new Node(i + 1, brokerPorts[i], starting.get(i).join(), new boolean[1]));
            }
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(nodes);
            EmbeddedKafka.awaitBrokers(cluster.adminClientProperties(), size);
            log.info("Embedded Kafka cluster of {} ready at {} (data {}) in {} ms", size, cluster.bootstrapServers,
                    dir, Duration.between(begin, Instant.now()).toMillis());
            return cluster;
        } catch (CompletionException | IllegalStateException e) {
            starting.forEach(f -> f.thenAccept(EmbeddedKafka::stop));
            throw new IllegalStateException("Embedded Kafka cluster failed to start in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            starting.forEach(f -> f.thenAccept(EmbeddedKafka::stop));
            throw new IllegalStateException("Interrupted while starting the embedded Kafka cluster in " + dir, e);
        }
    }

    static Properties nodeProperties(Path logDir, int nodeId, int brokerPort, int controllerPort, String voters, int size) {
        Properties p = EmbeddedKafka.brokerProperties(logDir, brokerPort, controllerPort);
        p.put("node.id", Integer.toString(nodeId));
        p.remove("controller.quorum.bootstrap.servers");
        p.put("controller.quorum.voters", voters);
        String replicas = Integer.toString(size);
        String minIsr = Integer.toString(Math.max(1, size - 1));
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", replicas);
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        // A lost node is fenced (and dropped from every ISR) after the broker session timeout: 9 s by default,
        // shortened so a test of a broker failure does not wait for it.
        p.put("broker.session.timeout.ms", "3000");
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("replica.lag.time.max.ms", "5000");
        // A stop of one node is a crash, not a hand-over: leaders are not moved away before it goes.
        p.put("controlled.shutdown.enable", "false");
        return p;
    }

    /** Every node's client address, comma-separated, as clients take it. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Properties for an admin client: the bootstrap servers. */
    public Map<String, Object> adminClientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /** The node ids, 1 to size. */
    public List<Integer> nodeIds() {
        return nodes.stream().map(Node::id).toList();
    }

    /**
     * Stops one node without a controlled shutdown: its partitions are not handed over first, so clients meet a dead
     * leader and the controller fences the node after the broker session timeout, as after a crash. In-process it
     * cannot be a kill -9: the node's sockets close and its log is flushed on the way out.
     */
    public synchronized void kill(int nodeId) {
        Node node = node(nodeId);
        if (node.stopped()[0]) {
            return;
        }
        node.stopped()[0] = true;
        log.info("Killing node {} of the embedded Kafka cluster", nodeId);
        EmbeddedKafka.stop(node.server());
    }

    private Node node(int nodeId) {
        return nodes.stream().filter(n -> n.id() == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeId + " in " + nodeIds()));
    }

    /** Stops every node still running; the last ones go side by side as the quorum is lost on the way. */
    @Override
    public synchronized void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (Node node : nodes) {
            if (!node.stopped()[0]) {
                node.stopped()[0] = true;
                stopping.add(CompletableFuture.runAsync(() -> EmbeddedKafka.stop(node.server())));
            }
        }
        stopping.forEach(CompletableFuture::join);
        log.info("Embedded Kafka cluster at {} stopped", bootstrapServers);
    }
}
