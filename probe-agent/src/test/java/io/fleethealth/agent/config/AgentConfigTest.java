package io.fleethealth.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.contract.settings.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    private static AgentConfig load(Map<String, String> env) {
        return AgentConfig.fromEnvironment(env, () -> "machine-7");
    }

    @Test
    void shouldUseDocumentedDefaultsForAnEmptyEnvironment() {
        AgentConfig config = load(Map.of());

        assertThat(config.checkInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.probeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.probeConcurrency()).isEqualTo(16);
        assertThat(config.sessionLabel()).isEqualTo("fleet-health.session");
        assertThat(config.hostId()).isEqualTo("machine-7");
        assertThat(config.dockerHost()).isEqualTo(URI.create("unix:///var/run/docker.sock"));
        assertThat(config.kafkaBootstrapServers()).isEmpty();
        assertThat(config.schemaRegistryUrl()).isEmpty();
        assertThat(config.stateDir()).isEqualTo(Path.of("./.agent-state"));
        assertThat(config.httpPort()).isEqualTo(8081);
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.publishBuffer()).isEqualTo(10_000);
    }

    @Test
    void shouldReadEverySettingFromTheEnvironment() {
        AgentConfig config = load(Map.ofEntries(
                Map.entry("CONTAINER_HEALTH_CHECK_INTERVAL", "5"),
                Map.entry("CONTAINER_HEALTH_TIMEOUT", "0.25"),
                Map.entry("CONTAINER_PROBE_CONCURRENCY", "4"),
                Map.entry("CONTAINER_SESSION_LABEL", "acme.io/session"),
                Map.entry("HOST_ID", "host-a"),
                Map.entry("DOCKER_HOST", "tcp://127.0.0.1:2375"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092,localhost:9093"),
                Map.entry("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8080/apis/ccompat/v7"),
                Map.entry("CONTAINER_AGENT_STATE_DIR", "/var/lib/agent"),
                Map.entry("AGENT_HTTP_PORT", "9000"),
                Map.entry("AGENT_HTTP_HOST", "0.0.0.0"),
                Map.entry("AGENT_PUBLISH_BUFFER", "50")));

        assertThat(config.checkInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.probeTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.probeConcurrency()).isEqualTo(4);
        assertThat(config.sessionLabel()).isEqualTo("acme.io/session");
        assertThat(config.hostId()).isEqualTo("host-a");
        assertThat(config.dockerHost()).isEqualTo(URI.create("tcp://127.0.0.1:2375"));
        assertThat(config.kafkaBootstrapServers()).contains("127.0.0.1:9092,localhost:9093");
        assertThat(config.schemaRegistryUrl()).contains(URI.create("http://127.0.0.1:8080/apis/ccompat/v7"));
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/agent"));
        assertThat(config.httpPort()).isEqualTo(9000);
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.publishBuffer()).isEqualTo(50);
    }

    @Test
    void shouldTreatBlankValuesAsUnset() {
        AgentConfig config = load(Map.of("CONTAINER_PROBE_CONCURRENCY", "  ", "HOST_ID", ""));

        assertThat(config.probeConcurrency()).isEqualTo(16);
        assertThat(config.hostId()).isEqualTo("machine-7");
    }

    @Test
    void shouldRejectANonNumericIntervalNamingTheVariableTheValueAndTheAcceptedRange() {
        assertThatThrownBy(() -> load(Map.of("CONTAINER_HEALTH_CHECK_INTERVAL", "30s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CONTAINER_HEALTH_CHECK_INTERVAL")
                .hasMessageContaining("'30s'")
                .hasMessageContaining("whole number of seconds from 1 to 86400")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("CONTAINER_HEALTH_CHECK_INTERVAL");
    }

    @Test
    void shouldNameEveryBadVariableAtOnce() {
        assertThatThrownBy(() -> load(Map.of("CONTAINER_PROBE_CONCURRENCY", "0", "DOCKER_HOST", "ftp://x",
                "AGENT_HTTP_PORT", "http")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.keys())
                        .containsExactly("CONTAINER_PROBE_CONCURRENCY", "DOCKER_HOST", "AGENT_HTTP_PORT"));
    }

    @Test
    void shouldRequireTheClusterWhenRunAlone() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of(),
                io.fleethealth.contract.settings.SharedSettings.EXTERNAL_CLUSTER_REQUIRED, () -> "h"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.keys())
                        .containsExactly("KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL"))
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS is required");
    }

    @Test
    void shouldAcceptTheSameIntervalRangeAsTheProcessor() {
        assertThat(load(Map.of("CONTAINER_HEALTH_CHECK_INTERVAL", "86400")).checkInterval()).hasSeconds(86_400);
        assertThatThrownBy(() -> load(Map.of("CONTAINER_HEALTH_CHECK_INTERVAL", "86401")))
                .hasMessageContaining("CONTAINER_HEALTH_CHECK_INTERVAL='86401'");
    }

    @Test
    void shouldRejectAZeroConcurrency() {
        assertThatThrownBy(() -> load(Map.of("CONTAINER_PROBE_CONCURRENCY", "0")))
                .hasMessageContaining("CONTAINER_PROBE_CONCURRENCY='0'");
    }

    @Test
    void shouldRejectANegativeOrNonNumericTimeout() {
        assertThatThrownBy(() -> load(Map.of("CONTAINER_HEALTH_TIMEOUT", "-1")))
                .hasMessageContaining("CONTAINER_HEALTH_TIMEOUT='-1'");
        assertThatThrownBy(() -> load(Map.of("CONTAINER_HEALTH_TIMEOUT", "ten")))
                .hasMessageContaining("CONTAINER_HEALTH_TIMEOUT='ten'")
                .hasMessageContaining("seconds from 0.001 to 3600");
    }

    @Test
    void shouldRejectATimeoutThatIsNotShorterThanTheInterval() {
        assertThatThrownBy(() -> load(Map.of("CONTAINER_HEALTH_CHECK_INTERVAL", "5", "CONTAINER_HEALTH_TIMEOUT", "5.0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CONTAINER_HEALTH_TIMEOUT=5.0")
                .hasMessageContaining("shorter than CONTAINER_HEALTH_CHECK_INTERVAL");
    }

    @Test
    void shouldRejectADockerHostThatIsNeitherUnixNorTcp() {
        assertThatThrownBy(() -> load(Map.of("DOCKER_HOST", "http://127.0.0.1:2375")))
                .hasMessageContaining("DOCKER_HOST='http://127.0.0.1:2375'")
                .hasMessageContaining("unix://");
    }

    @Test
    void shouldRejectBootstrapServersWithoutAPort() {
        assertThatThrownBy(() -> load(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1")))
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS='127.0.0.1'")
                .hasMessageContaining("host:port");
    }

    @Test
    void shouldRejectARegistryUrlThatIsNotHttp() {
        assertThatThrownBy(() -> load(Map.of("SCHEMA_REGISTRY_URL", "127.0.0.1:8080")))
                .hasMessageContaining("SCHEMA_REGISTRY_URL");
    }

    @Test
    void shouldRejectAnOutOfRangePortAndAnInvalidLabelKey() {
        assertThatThrownBy(() -> load(Map.of("AGENT_HTTP_PORT", "70000")))
                .hasMessageContaining("AGENT_HTTP_PORT='70000'");
        assertThatThrownBy(() -> load(Map.of("CONTAINER_SESSION_LABEL", "bad label")))
                .hasMessageContaining("CONTAINER_SESSION_LABEL='bad label'");
    }

    @Test
    void shouldDescribeEverySettingWithoutCredentials() {
        AgentConfig config = load(Map.of(
                "SCHEMA_REGISTRY_URL", "https://agent:s3cret@registry.example:8443/apis/ccompat/v7",
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));

        String description = config.describe();

        assertThat(description)
                .contains("(host id: machine-7)", "CONTAINER_HEALTH_CHECK_INTERVAL=30 (default)",
                        "CONTAINER_HEALTH_TIMEOUT=10.0 (default)", "CONTAINER_PROBE_CONCURRENCY=16 (default)",
                        "CONTAINER_SESSION_LABEL=fleet-health.session (default)", "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092\n",
                        "SCHEMA_REGISTRY_URL=https://****@registry.example:8443/apis/ccompat/v7\n",
                        "AGENT_PUBLISH_BUFFER=10000 (default)")
                .doesNotContain("s3cret");
        assertThat(description.lines().filter(line -> line.contains("="))).hasSize(AgentConfig.SETTINGS.size());
        assertThat(config.schemaRegistryUrl()).isEqualTo(Optional.of(
                URI.create("https://agent:s3cret@registry.example:8443/apis/ccompat/v7")));
    }
}
