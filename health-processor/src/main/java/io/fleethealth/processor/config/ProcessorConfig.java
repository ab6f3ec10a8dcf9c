package io.fleethealth.processor.config;

import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.ValueParser;
import io.fleethealth.processor.decision.DecisionSettings;
import io.fleethealth.processor.metrics.KafkaClientMetrics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The processor's settings, read once from the environment and validated at start. Immutable.
 * Every setting is declared below as data (key, doc, default, validator); a bad value stops the app
 * with a {@link ConfigException} that names the variable.
 */
public final class ProcessorConfig {

    public static final Setting<Duration> CHECK_INTERVAL = Setting.of("CONTAINER_HEALTH_CHECK_INTERVAL",
            "seconds between two probes of a container", Duration.ofSeconds(30), ValueParser.seconds(1));
    public static final Setting<Duration> HEALTH_TIMEOUT = Setting.of("CONTAINER_HEALTH_TIMEOUT",
            "seconds one probe may take", Duration.ofSeconds(10), ValueParser.positiveDecimalSeconds());
    public static final Setting<Integer> MAX_RESTART_ATTEMPTS = Setting.of("CONTAINER_MAX_RESTART_ATTEMPTS",
            "restarts of one failure episode before the session is FAILED (0 = never restart)", 3,
            ValueParser.intAtLeast(0));
    public static final Setting<Duration> RESTART_DELAY = Setting.of("CONTAINER_RESTART_DELAY",
            "base back-off before a restart; doubles with every attempt", Duration.ofSeconds(5),
            ValueParser.seconds(0));
    public static final Setting<Integer> FAILURE_THRESHOLD = Setting.of("CONTAINER_FAILURE_THRESHOLD",
            "consecutive recent failures that trigger a restart", 3, ValueParser.intAtLeast(1));
    public static final Setting<Duration> RESTART_BACKOFF_MAX = Setting.of("CONTAINER_RESTART_BACKOFF_MAX",
            "upper bound of the restart back-off", Duration.ofSeconds(300), ValueParser.seconds(0));
    public static final Setting<Duration> RESTART_EXPIRY = Setting.derived("CONTAINER_RESTART_EXPIRY",
            "seconds after its not-before time that a restart command expires",
            "2 x CONTAINER_HEALTH_CHECK_INTERVAL + 60s",
            earlier -> earlier.get(CHECK_INTERVAL).multipliedBy(2).plusSeconds(60), ValueParser.seconds(1));
    public static final Setting<Duration> RESTART_GRACE = Setting.derived("CONTAINER_RESTART_GRACE",
            "after a restart, how long failures do not count",
            "max(2 x CONTAINER_HEALTH_CHECK_INTERVAL, 30s)",
            earlier -> max(earlier.get(CHECK_INTERVAL).multipliedBy(2), Duration.ofSeconds(30)),
            ValueParser.seconds(0));
    public static final Setting<Integer> SUCCESS_THRESHOLD = Setting.of("CONTAINER_SUCCESS_THRESHOLD",
            "consecutive successes that make a session HEALTHY again", 1, ValueParser.intAtLeast(1));
    public static final Setting<Duration> RECOVERY_RESET = Setting.of("CONTAINER_RECOVERY_RESET",
            "continuous health after which the restart attempt counter resets", Duration.ofSeconds(600),
            ValueParser.seconds(0));
    public static final Setting<Duration> STALE_AFTER = Setting.derived("CONTAINER_STALE_AFTER",
            "a session with no check for this long becomes UNKNOWN",
            "3 x CONTAINER_HEALTH_CHECK_INTERVAL",
            earlier -> earlier.get(CHECK_INTERVAL).multipliedBy(3), ValueParser.seconds(1));
    public static final Setting<Duration> HISTORY_RETENTION = Setting.of("CONTAINER_HEALTH_HISTORY_RETENTION",
            "how long the rolling history of checks is kept", Duration.ofHours(24), ValueParser.seconds(60));
    public static final Setting<Duration> STOP_TIMEOUT = Setting.of("CONTAINER_STOP_TIMEOUT",
            "seconds the engine waits after SIGTERM before SIGKILL on a restart", Duration.ofSeconds(10),
            ValueParser.seconds(0));
    public static final Setting<Duration> ALERT_RESEND_INTERVAL = Setting.of("ALERT_RESEND_INTERVAL",
            "seconds between two sends of an alert that is still active; keep it well inside the receiver's "
                    + "resolve timeout (Alertmanager: 5 min by default), which ends an alert that is not re-sent",
            Duration.ofSeconds(60), ValueParser.seconds(1));

