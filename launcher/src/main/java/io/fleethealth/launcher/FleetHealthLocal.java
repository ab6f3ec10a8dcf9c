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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 */
public final class FleetHealthLocal {

    static {
        RunnableLogging.configure("launcher-logback.xml"); // before the first logger
    }

    private static final Logger log = LoggerFactory.getLogger(FleetHealthLocal.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    private FleetHealthLocal() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES",
                System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.fleethealth"));
        Map<String, String> env = System.getenv();
        FleetHealthLocal local = new FleetHealthLocal();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            local.close();
            stopped.countDown();
        }, "fleet-health-shutdown"));
        try {
            local.start(env, System.out);
        } catch (ConfigException | io.fleethealth.agent.config.ConfigException | IllegalArgumentException e) {
            System.err.println("fleet-health: " + e.getMessage());
            System.exit(2);
        } catch (KafkaPreflight.KafkaUnavailableException e) {
            System.err.println("fleet-health: " + e.getMessage());
            System.exit(3);
        }
        stopped.await();
    }

    private void start(Map<String, String> env, PrintStream out) throws Exception {
        out.println("fleet-health: log file " + logFile(env));
        ProcessorConfig config = ProcessorConfig.fromEnv(env);
        KafkaClientSettings kafka;
        RegistryClientSettings registryAccess;
        URI registryUrl;
        if (config.kafkaBootstrapServers().isPresent() && config.schemaRegistryUrl().isPresent()) {
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
            LocalStack stack = LocalStack.start(LocalStackSettings.fromEnvironment(env));
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
        HttpSchemaRegistryClient registry = registryAccess.client(registryUrl);
        ProcessorService processor = ProcessorService.start(config, kafka, registry, env);
        started.push(processor);
        AgentService agent = AgentService.start(env, kafka, registryUrl, registryAccess);
        started.push(agent);

        String header = "fleet-health | Kafka " + bootstrap + " | registry " + registryUrl + "\n"
                + "dashboard and API: " + processor.apiUri() + " | agent of host " + agent.config().hostId()
                + ": " + agent.httpUri() + "   (Ctrl-C stops everything)";
        header += "\nlog: " + logFile(env);
        out.println(header);
        LocalProblems problems = new LocalProblems(() -> engineState(agent), () -> agent.health().kafkaReachable(),
                () -> processor.queries().running(), () -> processor.queries().streamsState(),
                LocalProblems.httpProbe(registryUrl), agent.config().dockerHost().toString(), bootstrap, registryUrl,
                Clock.systemUTC());
        startFleetView(new FleetView(processor.queries(), header, problems::now), problems, out,
                System.console() != null);
    }

    /** Where the log goes: launcher-logback.xml writes ${FLEET_LOCAL_DIR:-.local}/fleet-health.log. */
    static Path logFile(Map<String, String> env) {
        String dir = env.getOrDefault("FLEET_LOCAL_DIR", "");
        return Path.of(dir.isBlank() ? ".local" : dir, "fleet-health.log").toAbsolutePath().normalize();
    }

    private static LocalProblems.EngineState engineState(AgentService agent) {
        return agent.probing().scheduler().lastRound()
                .map(round -> new LocalProblems.EngineState(true, round.engineReachable(), round.results().stream()
                        .map(result -> result.getErrorMessage()).filter(m -> m != null && !m.isBlank()).findFirst()))
                .orElse(new LocalProblems.EngineState(false, false, Optional.empty()));
    }

    /**
     * On a terminal the view redraws every 2 s, problems on top; without one, each new problem is printed once
     * (a first run in a pipe or a service manager still says what is wrong).
     */
    private void startFleetView(FleetView view, LocalProblems problems, PrintStream out, boolean terminal) {
        Set<String> printed = new HashSet<>();
        ScheduledExecutorService screen = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-view");
            t.setDaemon(true);
            return t;
        });
        screen.scheduleWithFixedDelay(() -> {
            try {
                if (terminal) {
                    view.draw(out, Instant.now());
                } else {
                    for (String problem : problems.now()) {
                        if (printed.add(problem)) {
                            out.println("fleet-health: " + problem);
                        }
                    }
                }
            } catch (RuntimeException e) {
                log.debug("fleet view skipped a frame: {}", e.toString()); // stores rebalancing
            }
        }, 2, 2, TimeUnit.SECONDS);
        started.push(() -> {
            screen.shutdownNow();
            screen.awaitTermination(Duration.ofSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private synchronized void close() {
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
