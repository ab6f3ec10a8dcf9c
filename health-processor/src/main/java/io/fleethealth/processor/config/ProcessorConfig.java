package io.fleethealth.processor.config;

import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.contract.settings.CrossCheck;
import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.Settings;
import io.fleethealth.contract.settings.SharedSettings;
import io.fleethealth.contract.settings.ValueParser;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.kafka.RegistryClientSettings;
import io.fleethealth.processor.api.AlertForwarderSettings;
import io.fleethealth.processor.api.ApiTls;
import io.fleethealth.processor.api.PeerSignature;
import io.fleethealth.processor.decision.DecisionSettings;
import io.fleethealth.processor.metrics.KafkaClientMetrics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processor's settings, read once from the environment and validated at start, before anything is built.
 * Every setting is declared as data (key, doc, default, validator); the shared ones live in
 * {@link SharedSettings}. A bad value stops the app with one {@link ConfigException} naming every bad variable.
 */
public final class ProcessorConfig {

    public static final Setting<Duration> CHECK_INTERVAL = SharedSettings.CHECK_INTERVAL;
    public static final Setting<Duration> HEALTH_TIMEOUT = SharedSettings.HEALTH_TIMEOUT;
    public static final Setting<Integer> MAX_RESTART_ATTEMPTS = Setting.of("CONTAINER_MAX_RESTART_ATTEMPTS",
            "restarts of one failure episode before the session is FAILED (0 = never restart: FAILED and alerted "
                    + "as soon as the threshold is reached)", 3, ValueParser.intBetween(0, 100));
    public static final Setting<Duration> RESTART_DELAY = Setting.of("CONTAINER_RESTART_DELAY",
            "seconds before the first restart; doubles with every attempt (0 = at once)", Duration.ofSeconds(5),
            ValueParser.secondsBetween(0, 3_600));
    public static final Setting<Integer> FAILURE_THRESHOLD = Setting.of("CONTAINER_FAILURE_THRESHOLD",
            "consecutive recent failures that trigger a restart", 3, ValueParser.intBetween(1, 100));
    public static final Setting<Duration> RESTART_BACKOFF_MAX = Setting.of("CONTAINER_RESTART_BACKOFF_MAX",
            "upper bound of the restart back-off, seconds; at least CONTAINER_RESTART_DELAY", Duration.ofSeconds(300),
            ValueParser.secondsBetween(0, 86_400));
    public static final Setting<Duration> RESTART_EXPIRY = Setting.derived("CONTAINER_RESTART_EXPIRY",
            "seconds after its not-before time that a restart command expires",
            "2 x CONTAINER_HEALTH_CHECK_INTERVAL + 60",
            earlier -> earlier.get(CHECK_INTERVAL).multipliedBy(2).plusSeconds(60),
            ValueParser.secondsBetween(1, 86_400));
    public static final Setting<Duration> RESTART_GRACE = Setting.derived("CONTAINER_RESTART_GRACE",
            "seconds after a restart during which failures do not count (0 = they count at once)",
            "max(2 x CONTAINER_HEALTH_CHECK_INTERVAL, 30)",
            earlier -> max(earlier.get(CHECK_INTERVAL).multipliedBy(2), Duration.ofSeconds(30)),
            ValueParser.secondsBetween(0, 86_400));
    public static final Setting<Integer> SUCCESS_THRESHOLD = Setting.of("CONTAINER_SUCCESS_THRESHOLD",
            "consecutive successes that make a session HEALTHY again", 1, ValueParser.intBetween(1, 100));
    public static final Setting<Duration> RECOVERY_RESET = Setting.of("CONTAINER_RECOVERY_RESET",
            "seconds of continuous health after which the restart attempt counter resets (0 = at the first "
                    + "healthy check)", Duration.ofSeconds(600), ValueParser.secondsBetween(0, 604_800));
    public static final Setting<Duration> STALE_AFTER = Setting.derived("CONTAINER_STALE_AFTER",
            "seconds without a check before a session is UNKNOWN; longer than the interval",
            "3 x CONTAINER_HEALTH_CHECK_INTERVAL",
            earlier -> earlier.get(CHECK_INTERVAL).multipliedBy(3), ValueParser.secondsBetween(2, 604_800));
    public static final Setting<Duration> HISTORY_RETENTION = Setting.of("CONTAINER_HEALTH_HISTORY_RETENTION",
            "seconds of check history kept per session", Duration.ofHours(24),
            ValueParser.secondsBetween(60, 2_592_000));
    public static final Setting<Duration> STOP_TIMEOUT = SharedSettings.STOP_TIMEOUT;