    public static final Setting<KafkaClientMetrics.Level> KAFKA_METRICS = Setting.of("PROCESSOR_KAFKA_METRICS",
            "Kafka client metrics served at /metrics: essential (those an operator watches, see "
                    + "docs/operations.md), all (some 400 series, not all promtool-clean), or none",
            KafkaClientMetrics.Level.ESSENTIAL, ValueParser.of("one of " + String.join(", ", KafkaClientMetrics.Level.names()),
                    raw -> KafkaClientMetrics.Level.valueOf(raw.trim().toUpperCase(java.util.Locale.ROOT)),
                    level -> level.name().toLowerCase(java.util.Locale.ROOT)));

    public static final Setting<Optional<String>> KAFKA_BOOTSTRAP_SERVERS = Setting.derived("KAFKA_BOOTSTRAP_SERVERS",
            "Kafka brokers; unset = the embedded broker of the local main job", "(embedded broker)",
            earlier -> Optional.empty(), ValueParser.bootstrapServers());
    public static final Setting<Optional<URI>> SCHEMA_REGISTRY_URL = Setting.derived("SCHEMA_REGISTRY_URL",
            "Confluent-compatible schema registry root; unset = the embedded registry", "(embedded registry)",
            earlier -> Optional.empty(), ValueParser.httpUrl());
    public static final Setting<String> APPLICATION_ID = Setting.of("PROCESSOR_APPLICATION_ID",
            "Kafka Streams application.id (consumer group, state and internal topic prefix)",
            "fleet-health-processor", ValueParser.nonBlank("a non-blank Kafka Streams application id"));
    public static final Setting<String> PROCESSING_GUARANTEE = Setting.of("PROCESSOR_PROCESSING_GUARANTEE",
            "Kafka Streams processing.guarantee", "exactly_once_v2",
            ValueParser.oneOf(List.of("exactly_once_v2", "at_least_once")));
    public static final Setting<Path> STATE_DIR = Setting.derived("PROCESSOR_STATE_DIR",
            "Kafka Streams state.dir (RocksDB stores)", "<java.io.tmpdir>/fleet-health/processor-state",
            earlier -> Path.of(System.getProperty("java.io.tmpdir"), "fleet-health", "processor-state"),
            ValueParser.path());
    public static final Setting<Integer> HTTP_PORT = Setting.of("PROCESSOR_HTTP_PORT",
            "port of the operators' HTTP API", 8080, ValueParser.port());
    public static final Setting<String> HTTP_HOST = Setting.of("PROCESSOR_HTTP_HOST",
            "address the HTTP API binds to", "127.0.0.1", ValueParser.nonBlank("a host name or IP address"));
    public static final Setting<String> ADVERTISED_HOST = Setting.derived("PROCESSOR_ADVERTISED_HOST",
            "host name other processor instances use to reach this one's API (Kafka Streams application.server)",
            "PROCESSOR_HTTP_HOST, or the machine's host name when that is a wildcard address",
            earlier -> advertisedDefault(earlier.get(HTTP_HOST)), ValueParser.nonBlank("a host name or IP address"));
    public static final Setting<Optional<String>> ADMIN_TOKEN = new Setting<>("FLEET_ADMIN_TOKEN",
            "bearer token of the operators' write routes (reset); unset = those routes are disabled",
            "(not set)", earlier -> Optional.empty(), ValueParser.secret(), true);
    public static final Setting<URI> PUBLIC_URL = Setting.derived("PROCESSOR_PUBLIC_URL",
            "URL operators open the dashboard at: alerts link to their session's page there (generatorURL)",
            "http://PROCESSOR_ADVERTISED_HOST:PROCESSOR_HTTP_PORT",
            earlier -> URI.create("http://" + earlier.get(ADVERTISED_HOST) + ":" + earlier.get(HTTP_PORT)),
            absoluteUrl());
    public static final Setting<Optional<URI>> RUNBOOK_URL = Setting.derived("ALERT_RUNBOOK_URL",
            "absolute URL of the runbook (docs/operations.md as your operators read it); alerts carry "
                    + "runbook_url = this URL + #section; unset = alerts carry no runbook_url",
            "(not set)", earlier -> Optional.empty(), ValueParser.of("an absolute http:// or https:// URL",
                    raw -> Optional.of(absoluteUrl().parse(raw)), value -> value.map(URI::toString).orElse("(not set)")));

