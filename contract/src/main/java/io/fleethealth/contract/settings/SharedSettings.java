package io.fleethealth.contract.settings;

import io.fleethealth.contract.labels.Labels;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The settings several runnables read: declared here once, so that a variable has the same default, range
 * and meaning in the processor, the agent, the launcher, the local stack and the CLI.
 */
public final class SharedSettings {

    private SharedSettings() {
    }

    /** The probe interval is also the processor's unit of time: windows, grace and staleness derive from it. */
    public static final Setting<Duration> CHECK_INTERVAL = Setting.of("CONTAINER_HEALTH_CHECK_INTERVAL",
            "seconds between two probe rounds on each host", Duration.ofSeconds(30),
            ValueParser.secondsBetween(1, 86_400));
    public static final Setting<Duration> HEALTH_TIMEOUT = Setting.of("CONTAINER_HEALTH_TIMEOUT",
            "seconds one probe may take before it counts as a probe timeout; shorter than the interval",
            Duration.ofSeconds(10), ValueParser.decimalSeconds(3_600));
    public static final Setting<String> SESSION_LABEL = Setting.of("CONTAINER_SESSION_LABEL",
            "the label that marks a session container (its value is the session id)", Labels.SESSION,
            ValueParser.labelKey());
    public static final Setting<Duration> STOP_TIMEOUT = Setting.of("CONTAINER_STOP_TIMEOUT",
            "seconds between SIGTERM and SIGKILL on a restart (0 = kill at once)", Duration.ofSeconds(10),
            ValueParser.secondsBetween(0, 3_600));
    public static final Setting<Optional<String>> KAFKA_BOOTSTRAP_SERVERS = Setting.optional("KAFKA_BOOTSTRAP_SERVERS",
            "Kafka brokers; unset = the launcher's embedded broker (required by the separate processor and agent)",
            "(embedded broker)", ValueParser.bootstrapServers());
    public static final Setting<Optional<URI>> SCHEMA_REGISTRY_URL = Setting.optional("SCHEMA_REGISTRY_URL",
            "Confluent-compatible schema registry root, e.g. http://host:8080/apis/ccompat/v7; unset = the launcher's "
                    + "embedded Apicurio", "(embedded registry)", ValueParser.httpUrl());
    public static final Setting<URI> DOCKER_HOST = Setting.of("DOCKER_HOST",
            "the Docker engine a probe-agent watches", URI.create("unix:///var/run/docker.sock"),
            ValueParser.dockerHost());
    public static final Setting<Path> LOCAL_DIR = Setting.of("FLEET_LOCAL_DIR",
            "where the embedded broker and registry keep their data and logs", Path.of("./.local"),
            ValueParser.path());
    /** Not under KAFKA_: every KAFKA_* variable is a Kafka client property. */
    public static final Setting<Duration> START_TIMEOUT = Setting.of("FLEET_KAFKA_STARTUP_TIMEOUT",
            "seconds a runnable waits at start for the Kafka cluster (with the configured security; exit 3) and the "
                    + "schema registry (exit 1) to answer",
            Duration.ofSeconds(30), ValueParser.secondsBetween(1, 3_600));

    /** A probe that may outlive the interval would make every round overrun. */
    public static final CrossCheck TIMEOUT_SHORTER_THAN_INTERVAL = new CrossCheck(
            List.of(HEALTH_TIMEOUT, CHECK_INTERVAL), values -> {
                Duration timeout = values.get(HEALTH_TIMEOUT);
                Duration interval = values.get(CHECK_INTERVAL);
                return timeout.compareTo(interval) < 0 ? Optional.empty()
                        : Optional.of(HEALTH_TIMEOUT.key() + "=" + HEALTH_TIMEOUT.parser().format(timeout)
                                + " is not accepted: it must be shorter than " + CHECK_INTERVAL.key() + "="
                                + CHECK_INTERVAL.parser().format(interval) + ", or probe rounds would overlap");
            });

    /** The separate processor and agent have no embedded broker or registry. */
    public static final List<CrossCheck> EXTERNAL_CLUSTER_REQUIRED = List.of(
            CrossCheck.required(KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:9092"),
            CrossCheck.required(SCHEMA_REGISTRY_URL, "http://127.0.0.1:8080/apis/ccompat/v7"));
}