    public static final Setting<Optional<String>> KAFKA_BOOTSTRAP_SERVERS = SharedSettings.KAFKA_BOOTSTRAP_SERVERS;
    public static final Setting<Optional<URI>> SCHEMA_REGISTRY_URL = SharedSettings.SCHEMA_REGISTRY_URL;
    public static final Setting<Duration> START_TIMEOUT = SharedSettings.START_TIMEOUT;
    public static final Setting<String> APPLICATION_ID = Setting.of("PROCESSOR_APPLICATION_ID",
            "Kafka Streams application id (instances with the same id share the work)",
            "fleet-health-processor", ValueParser.nonBlank("a non-blank Kafka Streams application id"));
    public static final Setting<String> PROCESSING_GUARANTEE = Setting.of("PROCESSOR_PROCESSING_GUARANTEE",
            "Kafka Streams processing.guarantee", "exactly_once_v2",
            ValueParser.oneOf(List.of("exactly_once_v2", "at_least_once")));
    public static final Setting<Path> STATE_DIR = Setting.derived("PROCESSOR_STATE_DIR",
            "Kafka Streams state.dir (RocksDB state stores)", "<tmp>/fleet-health/processor-state",
            earlier -> Path.of(System.getProperty("java.io.tmpdir"), "fleet-health", "processor-state"),
            ValueParser.path());
    public static final Setting<Integer> STANDBY_REPLICAS = Setting.of("PROCESSOR_STANDBY_REPLICAS",
            "Kafka Streams num.standby.replicas: warm copies of each task's stores on other instances, so a task moved"
                    + " after an instance dies need not restore its stores from the changelog (ignored on one instance)",
            1, ValueParser.intBetween(0, 10));
    public static final Setting<Duration> GROUP_SESSION_TIMEOUT = Setting.of("PROCESSOR_GROUP_SESSION_TIMEOUT",
            "seconds without a heartbeat after which the consumer group gives a dead instance's tasks to the others"
                    + " (session.timeout.ms; heartbeats every third of it; the broker's group.min.session.timeout.ms"
                    + " bounds it, 6 s by default)", Duration.ofSeconds(10), ValueParser.secondsBetween(6, 3600));
    public static final Setting<Integer> HTTP_PORT = Setting.of("PROCESSOR_HTTP_PORT",
            "port of the operators' API and dashboard", 8080, ValueParser.port());
    public static final Setting<String> HTTP_HOST = Setting.of("PROCESSOR_HTTP_HOST",
            "address the operators' API and dashboard bind to", "127.0.0.1",
            ValueParser.nonBlank("a host name or IP address"));
    public static final Setting<String> ADVERTISED_HOST = Setting.derived("PROCESSOR_ADVERTISED_HOST",
            "how other processor instances reach this one's API (Kafka Streams application.server)",
            "PROCESSOR_HTTP_HOST, or the host name for a wildcard address",
            earlier -> advertisedDefault(earlier.get(HTTP_HOST)), ValueParser.nonBlank("a host name or IP address"));
    public static final Setting<Integer> HEALTH_MAX_LAG = Setting.of("PROCESSOR_HEALTH_MAX_LAG",
            "GET /health is DOWN while any input partition lags more records than this behind", 10_000,
            ValueParser.intBetween(1, 100_000_000));
    public static final Setting<Duration> HEALTH_COMMIT_STALL = Setting.of("PROCESSOR_HEALTH_COMMIT_STALL",
            "GET /health is DOWN when records were processed but not committed, or no broker connection was"
                    + " open, for this long", Duration.ofSeconds(60), ValueParser.secondsBetween(1, 3600));
    public static final Setting<Optional<String>> ADMIN_TOKEN = Setting.secret("FLEET_ADMIN_TOKEN",
            "bearer token of POST /health/sessions/{id}/reset; unset disables the route", "(not set)",
            ValueParser.text());
    public static final Setting<Duration> ALERT_RESEND_INTERVAL = Setting.of("ALERT_RESEND_INTERVAL",
            "seconds between two sends of an alert that is still active; keep it well inside the receiver's "
                    + "resolve timeout (Alertmanager: 5 min by default), which ends an alert that is not re-sent",
            Duration.ofSeconds(60), ValueParser.secondsBetween(1, 86_400));
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
    public static final Setting<KafkaClientMetrics.Level> KAFKA_METRICS = Setting.of("PROCESSOR_KAFKA_METRICS",
            "Kafka client metrics served at /metrics: essential (those an operator watches, see "
                    + "docs/operations.md), all (some 400 series, not all promtool-clean), or none",
            KafkaClientMetrics.Level.ESSENTIAL, ValueParser.of("one of " + String.join(", ", KafkaClientMetrics.Level.names()),
                    raw -> KafkaClientMetrics.Level.valueOf(raw.trim().toUpperCase(java.util.Locale.ROOT)),
                    level -> level.name().toLowerCase(java.util.Locale.ROOT)));

