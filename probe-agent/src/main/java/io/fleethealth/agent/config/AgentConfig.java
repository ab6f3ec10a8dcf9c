package io.fleethealth.agent.config;

import io.fleethealth.contract.labels.Labels;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every setting of the probe-agent, read once from the environment and validated at start, so that a bad value
 * stops the agent with the variable's name instead of surfacing hours later.
 */
public record AgentConfig(
        Duration checkInterval,
        Duration probeTimeout,
        int probeConcurrency,
        String sessionLabel,
        String hostId,
        URI dockerHost,
        Optional<String> kafkaBootstrapServers,
        Optional<URI> schemaRegistryUrl,
        Path stateDir,
        int httpPort,
        String httpHost,
        int publishBuffer) {

    public static final String CHECK_INTERVAL = "CONTAINER_HEALTH_CHECK_INTERVAL";
    public static final String HEALTH_TIMEOUT = "CONTAINER_HEALTH_TIMEOUT";
    public static final String PROBE_CONCURRENCY = "CONTAINER_PROBE_CONCURRENCY";
    public static final String SESSION_LABEL = "CONTAINER_SESSION_LABEL";
    public static final String HOST_ID = "HOST_ID";
    public static final String DOCKER_HOST = "DOCKER_HOST";
    public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String SCHEMA_REGISTRY_URL = "SCHEMA_REGISTRY_URL";
    public static final String STATE_DIR = "CONTAINER_AGENT_STATE_DIR";
    public static final String HTTP_PORT = "AGENT_HTTP_PORT";
    public static final String HTTP_HOST = "AGENT_HTTP_HOST";
    public static final String PUBLISH_BUFFER = "AGENT_PUBLISH_BUFFER";

    public static final String DEFAULT_SESSION_LABEL = Labels.SESSION;
    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

    public AgentConfig {
        Objects.requireNonNull(checkInterval, "checkInterval");
        Objects.requireNonNull(probeTimeout, "probeTimeout");
        Objects.requireNonNull(sessionLabel, "sessionLabel");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(dockerHost, "dockerHost");
        Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
        Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(httpHost, "httpHost");
    }

    /** Reads the settings from {@code env}; the host id defaults to this machine's host name. */
    public static AgentConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, AgentConfig::localHostName);
    }

    public static AgentConfig fromEnvironment(Map<String, String> env, Supplier<String> defaultHostId) {
        Reader r = new Reader(env);
        Duration interval = Duration.ofSeconds(r.integer(CHECK_INTERVAL, 30, 1, 86_400));
        Duration timeout = r.decimalSeconds(HEALTH_TIMEOUT, "10.0");
        if (timeout.compareTo(interval) >= 0) {
            // A probe that may outlive the interval would make every round overrun.
            throw new ConfigException(HEALTH_TIMEOUT, r.raw(HEALTH_TIMEOUT).orElse("10.0"),
                    "a timeout shorter than " + CHECK_INTERVAL + " (" + interval.toSeconds() + " s)");
        }
        return new AgentConfig(
                interval,
                timeout,
                r.integer(PROBE_CONCURRENCY, 16, 1, 1024),
                r.labelKey(SESSION_LABEL, DEFAULT_SESSION_LABEL),
                r.raw(HOST_ID).orElseGet(defaultHostId),
                r.dockerHost(DOCKER_HOST, DEFAULT_DOCKER_HOST),
                r.raw(KAFKA_BOOTSTRAP_SERVERS).map(v -> r.bootstrapServers(KAFKA_BOOTSTRAP_SERVERS, v)),
                r.raw(SCHEMA_REGISTRY_URL).map(v -> r.httpUrl(SCHEMA_REGISTRY_URL, v)),
                r.path(STATE_DIR, "./.agent-state"),
                r.integer(HTTP_PORT, 8081, 0, 65_535),
                r.raw(HTTP_HOST).orElse("127.0.0.1"),
                r.integer(PUBLISH_BUFFER, 10_000, 1, 10_000_000));
    }

    /** One line for the start log. Credentials in URLs are masked; nothing else here is secret. */
    public String describe() {
        return "hostId=" + hostId
                + " interval=" + checkInterval.toSeconds() + "s"
                + " probeTimeout=" + probeTimeout.toMillis() + "ms"
                + " concurrency=" + probeConcurrency
                + " sessionLabel=" + sessionLabel
                + " dockerHost=" + withoutUserInfo(dockerHost)
                + " kafka=" + kafkaBootstrapServers.orElse("(not set)")
                + " schemaRegistry=" + schemaRegistryUrl.map(AgentConfig::withoutUserInfo).orElse("(not set)")
                + " stateDir=" + stateDir
                + " http=" + httpHost + ":" + httpPort
                + " publishBuffer=" + publishBuffer;
    }

    private static String withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        return uri.toString().replace(uri.getRawUserInfo() + "@", "***@");
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new ConfigException(HOST_ID, "", "a host id: the machine's host name cannot be resolved ("
                    + e.getMessage() + "), set " + HOST_ID);
        }
    }

    /** Parsing with the variable's name at hand, so that every error names it. */
    private record Reader(Map<String, String> env) {

        Optional<String> raw(String key) {
            return Optional.ofNullable(env.get(key)).map(String::trim).filter(v -> !v.isEmpty());
        }

        int integer(String key, int defaultValue, int min, int max) {
            Optional<String> value = raw(key);
            if (value.isEmpty()) {
                return defaultValue;
            }
            String accepted = "a whole number from " + min + " to " + max;
            try {
                int parsed = Integer.parseInt(value.get());
                if (parsed < min || parsed > max) {
                    throw new ConfigException(key, value.get(), accepted);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigException(key, value.get(), accepted);
            }
        }

        Duration decimalSeconds(String key, String defaultValue) {
            String value = raw(key).orElse(defaultValue);
            String accepted = "seconds as a decimal number from 0.001 to 3600, e.g. 10.0 or 0.5";
            try {
                BigDecimal seconds = new BigDecimal(value);
                BigDecimal millis = seconds.movePointRight(3);
                if (millis.compareTo(BigDecimal.ONE) < 0 || seconds.compareTo(BigDecimal.valueOf(3600)) > 0) {
                    throw new ConfigException(key, value, accepted);
                }
                return Duration.ofMillis(millis.longValue());
            } catch (NumberFormatException e) {
                throw new ConfigException(key, value, accepted);
            }
        }

        String labelKey(String key, String defaultValue) {
            String value = raw(key).orElse(defaultValue);
            if (!value.matches("[A-Za-z0-9][A-Za-z0-9._/-]*")) {
                throw new ConfigException(key, value, "a Docker label key (letters, digits, '.', '_', '-', '/')");
            }
            return value;
        }

        URI dockerHost(String key, String defaultValue) {
            String value = raw(key).orElse(defaultValue);
            String accepted = "unix:///path/to/docker.sock or tcp://host:port";
            try {
                URI uri = URI.create(value);
                boolean unix = "unix".equals(uri.getScheme()) && uri.getPath() != null && !uri.getPath().isEmpty();
                boolean tcp = "tcp".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0;
                if (!unix && !tcp) {
                    throw new ConfigException(key, value, accepted);
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, value, accepted);
            }
        }

        String bootstrapServers(String key, String value) {
            for (String server : value.split(",")) {
                if (!server.trim().matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
                    throw new ConfigException(key, value, "a comma-separated list of host:port");
                }
            }
            return value;
        }

        URI httpUrl(String key, String value) {
            String accepted = "an http:// or https:// URL";
            try {
                URI uri = URI.create(value);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new ConfigException(key, value, accepted);
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, value, accepted);
            }
        }

        Path path(String key, String defaultValue) {
            String value = raw(key).orElse(defaultValue);
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new ConfigException(key, value, "a file system path");
            }
        }
    }
}
