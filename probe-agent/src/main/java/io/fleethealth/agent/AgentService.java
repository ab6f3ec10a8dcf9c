package io.fleethealth.agent;

import io.fleethealth.agent.command.CommandConsumer;
import io.fleethealth.agent.command.CommandService;
import io.fleethealth.agent.config.AgentConfig;
import io.fleethealth.agent.docker.DockerEngine;
import io.fleethealth.contract.settings.CrossCheck;
import io.fleethealth.agent.http.AgentHealth;
import io.fleethealth.agent.http.AgentHttpServer;
import io.fleethealth.agent.metrics.AgentMetrics;
import io.fleethealth.agent.probe.RoundReport;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.kafka.KafkaPreflight;
import io.fleethealth.contract.kafka.RegistryClientSettings;
import io.fleethealth.contract.start.Reachability;
import io.fleethealth.contract.start.StartedParts;
import io.fleethealth.contract.start.StartupException;
import io.fleethealth.serde.EventSerdes;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole agent of one host: probing and publishing ({@link ProbeAgent}), restart commands ({@link CommandService}),
 * metrics and the HTTP surface. Start it from {@link ProbeAgent#main} or in-process from a launcher; close it to stop.
 */
public final class AgentService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentService.class);
    /** How long closing lets restarts under way finish and be reported. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);
    /** How long Kafka may leave records unacknowledged, or the command consumer unanswered, before /health is DOWN. */
    public static final Duration HEALTH_STALL = Duration.ofSeconds(15);

    private final AgentConfig config;
    private final AgentMetrics metrics;
    private final StartedParts parts;
    private final ProbeAgent probing;
    private final CommandService commands;
    private final AgentHttpServer http;

    private AgentService(AgentConfig config, AgentMetrics metrics, StartedParts parts, ProbeAgent probing,
                         CommandService commands, AgentHttpServer http) {
        this.config = config;
        this.metrics = metrics;
        this.parts = parts;
        this.probing = probing;
        this.commands = commands;
        this.http = http;
    }

    /**
     * Starts every part of the agent for a plaintext cluster and an open registry (tests), all or nothing. Kafka and
     * the registry must answer within FLEET_KAFKA_STARTUP_TIMEOUT;
     * then probing, restart commands and the HTTP surface start in that order, and a failure closes what started.
     *
     * @throws IllegalArgumentException when the settings lack the Kafka cluster or the registry
     * @throws StartupException when Kafka or the registry do not answer in time, or the HTTP port is taken
     */
    public static AgentService start(AgentConfig config) {
        return start(config, ClusterAccess.fromEnv(config, Map.of()));
    }

    /**
     * As {@link #start(AgentConfig)}, with the Kafka and registry client security of {@code access}.
     *
     * @throws KafkaPreflight.KafkaUnavailableException when Kafka does not answer in time or refuses the credentials
     */
    public static AgentService start(AgentConfig config, ClusterAccess access) {
        URI registryUrl = config.schemaRegistryUrl().orElseThrow(() ->
                new IllegalArgumentException(AgentConfig.SCHEMA_REGISTRY_URL.key() + " is required"));
        KafkaPreflight.check(access.kafka(), config.startTimeout());
        Reachability.awaitRegistry(registryUrl, AgentConfig.SCHEMA_REGISTRY_URL.show(config.schemaRegistryUrl()),
                access.registry().access(), config.startTimeout(), AgentConfig.SCHEMA_REGISTRY_URL.key());
        AgentMetrics metrics = new AgentMetrics(config.hostId());
        StartedParts parts = new StartedParts("agent");
        try {
            ProbeAgent probing = parts.add("probing", ProbeAgent.start(config, metrics, access));
            CommandService commands = parts.add("restart commands", CommandService.start(config, access.kafka(),
                    new EventSerdes(access.registry().client(registryUrl)), probing.engine(), Clock.systemUTC(),
                    command -> probing.probeNow(command.getSessionId(), command.getContainerId(),
                            command.getContainerName()),
                    outcome -> metrics.commandHandled(outcome.getResult()), SHUTDOWN_GRACE));
            CommandConsumer reading = commands.consumer();
            metrics.commandDecodeFailures(reading::decodeFailures);
            metrics.commandsCorruptSkipped(reading::corruptSkipped);
            metrics.commandLoopFailures(reading::loopFailures);
            metrics.commandsBlocked(reading::blockedPartitions);
            AgentService[] self = new AgentService[1];
            AgentHttpServer http = parts.add("HTTP surface",
                    new AgentHttpServer(config.httpHost(), config.httpPort(), () -> self[0].health(), metrics::scrape));
            self[0] = new AgentService(config, metrics, parts, probing, commands, http);
            serve(config, http);
            log.info("Agent of host {} running: probing, restart commands, http on port {}", config.hostId(), http.port());
            return self[0];
        } catch (RuntimeException | Error e) {
            parts.close();
            throw e;
        }
    }

    /**
     * For a caller that runs its own broker and registry (tests, benchmarks): the settings from {@code env}, with
     * the Kafka bootstrap servers and the registry's Confluent-compatible URL set by the caller.
     */
    public static AgentService start(Map<String, String> env, String bootstrapServers, URI registryUrl) {
        return start(env, KafkaClientSettings.fromEnv(bootstrapServers, env), registryUrl,
                RegistryClientSettings.fromEnv(env));
    }

    /** As {@link #start(Map, String, URI)}, with the Kafka and registry client security given. */
    public static AgentService start(Map<String, String> env, KafkaClientSettings kafka, URI registryUrl,
                                     RegistryClientSettings registry) {
        Map<String, String> all = new HashMap<>(env);
        all.put(AgentConfig.KAFKA_BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        all.put(AgentConfig.SCHEMA_REGISTRY_URL.key(), registryUrl.toString());
        AgentConfig config = configFrom(all, List.of());
        log.info("probe-agent settings:\n{}", config.describe());
        log.info("Kafka client: {}; registry client: {}", kafka.describe(), registry.describe());
        return start(config, new ClusterAccess(kafka, registry));
    }

    /**
     * The agent's settings from {@code env}. Without HOST_ID, the host id is {@link #defaultHostId(Map)}.
     */
    public static AgentConfig configFrom(Map<String, String> env, List<CrossCheck> requirements) {
        return AgentConfig.fromEnvironment(env, requirements, () -> defaultHostId(env));
    }

    /** Same as {@link #configFrom(Map, List)} without further requirements. */
    public static AgentConfig configFrom(Map<String, String> env) {
        return configFrom(env, List.of());
    }

    /**
     * The Docker engine's own name ({@code docker info}), else this machine's host name: unique per Docker host
     * even when agents run in containers, so agents of different hosts never share a consumer group or take each
     * other's commands.
     */
    public static String defaultHostId(Map<String, String> env) {
        String dockerHost = env.getOrDefault(AgentConfig.DOCKER_HOST.key(), "").strip();
        try {
            return DockerEngine.engineName(dockerHost.isEmpty() ? URI.create("unix:///var/run/docker.sock")
                    : URI.create(dockerHost)).orElseGet(AgentConfig::localHostName);
        } catch (IllegalArgumentException badUri) {
            return AgentConfig.localHostName(); // the settings check names DOCKER_HOST and its accepted values
        }
    }

    private static void serve(AgentConfig config, AgentHttpServer http) {
        try {
            http.start();
        } catch (UncheckedIOException e) {
            throw StartupException.because("cannot serve the agent's /health and /metrics on " + config.httpHost() + ":"
                    + config.httpPort() + " (" + AgentConfig.HTTP_HOST.key() + " / " + AgentConfig.HTTP_PORT.key() + ")", e);
        }
    }

    /**
     * Engine reachability is the last round's (no extra engine call per request). Delivery and command reading each
     * have their own verdict: a broker that is gone shows as records waiting unacknowledged beyond
     * {@link #HEALTH_STALL} and as a command consumer the broker has not answered for as long.
     */
    public AgentHealth health() {
        Optional<RoundReport> last = probing.scheduler().lastRound();
        return new AgentHealth(
                last.map(RoundReport::engineReachable).orElse(false),
                probing.publisher().deliveryProblem(HEALTH_STALL),
                commands.consumer().problem(HEALTH_STALL),
                last.map(RoundReport::startedAt),
                last.map(r -> r.duration().toMillis()),
                last.map(RoundReport::containersMonitored).orElse(0));
    }

    public AgentConfig config() {
        return config;
    }

    /** The port the HTTP surface listens on (the configured one, or the one picked for port 0). */
    public int httpPort() {
        return http.port();
    }

    public URI httpUri() {
        return URI.create("http://" + config.httpHost() + ":" + httpPort());
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    public ProbeAgent probing() {
        return probing;
    }

    public CommandService commands() {
        return commands;
    }

    /** Closes HTTP, then stops taking commands and lets restarts under way finish (bounded), then probing and publishing. */
    @Override
    public void close() {
        log.info("Agent of host {} stopping", config.hostId());
        parts.close();
    }
}
