package io.fleethealth.agent.config;

import io.fleethealth.agent.probe.EngineBreaker;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.kafka.RegistryClientSettings;
import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.contract.settings.CrossCheck;
import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.Settings;
import io.fleethealth.contract.settings.SharedSettings;
import io.fleethealth.contract.settings.ValueParser;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every setting of the probe-agent, declared as data (the shared ones in {@link SharedSettings}), read once from
 * the environment and validated at start, so that a bad value stops the agent with the variable's name instead
 * of surfacing hours later. Immutable.
 */
public final class AgentConfig {

    public static final Setting<Duration> CHECK_INTERVAL = SharedSettings.CHECK_INTERVAL;
    public static final Setting<Duration> HEALTH_TIMEOUT = SharedSettings.HEALTH_TIMEOUT;
    public static final Setting<Integer> PROBE_CONCURRENCY = Setting.of("CONTAINER_PROBE_CONCURRENCY",
            "probes one agent runs at once", 16, ValueParser.intBetween(1, 1_024));
    public static final Setting<String> SESSION_LABEL = SharedSettings.SESSION_LABEL;
    public static final Setting<Optional<String>> HOST_ID = Setting.optional("HOST_ID",
            "identity of a probe-agent's Docker host", "(the machine's host name)",
            ValueParser.nonBlank("a non-blank host id"));
    public static final Setting<URI> DOCKER_HOST = SharedSettings.DOCKER_HOST;
    public static final Setting<Optional<String>> KAFKA_BOOTSTRAP_SERVERS = SharedSettings.KAFKA_BOOTSTRAP_SERVERS;
    public static final Setting<Optional<URI>> SCHEMA_REGISTRY_URL = SharedSettings.SCHEMA_REGISTRY_URL;
    public static final Setting<Duration> START_TIMEOUT = SharedSettings.START_TIMEOUT;
    public static final Setting<Path> STATE_DIR = Setting.of("CONTAINER_AGENT_STATE_DIR",
            "where an agent remembers the restart commands it executed", Path.of("./.agent-state"), ValueParser.path());
    public static final Setting<Integer> HTTP_PORT = Setting.of("AGENT_HTTP_PORT",
            "port of an agent's /health and /metrics", 8081, ValueParser.port());
    public static final Setting<String> HTTP_HOST = Setting.of("AGENT_HTTP_HOST",
            "address an agent's /health and /metrics bind to", "127.0.0.1",
            ValueParser.nonBlank("a host name or IP address"));
    public static final Setting<Integer> PUBLISH_BUFFER = Setting.of("AGENT_PUBLISH_BUFFER",
            "check results an agent holds while Kafka is unreachable; the oldest are dropped (and counted) beyond",
            10_000, ValueParser.intBetween(1, 10_000_000));

    /** Every setting of the agent, in the order they are resolved and printed. */
    public static final List<Setting<?>> SETTINGS = Settings.union(List.of(
            CHECK_INTERVAL, HEALTH_TIMEOUT, PROBE_CONCURRENCY, SESSION_LABEL, HOST_ID, DOCKER_HOST,
            KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, START_TIMEOUT, STATE_DIR, HTTP_PORT, HTTP_HOST, PUBLISH_BUFFER,
            EngineBreaker.TROUBLE_SHARE, EngineBreaker.MIN_PROBES,
            KafkaClientSettings.CLIENT_CONFIG_FILE), RegistryClientSettings.SETTINGS);

    public static final List<CrossCheck> CROSS_CHECKS = List.of(SharedSettings.TIMEOUT_SHORTER_THAN_INTERVAL);

    private final Settings settings;
    private final String hostId;

    private AgentConfig(Settings settings, String hostId) {
        this.settings = settings;
        this.hostId = hostId;
    }

    /** Reads the settings from {@code env}; the host id defaults to this machine's host name. */
    public static AgentConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, AgentConfig::localHostName);
    }

    public static AgentConfig fromEnvironment(Map<String, String> env, Supplier<String> defaultHostId) {
        return fromEnvironment(env, List.of(), defaultHostId);
    }

    /** As {@link #fromEnvironment(Map)}, with the runnable's own requirements checked in the same pass. */
    public static AgentConfig fromEnvironment(Map<String, String> env, List<CrossCheck> requirements) {
        return fromEnvironment(env, requirements, AgentConfig::localHostName);
    }

    /**
     * As {@link #fromEnvironment(Map)}, with the runnable's own requirements checked in the same pass (the separate
     * agent needs KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL), so that every bad variable is reported at once.
     */
    public static AgentConfig fromEnvironment(Map<String, String> env, List<CrossCheck> requirements,
                                              Supplier<String> defaultHostId) {
        List<CrossCheck> checks = new ArrayList<>(CROSS_CHECKS);
        checks.addAll(requirements);
        return of(Settings.read(env, SETTINGS, checks), defaultHostId);
    }

    /** Wraps settings already read (by a launcher reading several runnables' lists in one pass). */
    public static AgentConfig of(Settings settings) {
        return of(settings, AgentConfig::localHostName);
    }

    /** Same as {@link #of(Settings)}, with the host id used when HOST_ID is not set. */
    public static AgentConfig of(Settings settings, Supplier<String> defaultHostId) {
        return new AgentConfig(settings, settings.get(HOST_ID).orElseGet(defaultHostId));
    }

    public Duration checkInterval() {
        return settings.get(CHECK_INTERVAL);
    }

    public Duration probeTimeout() {
        return settings.get(HEALTH_TIMEOUT);
    }

    public int probeConcurrency() {
        return settings.get(PROBE_CONCURRENCY);
    }

    public String sessionLabel() {
        return settings.get(SESSION_LABEL);
    }

    public String hostId() {
        return hostId;
    }

    public URI dockerHost() {
        return settings.get(DOCKER_HOST);
    }

    public Optional<String> kafkaBootstrapServers() {
        return settings.get(KAFKA_BOOTSTRAP_SERVERS);
    }

    public Optional<URI> schemaRegistryUrl() {
        return settings.get(SCHEMA_REGISTRY_URL);
    }

    /** How long the start waits for Kafka and the registry. */
    public Duration startTimeout() {
        return settings.get(START_TIMEOUT);
    }

    public Path stateDir() {
        return settings.get(STATE_DIR);
    }

    public int httpPort() {
        return settings.get(HTTP_PORT);
    }

    public String httpHost() {
        return settings.get(HTTP_HOST);
    }

    /** The engine breaker's settings ({@link EngineBreaker#TROUBLE_SHARE}, {@link EngineBreaker#MIN_PROBES}). */
    public EngineBreaker engineBreaker() {
        return new EngineBreaker(settings.get(EngineBreaker.TROUBLE_SHARE), settings.get(EngineBreaker.MIN_PROBES));
    }

    public int publishBuffer() {
        return settings.get(PUBLISH_BUFFER);
    }

    /** The start-up log block: one line per setting, credentials in URLs masked. */
    public String describe() {
        return settings.describe() + (settings.isSet(HOST_ID) ? "" : "\n  (host id: " + hostId + ")");
    }

    @Override
    public String toString() {
        return settings.toString();
    }

    /** This machine's host name, the fallback host id. */
    public static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new ConfigException(HOST_ID.key(), HOST_ID.key() + " is not set and the machine's host name cannot be "
                    + "resolved (" + e.getMessage() + "): set " + HOST_ID.key());
        }
    }
}
