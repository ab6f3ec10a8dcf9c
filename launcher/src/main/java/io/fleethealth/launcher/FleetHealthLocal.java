package io.fleethealth.launcher;

import io.fleethealth.agent.AgentService;
import io.fleethealth.agent.ClusterAccess;
import io.fleethealth.agent.config.AgentConfig;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.kafka.KafkaPreflight;
import io.fleethealth.contract.kafka.RegistryClientSettings;
import io.fleethealth.contract.settings.CrossCheck;
import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.Settings;
import io.fleethealth.contract.settings.SharedSettings;
import io.fleethealth.contract.start.MainRunner;
import io.fleethealth.contract.start.Reachability;
import io.fleethealth.contract.start.StartedParts;
import io.fleethealth.contract.logging.RunnableLogging;
import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.localstack.LocalStack;
import io.fleethealth.localstack.LocalStackSettings;
import io.fleethealth.processor.app.ProcessorService;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.kafka.KafkaPreflight;
import io.fleethealth.contract.kafka.RegistryClientSettings;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.HashSet;
import java.time.Clock;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main job: the whole fleet-health system in one process. Without KAFKA_BOOTSTRAP_SERVERS and
 * SCHEMA_REGISTRY_URL it starts the embedded default (in-process KRaft broker, Apicurio registry as a
 * child process); then the health-processor and a probe-agent for the local Docker engine. All or nothing:
 * every setting of every part is validated before anything starts, and a part that fails to start closes
 * the ones before it. Ctrl-C closes everything in reverse order: agent, processor, registry, broker.
 */
public final class FleetHealthLocal implements AutoCloseable {

    /** The command-line flag that starts the embedded default on an empty folder (FLEET_LOCAL_DIR). */
    public static final String FRESH_FLAG = "--fresh";

    static {
        RunnableLogging.configure("launcher-logback.xml"); // before the first logger
    }

    private static final Logger log = LoggerFactory.getLogger(FleetHealthLocal.class);

    /** Every setting the launcher reads: those of the parts it runs, each once. */
    public static final List<Setting<?>> SETTINGS = Settings.union(
            ProcessorConfig.SETTINGS, AgentConfig.SETTINGS, LocalStackSettings.SETTINGS);

    public static final List<CrossCheck> CROSS_CHECKS = crossChecks();

    private final StartedParts started = new StartedParts("fleet-health");
    private ProcessorService processor;
    private AgentService agent;
    private String bootstrapServers;
    private URI registryUrl;

    private FleetHealthLocal() {
    }

    public static void main(String[] args) {
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
        boolean startFresh = fresh;
        MainRunner.run("fleet-health", () -> start(System.getenv(), System.out, startFresh));
    }

    /** Starts everything or, if a part fails, closes what started and rethrows. */
    static FleetHealthLocal start(Map<String, String> env, PrintStream out) {
        return start(env, out, false);
    }

    /**
     * Same as {@link #start(Map, PrintStream)}. On the embedded default everything the job remembers lives in
     * FLEET_LOCAL_DIR (broker data with the registry's journal, processor and agent state: {@link LocalFolder});
     * {@code fresh} deletes that folder first.
     */
    static FleetHealthLocal start(Map<String, String> env, PrintStream out, boolean fresh) {
        out.println("fleet-health: log file " + logFile(env));
        Settings settings = Settings.read(env, SETTINGS, CROSS_CHECKS);
        if (ProcessorConfig.of(settings).kafkaBootstrapServers().isPresent()) {
            if (fresh) {
                throw new ConfigException("KAFKA_BOOTSTRAP_SERVERS", FRESH_FLAG + " only applies to the embedded "
                        + "default; an external cluster keeps its data (unset KAFKA_BOOTSTRAP_SERVERS and "
                        + "SCHEMA_REGISTRY_URL, or drop " + FRESH_FLAG + ")");
            }
        } else {
            java.nio.file.Path workDir = LocalStackSettings.of(settings).workDir();
            if (fresh) {
                log.info("{}: deleting {} (broker data, schemas, processor and agent state)", FRESH_FLAG, workDir);
                LocalStack.wipe(workDir);
            }
            env = LocalFolder.withStateIn(workDir, env);
            settings = Settings.read(env, SETTINGS, CROSS_CHECKS);
        }
        log.info("fleet-health settings:\n{}", settings.describe());
        FleetHealthLocal local = new FleetHealthLocal();
        try {
            local.startParts(settings, env, out);
            return local;
        } catch (RuntimeException | Error e) {
            local.close();
            throw e;
        }
    }