    /** Every setting, in the order they are resolved and printed; derived defaults come after their sources. */
    public static final List<Setting<?>> SETTINGS = Settings.union(List.of(
            CHECK_INTERVAL, HEALTH_TIMEOUT, MAX_RESTART_ATTEMPTS, RESTART_DELAY, FAILURE_THRESHOLD,
            RESTART_BACKOFF_MAX, RESTART_EXPIRY, RESTART_GRACE, SUCCESS_THRESHOLD, RECOVERY_RESET, STALE_AFTER,
            HISTORY_RETENTION, STOP_TIMEOUT,
            KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, START_TIMEOUT, APPLICATION_ID, PROCESSING_GUARANTEE, STATE_DIR,
            STANDBY_REPLICAS, GROUP_SESSION_TIMEOUT, HTTP_PORT, HTTP_HOST, ADVERTISED_HOST, HEALTH_MAX_LAG,
            HEALTH_COMMIT_STALL, ADMIN_TOKEN, ALERT_RESEND_INTERVAL, PUBLIC_URL, RUNBOOK_URL, KAFKA_METRICS,
            AlertForwarderSettings.WEBHOOK_URL, AlertForwarderSettings.WEBHOOK_MODE,
            KafkaClientSettings.CLIENT_CONFIG_FILE), RegistryClientSettings.SETTINGS, ApiTls.SETTINGS,
            List.of(PeerSignature.PEER_SECRET), BrakeConfig.SETTINGS);

    /** The settings of the decision alone: what a replay reads (the probe timeout means nothing to it). */
    public static final List<Setting<?>> DECISION_SETTINGS = List.of(
            CHECK_INTERVAL, MAX_RESTART_ATTEMPTS, RESTART_DELAY, FAILURE_THRESHOLD, RESTART_BACKOFF_MAX,
            RESTART_EXPIRY, RESTART_GRACE, SUCCESS_THRESHOLD, RECOVERY_RESET, STALE_AFTER, STOP_TIMEOUT);

    /** Checks between decision settings: each combination below would make the decisions nonsensical. */
    public static final List<CrossCheck> DECISION_CROSS_CHECKS = List.of(
            new CrossCheck(List.of(RESTART_BACKOFF_MAX, RESTART_DELAY), values ->
                    values.get(RESTART_BACKOFF_MAX).compareTo(values.get(RESTART_DELAY)) >= 0 ? Optional.empty()
                            : Optional.of(violation(values, RESTART_BACKOFF_MAX, RESTART_DELAY, "must be at least"))),
            new CrossCheck(List.of(STALE_AFTER, CHECK_INTERVAL), values ->
                    values.get(STALE_AFTER).compareTo(values.get(CHECK_INTERVAL)) > 0 ? Optional.empty()
                            : Optional.of(violation(values, STALE_AFTER, CHECK_INTERVAL, "must be longer than")
                                    + ", or every session would go UNKNOWN between probes")));

    /** Every check between the processor's settings. */
    public static final List<CrossCheck> CROSS_CHECKS = concat(
            List.of(SharedSettings.TIMEOUT_SHORTER_THAN_INTERVAL), DECISION_CROSS_CHECKS);

    private final Settings settings;

    private ProcessorConfig(Settings settings) {
        this.settings = settings;
    }

    /** Reads and validates every setting; unset or blank variables take their default. */
    public static ProcessorConfig fromEnv(Map<String, String> env) {
        return new ProcessorConfig(Settings.read(env, SETTINGS, CROSS_CHECKS));
    }

    /**
     * As {@link #fromEnv}, with the runnable's own requirements checked in the same pass (e.g. the separate
     * processor needs KAFKA_BOOTSTRAP_SERVERS), so that every bad variable is reported at once.
     */
    public static ProcessorConfig fromEnv(Map<String, String> env, List<CrossCheck> requirements) {
        List<CrossCheck> checks = new java.util.ArrayList<>(CROSS_CHECKS);
        checks.addAll(requirements);
        return new ProcessorConfig(Settings.read(env, SETTINGS, checks));
    }

