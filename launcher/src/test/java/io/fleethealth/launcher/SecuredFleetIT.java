package io.fleethealth.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.fleethealth.agent.AgentService;
import io.fleethealth.agent.metrics.AgentMetrics;
import io.fleethealth.agent.publish.KafkaPublisher;
import io.fleethealth.agent.publish.Outbound;
import io.fleethealth.agent.publish.Producers;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.kafka.RegistryClientSettings;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import io.fleethealth.localstack.EmbeddedKafka;
import io.fleethealth.localstack.SaslSslListener;
import io.fleethealth.localstack.TopicProvisioner;
import io.fleethealth.localstack.testbed.AclScript;
import io.fleethealth.localstack.testbed.DockerTestEngine;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.processor.app.ProcessorService;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.testing.TestTls;
import io.fleethealth.topics.Topics;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * The system against a secured broker: one in-process broker whose only client listener is SASL_SSL with
 * SCRAM-SHA-512 (key and trust stores made at test time), the KRaft StandardAuthorizer, and exactly the ACLs of
 * docs/security.md. Every component logs in with its own principal through the KAFKA_* variables, as deployed.
 * One broker for the whole class; the registry is the shared test bed's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredFleetIT {

    /** Per run: other test runs on the same Docker engine watch their own label, and leave these containers alone. */
    private static String sessionLabel;
    private static final String LOOP = "trap 'exit 0' TERM; while true; do sleep 1; done";
    /** Distinct, recognisable secrets, so that the log scan can look for each. */
    private static final String STORE_PASSWORD = "store-" + UUID.randomUUID();
    private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
    private static final String PROCESSOR_PASSWORD = "processor-" + UUID.randomUUID();
    private static final String AGENT_PASSWORD = "agent-" + UUID.randomUUID();
    private static final String ANALYST_PASSWORD = "analyst-" + UUID.randomUUID();
    private static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();
    private static final String ADMIN_TOKEN = "token-" + UUID.randomUUID();
    private static final List<String> SECRETS = List.of(STORE_PASSWORD, ADMIN_PASSWORD, PROCESSOR_PASSWORD,
            AGENT_PASSWORD, ANALYST_PASSWORD, WRONG_PASSWORD, ADMIN_TOKEN);

    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    /** What child processes printed, and strings the components print at start. */
    private static final List<String> printed = new CopyOnWriteArrayList<>();

    private static String run;
    private static String hostId;
    private static TestBed bed;
    private static TestTls tls;
    private static SaslSslListener listener;
    private static EmbeddedKafka kafka;
    private static ProcessorService processor;
    private static AgentService agent;
    private static String containerId;

    @BeforeAll
    static void start() throws Exception {
        captureLogs();
        bed = TestBed.shared();
        run = bed.uniqueId("secured");
        hostId = run + "-host";
        sessionLabel = "fleet-health.session." + run;
        Path dir = bed.dir().resolve(run);
        tls = TestTls.generate(dir, "broker", STORE_PASSWORD);
        listener = new SaslSslListener(tls.keyStore(), tls.trustStore(), STORE_PASSWORD, "admin", ADMIN_PASSWORD);
        kafka = EmbeddedKafka.startSecured(dir.resolve("kafka"), listener);

        try (Admin admin = Admin.create(kafka.adminClientProperties())) {
            new TopicProvisioner(admin, 1, TopicProvisioner.DEFAULT_REPLICATION_FACTOR).provisionAll();
            admin.alterUserScramCredentials(List.of(
                    scram("fleet-processor", PROCESSOR_PASSWORD),
                    scram("fleet-agent-" + hostId, AGENT_PASSWORD),
                    scram("fleet-analyst", ANALYST_PASSWORD))).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(AclScript.bindings(AclScript.projectDoc(), Map.of("APP_ID", run, "HOST", hostId)))
                    .all().get(30, TimeUnit.SECONDS);
        }

        Map<String, String> processorEnv = commonEnv();
        processorEnv.putAll(kafkaEnv("fleet-processor", PROCESSOR_PASSWORD));
        processorEnv.put("PROCESSOR_APPLICATION_ID", run);
        processorEnv.put("PROCESSOR_STATE_DIR", dir.resolve("processor-state").toString());
        processorEnv.put("PROCESSOR_HTTP_PORT", Integer.toString(freePort()));
        processorEnv.put("FLEET_ADMIN_TOKEN", ADMIN_TOKEN);
        ProcessorConfig config = ProcessorConfig.fromEnv(processorEnv);
        KafkaClientSettings processorKafka = KafkaClientSettings.fromEnv(kafka.bootstrapServers(), processorEnv);
        printed.add(config.describe());
        printed.add(processorKafka.describe());
        printed.add(RegistryClientSettings.fromEnv(processorEnv).describe());
        processor = ProcessorService.start(config, processorKafka, bed.registryClient(), processorEnv);
        assertThat(processor.awaitRunning(Duration.ofSeconds(90))).as("Streams RUNNING under ACLs").isTrue();

        containerId = DockerTestEngine.createTestContainer(run + "-exits-once",
                Map.of("fleet-health.secured", run, sessionLabel, session()),
                cmd -> cmd.withCmd("sh", "-c",
                        "if [ ! -f /tmp/restarted ]; then touch /tmp/restarted; sleep 2; exit 1; fi; " + LOOP));
        DockerTestEngine.client().startContainerCmd(containerId).exec();
        agent = AgentService.start(agentEnv(), kafka.bootstrapServers(), bed.registryUrl());
    }

    @AfterAll
    static void stop() {
        try {
            if (agent != null) {
                agent.close();
            }
            if (processor != null) {
                processor.close();
            }
        } finally {
            DockerTestEngine.removeTestContainers("fleet-health.secured", run);
            if (kafka != null) {
                kafka.close();
            }
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        }
    }

    @Test
    @Order(1)
    void shouldRunTheWholeLoopUnderTheDocumentedAcls() {
        // agent check -> processor (exactly-once) -> restart command -> agent restarts on the engine -> outcome
        EventSerdes serdes = bed.serdes();
        Map<String, Object> props = listener.clientProperties("fleet-analyst", ANALYST_PASSWORD);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<RestartOutcome> outcomes = new ArrayList<>();
        // The analyst's read-only principal reads the outcome: assigned partitions, no group.
        try (KafkaConsumer<String, RestartOutcome> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                serdes.valueDeserializer(Topics.RESTART_OUTCOMES))) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(
                    Topics.RESTART_OUTCOMES.name()).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                for (ConsumerRecord<String, RestartOutcome> record : consumer.poll(Duration.ofMillis(500))) {
                    if (session().equals(record.key())) {
                        outcomes.add(record.value());
                    }
                }
                return !outcomes.isEmpty();
            });
        }
        assertThat(outcomes.get(0).getResult()).isEqualTo(RestartResult.SUCCEEDED);
        assertThat(outcomes.get(0).getContainerId()).isEqualTo(containerId);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(processor.queries()
                .session(session()).map(view -> view.status().name())).contains("HEALTHY"));
    }

    @Test
    @Order(2)
    void shouldDenyTheAgentWritingCommandsOrControlsAndSaySo() {
        KafkaClientSettings agentKafka = KafkaClientSettings.fromEnv(kafka.bootstrapServers(), agentEnv());
        AgentMetrics metrics = new AgentMetrics(hostId);
        KafkaPublisher publisher = new KafkaPublisher(
                Producers.idempotent(agentKafka, "forger-" + run, Duration.ofSeconds(5)), 10, Duration.ofMillis(200));
        metrics.publishDenied(publisher::denied);
        publisher.start();
        try {
            byte[] forged = "forged".getBytes(StandardCharsets.UTF_8);
            publisher.publish(new Outbound(Topics.RESTART_COMMANDS.name(), session(), () -> forged, "a forged restart"));
            publisher.publish(new Outbound(Topics.SESSION_CONTROL.name(), session(), () -> forged, "a forged reset"));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(publisher.denied()).isEqualTo(2);
                assertThat(publisher.pending()).as("nothing left waiting: no retry, no hang").isZero();
            });
            assertThat(publisher.published()).isZero();
            assertThat(metrics.scrape()).containsPattern("fleet_agent_publish_denied_total\\{[^}]*\\} 2\\.0");
            assertThat(messages()).anySatisfy(line -> assertThat(line)
                    .contains("Kafka DENIED this agent's principal", "to topic fleet.restart.commands"));
            assertThat(messages()).anySatisfy(line -> assertThat(line)
                    .contains("Kafka DENIED this agent's principal", "to topic fleet.session.control"));
        } finally {
            publisher.close(Duration.ofSeconds(5));
        }
    }

    @Test
    @Order(3)
    void shouldStopAtStartWithOneLineOnAWrongPasswordOrAPlaintextClient() throws Exception {
        Map<String, String> wrong = commonEnv();
        wrong.putAll(kafkaEnv("fleet-processor", WRONG_PASSWORD));
        Map<String, String> plaintext = commonEnv();
        plaintext.put("FLEET_KAFKA_STARTUP_TIMEOUT", "5");

        Map<String, String> wrongAgent = agentEnv();
        wrongAgent.putAll(kafkaEnv("fleet-agent-" + hostId, WRONG_PASSWORD));

        Child wrongProcess = startMain("io.fleethealth.processor.ProcessorMain", wrong);
        Child plainProcess = startMain("io.fleethealth.processor.ProcessorMain", plaintext);
        Child launcherProcess = startMain("io.fleethealth.launcher.FleetHealthLocal", wrong);
        Child agentProcess = startMain("io.fleethealth.agent.ProbeAgent", wrongAgent);
        ChildResult wrongResult = finish(wrongProcess);
        ChildResult plainResult = finish(plainProcess);
        ChildResult launcherResult = finish(launcherProcess);
        ChildResult agentResult = finish(agentProcess);

        assertThat(wrongResult.exit).isEqualTo(3);
        assertThat(wrongResult.stderrLines()).singleElement().asString()
                .startsWith("health-processor: Kafka at " + kafka.bootstrapServers())
                .contains("refused the client's credentials");
        assertThat(plainResult.exit).isEqualTo(3);
        assertThat(plainResult.stderrLines()).singleElement().asString()
                .contains("security.protocol=PLAINTEXT", "did not answer within 5 s");
        // The launcher against an external cluster, and the agent, check the same way before starting anything.
        assertThat(launcherResult.exit).isEqualTo(3);
        assertThat(launcherResult.stderrLines()).singleElement().asString()
                .startsWith("fleet-health: Kafka at " + kafka.bootstrapServers())
                .contains("refused the client's credentials");
        assertThat(agentResult.exit).isEqualTo(3);
        assertThat(agentResult.stderrLines()).singleElement().asString()
                .startsWith("probe-agent: Kafka at " + kafka.bootstrapServers())
                .contains("refused the client's credentials");
    }

    @Test
    @Order(99)
    void shouldNeverLogOrPrintASecret() {
        List<String> everything = new ArrayList<>(messages());
        everything.addAll(printed);
        assertThat(everything).as("captured log lines and printed settings").hasSizeGreaterThan(10);
        assertThat(String.join("\n", everything)).as("Kafka's own config dumps were captured")
                .contains("sasl.jaas.config = [hidden]");
        for (String line : everything) {
            for (String secret : SECRETS) {
                assertThat(line).doesNotContain(secret);
            }
        }
    }

    private static String session() {
        return run + "-exits-once";
    }

    private static Map<String, String> commonEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", bed.registryUrl().toString());
        env.put("CONTAINER_HEALTH_CHECK_INTERVAL", "1");
        env.put("CONTAINER_HEALTH_TIMEOUT", "0.8");
        env.put("CONTAINER_RESTART_DELAY", "1");
        env.put("CONTAINER_RESTART_GRACE", "3");
        env.put("CONTAINER_FAILURE_THRESHOLD", "2");
        env.put("CONTAINER_STOP_TIMEOUT", "2");
        env.put("CONTAINER_SESSION_LABEL", sessionLabel);
        return env;
    }

    /** The deployed way: KAFKA_* variables, mapped to client properties by KafkaClientSettings. */
    private static Map<String, String> kafkaEnv(String user, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("KAFKA_SASL_MECHANISM", SaslSslListener.MECHANISM);
        env.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + user + "\" password=\"" + password + "\";");
        env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", tls.trustStore().toString());
        env.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", STORE_PASSWORD);
        env.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
        return env;
    }

    private static Map<String, String> agentEnv() {
        Map<String, String> env = commonEnv();
        env.putAll(kafkaEnv("fleet-agent-" + hostId, AGENT_PASSWORD));
        env.put("HOST_ID", hostId);
        env.put("DOCKER_HOST", DockerTestEngine.dockerHost());
        env.put("CONTAINER_AGENT_STATE_DIR", bed.dir().resolve(run).resolve("agent").toString());
        env.put("AGENT_HTTP_PORT", "0");
        return env;
    }

    private static UserScramCredentialUpsertion scram(String user, String password) {
        return new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                password);
    }

    private record Child(Process process, Path out, Path err) {
    }

    private static Child startMain(String mainClass, Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                mainClass);
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put("PROCESSOR_STATE_DIR", bed.dir().resolve(run).resolve("child-"
                + UUID.randomUUID()).toString());
        builder.environment().put("PROCESSOR_HTTP_PORT", "0");
        builder.environment().put("FLEET_LOCAL_DIR", bed.dir().resolve(run).resolve("local").toString());
        // Files, not pipes: a child that fills a pipe nobody reads yet would block before it exits.
        Path out = bed.dir().resolve(run).resolve("child-" + UUID.randomUUID() + ".out");
        builder.redirectOutput(out.toFile());
        builder.redirectError(Path.of(out + ".err").toFile());
        return new Child(builder.start(), out, Path.of(out + ".err"));
    }

    private record ChildResult(int exit, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    private static ChildResult finish(Child child) throws Exception {
        Process process = child.process();
        // The deadline of the start-up check is 30 s by default, 5 s for the plaintext child; 90 s covers slow JVMs.
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("the processor exits at start, it does not hang").isTrue();
        String stdout = Files.readString(child.out());
        String stderr = Files.readString(child.err());
        printed.add(stdout);
        printed.add(stderr);
        return new ChildResult(process.exitValue(), stdout, stderr);
    }

    private static void captureLogs() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        // Kafka's clients print their whole configuration at INFO: exactly where a password would leak.
        for (String name : List.of("org.apache.kafka.common.config.AbstractConfig",
                "org.apache.kafka.clients.producer.ProducerConfig", "org.apache.kafka.clients.consumer.ConsumerConfig",
                "org.apache.kafka.clients.admin.AdminClientConfig", "org.apache.kafka.streams.StreamsConfig")) {
            context.getLogger(name).setLevel(Level.INFO);
        }
        logs.setContext(context);
        logs.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs);
    }

    private static List<String> messages() {
        List<String> out = new ArrayList<>();
        List<ILoggingEvent> events;
        synchronized (logs) { // the appender adds under this lock
            events = List.copyOf(logs.list);
        }
        for (ILoggingEvent event : events) {
            StringBuilder line = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            out.add(line.toString());
        }
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