    /** Every setting, in the order they are resolved and printed; derived defaults come after their sources. */
    public static final List<Setting<?>> SETTINGS = List.of(
            CHECK_INTERVAL, HEALTH_TIMEOUT, MAX_RESTART_ATTEMPTS, RESTART_DELAY, FAILURE_THRESHOLD,
            RESTART_BACKOFF_MAX, RESTART_EXPIRY, RESTART_GRACE, SUCCESS_THRESHOLD, RECOVERY_RESET, STALE_AFTER,
            HISTORY_RETENTION, STOP_TIMEOUT, ALERT_RESEND_INTERVAL, KAFKA_METRICS,
            KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, APPLICATION_ID, PROCESSING_GUARANTEE, STATE_DIR,
            HTTP_PORT, HTTP_HOST, ADVERTISED_HOST, ADMIN_TOKEN, PUBLIC_URL, RUNBOOK_URL);

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, Boolean> fromEnv;

    private ProcessorConfig(Map<Setting<?>, Object> values, Map<Setting<?>, Boolean> fromEnv) {
        this.values = Map.copyOf(values);
        this.fromEnv = Map.copyOf(fromEnv);
    }

    /** Reads and validates every setting; unset or blank variables take their default. */
    public static ProcessorConfig fromEnv(Map<String, String> env) {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        Map<Setting<?>, Boolean> fromEnv = new LinkedHashMap<>();
        Setting.Resolved earlier = new Setting.Resolved() {
            @Override
            public <U> U get(Setting<U> setting) {
                if (!values.containsKey(setting)) {
                    throw new IllegalStateException(setting.key() + " is used before it is resolved");
                }
                @SuppressWarnings("unchecked")
                U value = (U) values.get(setting);
                return value;
            }
        };
        for (Setting<?> setting : SETTINGS) {
            String raw = env.get(setting.key());
            values.put(setting, setting.resolve(raw, earlier));
            fromEnv.put(setting, raw != null && !raw.isBlank());
        }
        ProcessorConfig config = new ProcessorConfig(values, fromEnv);
        config.crossCheck();
        return config;
    }

    /** Checks between settings: each combination below would make the decisions nonsensical. */
    private void crossCheck() {
        if (restartBackoffMax().compareTo(restartDelay()) < 0) {
            throw crossCheckFailure(RESTART_BACKOFF_MAX, RESTART_DELAY, "must be >= " + RESTART_DELAY.key());
        }
        if (staleAfter().compareTo(checkInterval()) <= 0) {
            throw crossCheckFailure(STALE_AFTER, CHECK_INTERVAL,
                    "must be longer than " + CHECK_INTERVAL.key() + ", or every session would go UNKNOWN between probes");
        }
        if (healthTimeout().compareTo(checkInterval()) > 0) {
            throw crossCheckFailure(HEALTH_TIMEOUT, CHECK_INTERVAL,
                    "must not exceed " + CHECK_INTERVAL.key() + ", or probe rounds would overlap");
        }
    }

    private ConfigException crossCheckFailure(Setting<Duration> bad, Setting<Duration> other, String rule) {
        return new ConfigException(bad.key(), "Invalid value " + bad.parser().format(get(bad)) + " for " + bad.key()
                + ": " + rule + " (" + other.key() + "=" + other.parser().format(get(other)) + ")");
    }