    /** Wraps settings already read (by a launcher reading several runnables' lists in one pass). */
    public static ProcessorConfig of(Settings settings) {
        return new ProcessorConfig(settings);
    }

    /**
     * The decision parameters from {@code env}, reading only the decision's settings (a replay: the processor's
     * other settings, such as the probe timeout, mean nothing to it and are not checked).
     */
    public static DecisionSettings decisionSettings(Map<String, String> env) {
        return decisionSettings(Settings.read(env, DECISION_SETTINGS, DECISION_CROSS_CHECKS));
    }

    /** The decision parameters of an empty environment: the documented defaults. */
    public static DecisionSettings defaultDecisionSettings() {
        return decisionSettings(Map.of());
    }

    /** The documented defaults, with every interval-derived default computed from {@code interval}. */
    public static DecisionSettings decisionSettingsForInterval(Duration interval) {
        return decisionSettings(Map.of(CHECK_INTERVAL.key(), Long.toString(interval.toSeconds())));
    }

    private static String violation(Setting.Resolved values, Setting<Duration> bad, Setting<Duration> other, String rule) {
        return bad.key() + "=" + bad.parser().format(values.get(bad)) + " is not accepted: it " + rule + " "
                + other.key() + "=" + other.parser().format(values.get(other));
    }

    /** The value of one setting. */
    public <T> T get(Setting<T> setting) {
        return settings.get(setting);
    }

    /** All the values read, for the parts that read their own declarations (e.g. the alert forwarder). */
    public Settings settings() {
        return settings;
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

    public Optional<String> kafkaBootstrapServers() {
        return get(KAFKA_BOOTSTRAP_SERVERS);
    }

    public Optional<URI> schemaRegistryUrl() {
        return get(SCHEMA_REGISTRY_URL);
    }

    /** How long the start waits for Kafka and the registry. */
    public Duration startTimeout() {
        return get(START_TIMEOUT);
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

    public int standbyReplicas() {
        return get(STANDBY_REPLICAS);
    }

    public Duration groupSessionTimeout() {
        return get(GROUP_SESSION_TIMEOUT);
    }

    public int httpPort() {
        return get(HTTP_PORT);
    }

    public int healthMaxLag() {
        return get(HEALTH_MAX_LAG);
    }

    public Duration healthCommitStall() {
        return get(HEALTH_COMMIT_STALL);
    }

    public String httpHost() {
        return get(HTTP_HOST);
    }

    /** Where other instances reach this one: a wildcard bind address is no address to forward to. */
    public String advertisedHost() {
        return get(ADVERTISED_HOST);
    }

    /** How often every active alert is sent again (Alertmanager's resolve timeout must be longer). */
    public Duration alertResendInterval() {
        return get(ALERT_RESEND_INTERVAL);
    }

    /** Where alerts link to: the dashboard (generatorURL) and the runbook. */
    public URI publicUrl() {
        return get(PUBLIC_URL);
    }

    public Optional<URI> runbookUrl() {
        return get(RUNBOOK_URL);
    }

    public KafkaClientMetrics.Level kafkaMetrics() {
        return get(KAFKA_METRICS);
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

    /** The alert forwarder's settings; empty when ALERT_WEBHOOK_URL is not set. */
    public Optional<AlertForwarderSettings> alertForwarder() {
        return AlertForwarderSettings.from(settings);
    }

    /** The decision parameters only, for the state machine. */
    public DecisionSettings decisionSettings() {
        return decisionSettings(settings);
    }

    private static DecisionSettings decisionSettings(Settings s) {
        return new DecisionSettings(s.get(CHECK_INTERVAL), s.get(FAILURE_THRESHOLD), s.get(MAX_RESTART_ATTEMPTS),
                s.get(RESTART_DELAY), s.get(RESTART_BACKOFF_MAX), s.get(RESTART_EXPIRY), s.get(RESTART_GRACE),
                s.get(SUCCESS_THRESHOLD), s.get(RECOVERY_RESET), s.get(STALE_AFTER), (int) s.get(STOP_TIMEOUT).toSeconds());
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    /** The restart brake's parameters (docs/brake.md). */
    public io.fleethealth.processor.brake.BrakeSettings brakeSettings() {
        return BrakeConfig.brakeSettings(this::get);
    }

    /** One line per setting, secrets masked, for the start-up log: {@code KEY=value (default)}. */
    public String describe() {
        return settings.describe();
    }

    /** Never prints a secret. */
    @Override
    public String toString() {
        return settings.toString();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