    private void startParts(Settings settings, Map<String, String> env, PrintStream out) {
        ProcessorConfig config = ProcessorConfig.of(settings);
        KafkaClientSettings kafka;
        RegistryClientSettings registryAccess;
        URI registryUrl;
        if (config.kafkaBootstrapServers().isPresent()) {
            kafka = KafkaClientSettings.fromEnv(config.kafkaBootstrapServers().get(), env);
            registryAccess = RegistryClientSettings.fromEnv(env);
            registryUrl = config.schemaRegistryUrl().orElseThrow();
            String shownRegistry = SharedSettings.SCHEMA_REGISTRY_URL.show(config.schemaRegistryUrl());
            log.info("using the external Kafka cluster ({}) and registry {} ({})", kafka.describe(), shownRegistry,
                    registryAccess.describe());
            KafkaPreflight.check(kafka, config.startTimeout());
            Reachability.awaitRegistry(registryUrl, shownRegistry, registryAccess.access(), config.startTimeout(),
                    SharedSettings.SCHEMA_REGISTRY_URL.key());
        } else {
            LocalStack stack = started.add("local stack", LocalStack.start(LocalStackSettings.of(settings)));
            // The embedded broker and registry listen on loopback only, without TLS or credentials.
            kafka = KafkaClientSettings.plaintext(stack.bootstrapServers());
            Set<String> ignored = KafkaClientSettings.fromEnv(stack.bootstrapServers(), env).propertyNames();
            if (!ignored.isEmpty()) {
                log.warn("Kafka client properties {} are ignored: the embedded broker is plaintext on loopback (set "
                        + "KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL to use a secured cluster)", ignored);
            }
            registryAccess = RegistryClientSettings.NONE;
            registryUrl = stack.registryUrl();
        }
        processor = started.add("processor",
                ProcessorService.start(config, kafka, registryAccess.client(registryUrl), env));
        Map<String, String> agentEnv = env;
        AgentConfig agentConfig = AgentConfig.of(settings
                .with(SharedSettings.KAFKA_BOOTSTRAP_SERVERS, Optional.of(kafka.bootstrapServers()))
                .with(SharedSettings.SCHEMA_REGISTRY_URL, Optional.of(registryUrl)),
                () -> AgentService.defaultHostId(agentEnv));
        this.bootstrapServers = kafka.bootstrapServers();
        this.registryUrl = registryUrl;
        agent = started.add("agent",
                AgentService.start(agentConfig, new ClusterAccess(kafka, registryAccess)));

        String header = "fleet-health | Kafka " + kafka.bootstrapServers() + " | registry "
                + SharedSettings.SCHEMA_REGISTRY_URL.show(Optional.of(registryUrl)) + "\n"
                + "dashboard and API: " + processor.apiUri() + " | agent of host " + agent.config().hostId()
                + ": " + agent.httpUri() + "   (Ctrl-C stops everything)";
        header += "\nlog: " + logFile(env);
        out.println(header);
        // The registry is probed here only when it is the embedded one (no credentials); an external one was
        // checked at start (Reachability) and its trouble shows as Kafka or processor problems below.
        Supplier<Optional<String>> registryProblem = config.kafkaBootstrapServers().isPresent()
                ? Optional::empty : LocalProblems.httpProbe(registryUrl);
        LocalProblems problems = new LocalProblems(() -> engineState(agent), () -> agent.health().kafkaReachable(),
                () -> processor.queries().running(), () -> processor.queries().streamsState(), registryProblem,
                agent.config().dockerHost().toString(), kafka.bootstrapServers(), registryUrl, Clock.systemUTC());
        startFleetView(new FleetView(processor.queries(), header, problems::now), problems, out,
                System.console() != null);
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

    /** Where the log goes: the launcher's logback configuration writes ${FLEET_LOCAL_DIR:-.local}/fleet-health.log. */
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
        started.add("fleet view", () -> {
            screen.shutdownNow();
            screen.awaitTermination(Duration.ofSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** Closes every part in reverse order of the start. */
    @Override
    public void close() {
        started.close();
    }

    private static List<CrossCheck> crossChecks() {
        LinkedHashSet<CrossCheck> checks = new LinkedHashSet<>(ProcessorConfig.CROSS_CHECKS);
        checks.addAll(AgentConfig.CROSS_CHECKS);
        checks.add(CrossCheck.together(SharedSettings.KAFKA_BOOTSTRAP_SERVERS, SharedSettings.SCHEMA_REGISTRY_URL,
                "an external cluster needs both, the embedded default neither"));
        return List.copyOf(new ArrayList<>(checks));
    }
}