    /** The value of one setting. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (!values.containsKey(setting)) {
            throw new IllegalArgumentException("Unknown setting " + setting.key());
        }
        return (T) values.get(setting);
    }

    public Duration checkInterval() {
        return get(CHECK_INTERVAL);
    }

    public Duration healthTimeout() {
        return get(HEALTH_TIMEOUT);
    }

    public int maxRestartAttempts() {
        return get(MAX_RESTART_ATTEMPTS);
    }

    public Duration restartDelay() {
        return get(RESTART_DELAY);
    }

    public int failureThreshold() {
        return get(FAILURE_THRESHOLD);
    }

    public Duration restartBackoffMax() {
        return get(RESTART_BACKOFF_MAX);
    }

    /** Time a command stays executable after its not-before time. */
    public Duration restartExpiry() {
        return get(RESTART_EXPIRY);
    }

    public Duration restartGrace() {
        return get(RESTART_GRACE);
    }

    public int successThreshold() {
        return get(SUCCESS_THRESHOLD);
    }

    public Duration recoveryReset() {
        return get(RECOVERY_RESET);
    }

    public Duration staleAfter() {
        return get(STALE_AFTER);
    }

    public Duration historyRetention() {
        return get(HISTORY_RETENTION);
    }

    public Duration stopTimeout() {
        return get(STOP_TIMEOUT);
    }

    /** How often every active alert is sent again (Alertmanager's resolve timeout must be longer). */
    public Duration alertResendInterval() {
        return get(ALERT_RESEND_INTERVAL);
    }

    public KafkaClientMetrics.Level kafkaMetrics() {
        return get(KAFKA_METRICS);
    }

    public Optional<String> kafkaBootstrapServers() {
        return get(KAFKA_BOOTSTRAP_SERVERS);
    }

    public Optional<URI> schemaRegistryUrl() {
        return get(SCHEMA_REGISTRY_URL);
    }

    public String applicationId() {
        return get(APPLICATION_ID);
    }

    /** {@code exactly_once_v2} or {@code at_least_once}, the values of Streams' processing.guarantee. */
    public String processingGuarantee() {
        return get(PROCESSING_GUARANTEE);
    }

    public Path stateDir() {
        return get(STATE_DIR);
    }

    public int httpPort() {
        return get(HTTP_PORT);
    }

    public String httpHost() {
        return get(HTTP_HOST);
    }

    /** Where other instances reach this one: a wildcard bind address is no address to forward to. */
    public String advertisedHost() {
        return get(ADVERTISED_HOST);
    }

    /** Where alerts link to: the dashboard (generatorURL) and the runbook. */
    public URI publicUrl() {
        return get(PUBLIC_URL);
    }

    public Optional<URI> runbookUrl() {
        return get(RUNBOOK_URL);
    }

    private static ValueParser<URI> absoluteUrl() {
        return ValueParser.of("an absolute http:// or https:// URL", raw -> {
            URI uri = URI.create(raw.trim());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an absolute http(s) URL");
            }
            return uri;
        }, URI::toString);
    }

    static String advertisedDefault(String httpHost) {
        if (!httpHost.equals("0.0.0.0") && !httpHost.equals("::") && !httpHost.equals("[::]")) {
            return httpHost;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** The operators' bearer token; empty = the write routes are disabled. */
    public Optional<String> adminToken() {
        return get(ADMIN_TOKEN);
    }

    /** The decision parameters only, for the state machine. */
    public DecisionSettings decisionSettings() {
        return new DecisionSettings(checkInterval(), failureThreshold(), maxRestartAttempts(), restartDelay(),
                restartBackoffMax(), restartExpiry(), restartGrace(), successThreshold(), recoveryReset(),
                staleAfter(), (int) Math.min(Integer.MAX_VALUE, stopTimeout().toSeconds()));
    }

    /** One line per setting, secrets masked, for the start-up log: {@code KEY=value (default)}. */
    public String describe() {
        return SETTINGS.stream().map(this::describe).collect(Collectors.joining("\n"));
    }

    private <T> String describe(Setting<T> setting) {
        String shown = setting.secret()
                ? (fromEnv.get(setting) ? "(set)" : "(not set)")
                : setting.parser().format(get(setting));
        return setting.key() + "=" + shown + (fromEnv.get(setting) ? "" : " (default)");
    }

    /** Same as {@link #describe()}: never prints a secret. */
    @Override
    public String toString() {
        return describe().replace('\n', ' ');
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
