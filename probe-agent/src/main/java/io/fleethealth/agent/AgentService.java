package io.fleethealth.agent;

import io.fleethealth.agent.command.CommandService;
import io.fleethealth.agent.config.AgentConfig;
import io.fleethealth.agent.config.ConfigException;
import io.fleethealth.agent.http.AgentHealth;
import io.fleethealth.agent.http.AgentHttpServer;
import io.fleethealth.agent.metrics.AgentMetrics;
import io.fleethealth.agent.probe.RoundReport;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.kafka.RegistryClientSettings;
import io.fleethealth.serde.EventSerdes;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
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

    private final AgentConfig config;
    private final AgentMetrics metrics;
    private final ProbeAgent probing;
    private final CommandService commands;
    private final AgentHttpServer http;

    private AgentService(AgentConfig config, ClusterAccess access) {
        URI registryUrl = config.schemaRegistryUrl().orElseThrow(() -> new ConfigException(AgentConfig.SCHEMA_REGISTRY_URL,
                "", "the registry's Confluent-compatible root, e.g. http://127.0.0.1:8080/apis/ccompat/v7"));
        this.config = config;
        this.metrics = new AgentMetrics(config.hostId());
        this.probing = ProbeAgent.start(config, metrics, access);
        CommandService started = null;
        AgentHttpServer server = null;
        try {
            started = CommandService.start(config, access.kafka(), new EventSerdes(access.registry().client(registryUrl)),
                    probing.engine(), Clock.systemUTC(),
                    command -> probing.probeNow(command.getSessionId(), command.getContainerId(),
                            command.getContainerName()),
                    outcome -> metrics.commandHandled(outcome.getResult()), SHUTDOWN_GRACE);
            server = new AgentHttpServer(config.httpHost(), config.httpPort(), this::health, metrics::scrape);
            server.start();
        } catch (RuntimeException e) {
            if (started != null) {
                started.close();
            }
            probing.close();
            throw e;
        }
        this.commands = started;
        this.http = server;
        log.info("Agent of host {} running: probing, restart commands, http on port {}", config.hostId(), http.port());
    }

    /**
     * Starts every part of the agent for a plaintext cluster and an open registry (tests); a missing Kafka or registry
     * setting is a {@link ConfigException}.
     */
    public static AgentService start(AgentConfig config) {
        return start(config, ClusterAccess.fromEnv(config, Map.of()));
    }

    /** Starts every part of the agent with the Kafka and registry client security of {@code access}. */
    public static AgentService start(AgentConfig config, ClusterAccess access) {
        return new AgentService(config, access);
    }

    /**
     * For a launcher that runs its own broker and registry: the settings from {@code env}, with the Kafka bootstrap
     * servers and the registry's Confluent-compatible URL set by the caller.
     */
    public static AgentService start(Map<String, String> env, String bootstrapServers, URI registryUrl) {
        return start(env, KafkaClientSettings.fromEnv(bootstrapServers, env), registryUrl,
                RegistryClientSettings.fromEnv(env));
    }

    /** Same, with the Kafka client and registry security given by the launcher (plaintext for its embedded stack). */
    public static AgentService start(Map<String, String> env, KafkaClientSettings kafka, URI registryUrl,
                                     RegistryClientSettings registry) {
        Map<String, String> all = new HashMap<>(env);
        all.put(AgentConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        all.put(AgentConfig.SCHEMA_REGISTRY_URL, registryUrl.toString());
        AgentConfig config = AgentConfig.fromEnvironment(all);
        log.info("Settings: {}", config.describe());
        log.info("Kafka client: {}; registry client: {}", kafka.describe(), registry.describe());
        return start(config, new ClusterAccess(kafka, registry));
    }

    /**
     * Engine reachability is the last round's (no extra engine call per request). Kafka counts as reachable when the
     * last publish was acknowledged or the command consumer holds its partitions (it reached the group coordinator):
     * the second covers the time before the first acknowledgement.
     */
    public AgentHealth health() {
        Optional<RoundReport> last = probing.scheduler().lastRound();
        return new AgentHealth(
                last.map(RoundReport::engineReachable).orElse(false),
                probing.publisher().kafkaReachable() || commands.kafkaAssigned(),
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

    /** Stops taking commands and lets restarts under way finish (bounded), then probing, publishing and HTTP. */
    @Override
    public void close() {
        log.info("Agent of host {} stopping", config.hostId());
        commands.close();
        probing.close();
        http.close();
    }
}
