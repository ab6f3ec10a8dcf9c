package io.fleethealth.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka (broker and controller in one) running inside this JVM, listening on loopback.
 * The directory given to {@link #start(Path)} holds the broker's config and its log; it is formatted once and
 * reused on the next start, so records survive a restart.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private KafkaRaftServer server;
    private Properties props;
    private final String bootstrapServers;
    private final Path dir;
    private final Map<String, Object> adminClientProperties;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dir,
                          Map<String, Object> adminClientProperties) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
        this.adminClientProperties = Map.copyOf(adminClientProperties);
    }

    /** Starts a broker keeping its data under {@code dir}, and returns once it answers an admin client. */
    public static EmbeddedKafka start(Path dir) {
        return start(dir, Map.of());
    }

    /** Same as {@link #start(Path)}, with broker settings that override the lean defaults. */
    public static EmbeddedKafka start(Path dir, Map<String, String> overrides) {
        return start(dir, FreePorts.next(), FreePorts.next(), overrides);
    }

    /** Starts a broker on the given loopback ports, so that a restart comes back where its clients expect it. */
    public static EmbeddedKafka start(Path dir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        return start(dir, brokerPort, controllerPort, overrides, null);
    }

    /**
     * A broker whose only client listener is {@code secured}: SASL_SSL with SCRAM-SHA-512 and the KRaft
     * StandardAuthorizer (deny unless an ACL allows; the admin user is a super user). The admin's SCRAM credential
     * is created when the storage is formatted; other users are added with {@link Admin#alterUserScramCredentials}.
     */
    public static EmbeddedKafka startSecured(Path dir, SaslSslListener secured) {
        return start(dir, FreePorts.next(), FreePorts.next(), Map.of(), secured);
    }

    private static EmbeddedKafka start(Path dir, int brokerPort, int controllerPort, Map<String, String> overrides,
                                       SaslSslListener secured) {
        Instant begin = Instant.now();
        Properties props = brokerProperties(dir.toAbsolutePath().resolve("log"), brokerPort, controllerPort);
        Map<String, Object> adminProps = new HashMap<>();
        if (secured != null) {
            props.putAll(secured.brokerOverrides(brokerPort, controllerPort));
            adminProps.putAll(secured.clientProperties(secured.adminUser(), secured.adminPassword()));
        }
        props.putAll(overrides);
        String bootstrapServers = "127.0.0.1:" + brokerPort;
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);

        KafkaRaftServer server = null;
        boolean ready = false;
        try {
            formatOnce(dir, props, secured == null ? List.of() : List.of("--add-scram", secured.formatScramArgument()));
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            awaitReady(adminProps);
            ready = true;
        } catch (RuntimeException e) {
            throw new IllegalStateException("Embedded Kafka failed to start in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting embedded Kafka in " + dir, e);
        } finally {
            if (!ready && server != null) {
                stop(server);
            }
        }
        log.info("Embedded Kafka ready at {} (data {}) in {} ms",
                bootstrapServers, dir, Duration.between(begin, Instant.now()).toMillis());
        EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrapServers, dir, adminProps);
        kafka.props = props;
        return kafka;
    }

    /** Where clients connect: {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Properties for an admin client with every right: bootstrap servers and, when secured, the super user's login. */
    public Map<String, Object> adminClientProperties() {
        return new HashMap<>(adminClientProperties);
    }

    /** Shuts the broker down and waits until it has stopped. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(server);
        log.info("Embedded Kafka at {} (data {}) stopped", bootstrapServers, dir);
    }

    /**
     * Stops the broker, waits {@code down}, and starts it again on the same ports and data: a broker
     * restart as clients see it (fault tests). Returns once it answers again.
     */
    public synchronized void restart(Duration down) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        stop(server);
        log.info("Embedded Kafka at {} stopped for a restart; down for {}", bootstrapServers, down);
        Thread.sleep(down.toMillis());
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        awaitReady(new java.util.HashMap<>(adminClientProperties));
        log.info("Embedded Kafka at {} restarted", bootstrapServers);
    }

    static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic must live with a single replica, or Streams and groups never start.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Lean: fewer partitions and threads, and a cleaner buffer that fits a small heap (default 128 MB).
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        return p;
    }

    /** Formats the log directory on first use; a formatted one keeps its cluster id and records. */
    private static void formatOnce(Path dir, Properties props, List<String> extraArgs) {
        List<String> args = new ArrayList<>(List.of("--cluster-id", Uuid.randomUuid().toString(), "--standalone"));
        args.addAll(extraArgs);
        format(dir, props, args);
    }

    /**
     * Runs the storage format step once for the log directory in {@code props}, with the given arguments after
     * {@code format --config <file>}; a directory already formatted is left as it is.
     */
    static void format(Path dir, Properties props, List<String> formatArgs) {
        try {
            Files.createDirectories(dir);
            if (Files.exists(Path.of(props.getProperty("log.dirs"), "meta.properties"))) {
                return;
            }
            Path config = dir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "Written by EmbeddedKafka for the storage format step");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exit;
            try (PrintStream printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                List<String> args = new ArrayList<>(List.of("format", "--config", config.toString(),
                        "--ignore-formatted"));
                args.addAll(formatArgs);
                exit = StorageTool.execute(args.toArray(String[]::new), printer);
            }
            if (exit != 0) {
                throw new IllegalStateException("storage format exited with " + exit + ": "
                        + output.toString(StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the broker config in " + dir, e);
        }
    }

    /** Polls describeCluster until the broker lists itself, so callers get a broker that serves requests. */
    private static void awaitReady(Map<String, Object> adminProps) throws InterruptedException {
        awaitBrokers(adminProps, 1);
    }

    /** Polls describeCluster until at least {@code brokers} brokers are listed. */
    static void awaitBrokers(Map<String, Object> adminProps, int brokers) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        Object bootstrapServers = adminProps.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        Map<String, Object> config = new HashMap<>(adminProps);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            Exception last = null;
            while (Instant.now().isBefore(deadline)) {
                try {
                    if (admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                            .nodes().get(6, TimeUnit.SECONDS).size() >= brokers) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("broker at " + bootstrapServers + " not ready within "
                    + READY_TIMEOUT.toSeconds() + " s", last);
        }
    }
}
