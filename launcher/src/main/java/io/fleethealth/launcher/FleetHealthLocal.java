package io.fleethealth.launcher;

import io.fleethealth.agent.AgentService;
import io.fleethealth.contract.logging.RunnableLogging;
import io.fleethealth.localstack.LocalStack;
import io.fleethealth.localstack.LocalStackSettings;
import io.fleethealth.processor.app.ProcessorService;
import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.kafka.KafkaPreflight;
import io.fleethealth.contract.kafka.RegistryClientSettings;
import io.fleethealth.serde.HttpSchemaRegistryClient;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main job: the whole fleet-health system in one process. Without KAFKA_BOOTSTRAP_SERVERS and
 * SCHEMA_REGISTRY_URL it starts the embedded default (in-process KRaft broker, Apicurio registry as a
 * child process); then the health-processor and a probe-agent for the local Docker engine. Ctrl-C closes
 * everything in reverse order: agent, processor (offsets committed, stores closed), registry, broker.
 *
 * <p>On the embedded default, everything the job remembers lives in one folder (FLEET_LOCAL_DIR): broker
 * data with the registry's journal, the processor's state stores and the agent's executed commands, so they
 * can never disagree; a start keeps them, {@code --fresh} deletes the folder first.
 */
public final class FleetHealthLocal implements AutoCloseable {

    /** The command-line flag that starts the embedded default on an empty folder. */
    public static final String FRESH_FLAG = "--fresh";

    static {
        RunnableLogging.configure("launcher-logback.xml"); // before the first logger
    }

    private static final Logger log = LoggerFactory.getLogger(FleetHealthLocal.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private ProcessorService processor;
    private AgentService agent;
    private String bootstrapServers;
    private URI registryUrl;

    private FleetHealthLocal() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES",
                System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.fleethealth"));
        boolean fresh = false;
        for (String arg : args) {
            if (arg.equals(FRESH_FLAG)) {
                fresh = true;
            } else {
                System.err.println("fleet-health: unknown argument '" + arg + "'; accepted: " + FRESH_FLAG
                        + " (start the embedded default on an empty FLEET_LOCAL_DIR)");
                System.exit(2);
                return;
            }
        }
        Map<String, String> env = System.getenv();
        FleetHealthLocal local = new FleetHealthLocal();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            local.close();
            stopped.countDown();
        }, "fleet-health-shutdown"));
        try {
            local.run(env, System.out, fresh);
        } catch (ConfigException | io.fleethealth.agent.config.ConfigException | IllegalArgumentException e) {
            System.err.println("fleet-health: " + e.getMessage());
            System.exit(2);
        } catch (KafkaPreflight.KafkaUnavailableException e) {
            System.err.println("fleet-health: " + e.getMessage());
            System.exit(3);
        }
        stopped.await();
    }

    /** Starts the main job as {@link #main} does, for tests; {@link #close()} stops it. */
    static FleetHealthLocal start(Map<String, String> env, PrintStream out, boolean fresh) throws Exception {
        FleetHealthLocal local = new FleetHealthLocal();
        try {
            local.run(env, out, fresh);
            return local;
        } catch (Exception | Error e) {
            local.close();
            throw e;
        }
    }

    ProcessorService processor() {
        return processor;
    }

    AgentService agent() {
        return agent;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    URI registryUrl() {
        return registryUrl;
    }

    private void run(Map<String, String> env, PrintStream out, boolean fresh) throws Exception {
        ProcessorConfig config = ProcessorConfig.fromEnv(env);
        KafkaClientSettings kafka;
        RegistryClientSettings registryAccess;
        URI registryUrl;
        if (config.kafkaBootstrapServers().isPresent() && config.schemaRegistryUrl().isPresent()) {
            if (fresh) {
                throw new ConfigException("KAFKA_BOOTSTRAP_SERVERS", FRESH_FLAG + " only applies to the embedded "
                        + "default; an external cluster keeps its data (unset KAFKA_BOOTSTRAP_SERVERS and "
                        + "SCHEMA_REGISTRY_URL, or drop " + FRESH_FLAG + ")");
            }
            kafka = KafkaClientSettings.fromEnv(config.kafkaBootstrapServers().get(), env);
            registryAccess = RegistryClientSettings.fromEnv(env);
            registryUrl = config.schemaRegistryUrl().get();
            log.info("using the external Kafka cluster ({}) and registry {} ({})", kafka.describe(), registryUrl,
                    registryAccess.describe());
            KafkaPreflight.check(kafka, KafkaPreflight.deadline(env));
        } else if (config.kafkaBootstrapServers().isPresent() || config.schemaRegistryUrl().isPresent()) {
            throw new ConfigException("KAFKA_BOOTSTRAP_SERVERS",
                    "set both KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL for an external cluster, or neither "
                            + "for the embedded default");
        } else {
            LocalStackSettings settings = LocalStackSettings.fromEnvironment(env);
            if (fresh) {
                log.info("{}: deleting {} (broker data, schemas, processor and agent state)", FRESH_FLAG,
                        settings.workDir());
                LocalStack.wipe(settings.workDir());
            }
            env = LocalFolder.withStateIn(settings.workDir(), env);
            config = ProcessorConfig.fromEnv(env);
            LocalStack stack = LocalStack.start(settings);
            started.push(stack);
            // The embedded broker and registry listen on loopback only, without TLS or credentials.
            kafka = KafkaClientSettings.plaintext(stack.bootstrapServers());
            java.util.Set<String> ignored = KafkaClientSettings.fromEnv(stack.bootstrapServers(), env).propertyNames();
            if (!ignored.isEmpty()) {
                log.warn("Kafka client properties {} are ignored: the embedded broker is plaintext on loopback (set "
                        + "KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL to use a secured cluster)", ignored);
            }
            registryAccess = RegistryClientSettings.NONE;
            registryUrl = stack.registryUrl();
        }
        String bootstrap = kafka.bootstrapServers();
        this.bootstrapServers = bootstrap;
        this.registryUrl = registryUrl;
        HttpSchemaRegistryClient registry = registryAccess.client(registryUrl);
        processor = ProcessorService.start(config, kafka, registry, env);
        started.push(processor);
        agent = AgentService.start(env, kafka, registryUrl, registryAccess);
        started.push(agent);

        String header = "fleet-health | Kafka " + bootstrap + " | registry " + registryUrl + "\n"
                + "dashboard and API: " + processor.apiUri() + " | agent of host " + agent.config().hostId()
                + ": " + agent.httpUri() + "   (Ctrl-C stops everything)";
        out.println(header);
        if (System.console() != null) {
            startFleetView(new FleetView(processor.queries(), header), out);
        }
    }

    private void startFleetView(FleetView view, PrintStream out) {
        ScheduledExecutorService screen = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-view");
            t.setDaemon(true);
            return t;
        });
        screen.scheduleWithFixedDelay(() -> {
            try {
                view.draw(out, Instant.now());
            } catch (RuntimeException e) {
                log.debug("fleet view skipped a frame: {}", e.toString()); // stores rebalancing
            }
        }, 2, 2, TimeUnit.SECONDS);
        started.push(() -> {
            screen.shutdownNow();
            screen.awaitTermination(Duration.ofSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                log.warn("error while stopping {}", next, e);
            }
        }
    }
}
