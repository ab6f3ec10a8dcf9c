package io.fleethealth.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.ValueParser;
import io.fleethealth.processor.decision.DecisionSettings;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessorConfigTest {

    @Test
    void shouldUseTheSeedsDefaultsWithAnEmptyEnvironment() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of());

        assertThat(config.checkInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.healthTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxRestartAttempts()).isEqualTo(3);
        assertThat(config.restartDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.failureThreshold()).isEqualTo(3);
        assertThat(config.restartBackoffMax()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.restartExpiry()).as("2 intervals + 60 s").isEqualTo(Duration.ofSeconds(120));
        assertThat(config.restartGrace()).as("max(2 intervals, 30 s)").isEqualTo(Duration.ofSeconds(60));
        assertThat(config.successThreshold()).isEqualTo(1);
        assertThat(config.recoveryReset()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.staleAfter()).as("3 intervals").isEqualTo(Duration.ofSeconds(90));
        assertThat(config.historyRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(config.stopTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.kafkaBootstrapServers()).isEmpty();
        assertThat(config.schemaRegistryUrl()).isEmpty();
        assertThat(config.applicationId()).isEqualTo("fleet-health-processor");
        assertThat(config.processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.adminToken()).isEmpty();
        assertThat(config.stateDir()).isNotNull();
        assertThat(config.decisionSettings()).isEqualTo(ProcessorConfig.defaultDecisionSettings());
        assertThat(config.alertForwarder()).isEmpty();
    }

    @Test
    void shouldDeriveIntervalBasedDefaultsFromTheConfiguredInterval() {
        ProcessorConfig fast = ProcessorConfig.fromEnv(Map.of("CONTAINER_HEALTH_CHECK_INTERVAL", "1",
                "CONTAINER_HEALTH_TIMEOUT", "0.5"));
        ProcessorConfig slow = ProcessorConfig.fromEnv(Map.of("CONTAINER_HEALTH_CHECK_INTERVAL", "60"));

        assertThat(fast.restartGrace()).as("the 30 s floor").isEqualTo(Duration.ofSeconds(30));
        assertThat(fast.staleAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(fast.restartExpiry()).isEqualTo(Duration.ofSeconds(62));
        assertThat(fast.healthTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(slow.restartGrace()).isEqualTo(Duration.ofSeconds(120));
        assertThat(fast.decisionSettings()).isEqualTo(ProcessorConfig.decisionSettingsForInterval(Duration.ofSeconds(1)));
    }

    @Test
    void shouldReadEverySettingFromTheEnvironment() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.ofEntries(
                Map.entry("CONTAINER_FAILURE_THRESHOLD", "5"),
                Map.entry("CONTAINER_MAX_RESTART_ATTEMPTS", "0"),
                Map.entry("CONTAINER_RESTART_GRACE", "45"),
                Map.entry("CONTAINER_RESTART_EXPIRY", "600"),
                Map.entry("CONTAINER_SUCCESS_THRESHOLD", "2"),
                Map.entry("CONTAINER_STOP_TIMEOUT", "3"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "broker-1:9092, broker-2:9093"),
                Map.entry("SCHEMA_REGISTRY_URL", "http://registry:8081/apis/ccompat/v7"),
                Map.entry("PROCESSOR_PROCESSING_GUARANTEE", "at_least_once"),
                Map.entry("PROCESSOR_HTTP_PORT", "0"),
                Map.entry("FLEET_ADMIN_TOKEN", "s3cret-token")));

        assertThat(config.failureThreshold()).isEqualTo(5);
        assertThat(config.maxRestartAttempts()).isZero();
        assertThat(config.restartGrace()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.restartExpiry()).isEqualTo(Duration.ofSeconds(600));
        assertThat(config.kafkaBootstrapServers()).contains("broker-1:9092, broker-2:9093");
        assertThat(config.schemaRegistryUrl()).contains(URI.create("http://registry:8081/apis/ccompat/v7"));
        assertThat(config.processingGuarantee()).isEqualTo("at_least_once");
        assertThat(config.httpPort()).isZero();
        assertThat(config.adminToken()).isEqualTo(Optional.of("s3cret-token"));
        DecisionSettings settings = config.decisionSettings();
        assertThat(settings.failureThreshold()).isEqualTo(5);
        assertThat(settings.successThreshold()).isEqualTo(2);
        assertThat(settings.stopTimeoutSeconds()).isEqualTo(3);
    }

    @Test
    void shouldTreatABlankVariableAsUnset() {
        assertThat(ProcessorConfig.fromEnv(Map.of("CONTAINER_FAILURE_THRESHOLD", "  ")).failureThreshold())
                .isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CONTAINER_HEALTH_CHECK_INTERVAL | 0     | whole number of seconds from 1 to 86400",
            "CONTAINER_HEALTH_CHECK_INTERVAL | 30s   | whole number of seconds from 1 to 86400",
            "CONTAINER_HEALTH_CHECK_INTERVAL | 86401 | whole number of seconds from 1 to 86400",
            "CONTAINER_HEALTH_TIMEOUT        | -1    | seconds from 0.001 to 3600",
            "CONTAINER_HEALTH_TIMEOUT        | 0.0001 | seconds from 0.001 to 3600",
            "CONTAINER_MAX_RESTART_ATTEMPTS  | -1    | whole number from 0 to 100",
            "CONTAINER_FAILURE_THRESHOLD     | 0     | whole number from 1 to 100",
            "CONTAINER_FAILURE_THRESHOLD     | 101   | whole number from 1 to 100",
            "CONTAINER_SUCCESS_THRESHOLD     | many  | whole number from 1 to 100",
            "CONTAINER_RESTART_DELAY         | -5    | seconds from 0 to 3600",
            "CONTAINER_STOP_TIMEOUT          | 3601  | seconds from 0 to 3600",
            "ALERT_WEBHOOK_MODE              | slack | one of alertmanager, webhook",
            "PROCESSOR_PROCESSING_GUARANTEE  | exactly_once | one of exactly_once_v2, at_least_once",
            "PROCESSOR_HTTP_PORT             | 70000 | TCP port",
            "KAFKA_BOOTSTRAP_SERVERS         | broker | host:port",
            "SCHEMA_REGISTRY_URL             | ftp://registry | http",
    })
    void shouldRefuseABadValueNamingTheVariableTheValueAndWhatIsAccepted(String key, String value, String accepted) {
        assertThatThrownBy(() -> ProcessorConfig.fromEnv(Map.of(key, value)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageContaining(key)
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining(accepted);
    }

    @Test
    void shouldRefuseABackOffCapBelowTheBaseDelay() {
        assertThatThrownBy(() -> ProcessorConfig.fromEnv(Map.of("CONTAINER_RESTART_DELAY", "60",
                "CONTAINER_RESTART_BACKOFF_MAX", "30")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CONTAINER_RESTART_BACKOFF_MAX")
                .hasMessageContaining("CONTAINER_RESTART_DELAY=60");
    }

    @Test
    void shouldRefuseAStalePeriodNoLongerThanTheInterval() {
        assertThatThrownBy(() -> ProcessorConfig.fromEnv(Map.of("CONTAINER_STALE_AFTER", "30")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CONTAINER_STALE_AFTER")
                .hasMessageContaining("CONTAINER_HEALTH_CHECK_INTERVAL=30");
    }

    @Test
    void shouldRefuseAProbeTimeoutEqualToTheIntervalAsTheAgentDoes() {
        assertThatThrownBy(() -> ProcessorConfig.fromEnv(Map.of("CONTAINER_HEALTH_CHECK_INTERVAL", "10")))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("CONTAINER_HEALTH_TIMEOUT"))
                .hasMessageContaining("CONTAINER_HEALTH_TIMEOUT=10.0")
                .hasMessageContaining("shorter than CONTAINER_HEALTH_CHECK_INTERVAL=10");
    }

    @Test
    void shouldNameEveryBadVariableAtOnceCrossChecksIncluded() {
        assertThatThrownBy(() -> ProcessorConfig.fromEnv(Map.of(
                "CONTAINER_FAILURE_THRESHOLD", "zero",
                "ALERT_WEBHOOK_MODE", "slack",
                "PROCESSOR_HTTP_PORT", "-1",
                "CONTAINER_RESTART_DELAY", "60",
                "CONTAINER_RESTART_BACKOFF_MAX", "30")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.keys()).containsExactly(
                        "CONTAINER_FAILURE_THRESHOLD", "PROCESSOR_HTTP_PORT", "ALERT_WEBHOOK_MODE",
                        "CONTAINER_RESTART_BACKOFF_MAX"))
                .hasMessageContaining("'zero'").hasMessageContaining("'slack'").hasMessageContaining("'-1'");
    }

    @Test
    void shouldSkipADerivedDefaultWhoseSourceIsBadInsteadOfReportingItTwice() {
        assertThatThrownBy(() -> ProcessorConfig.fromEnv(Map.of("CONTAINER_HEALTH_CHECK_INTERVAL", "often")))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.keys()).containsExactly("CONTAINER_HEALTH_CHECK_INTERVAL"));
    }

    @Test
    void shouldRequireTheClusterOnlyWhereTheRunnableHasNoEmbeddedOne() {
        assertThat(ProcessorConfig.fromEnv(Map.of()).kafkaBootstrapServers()).isEmpty();
        assertThatThrownBy(() -> ProcessorConfig.fromEnv(Map.of("ALERT_WEBHOOK_MODE", "x"),
                io.fleethealth.contract.settings.SharedSettings.EXTERNAL_CLUSTER_REQUIRED))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.keys()).containsExactly(
                        "ALERT_WEBHOOK_MODE", "KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL"));
    }

    @Test
    void shouldReadTheAlertForwarderWithTheOtherSettings() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of("ALERT_WEBHOOK_URL", "https://hooks.example/T0/secret?k=v",
                "ALERT_WEBHOOK_MODE", "Webhook"));

        assertThat(config.alertForwarder()).get().satisfies(f -> {
            assertThat(f.mode()).isEqualTo(io.fleethealth.processor.api.AlertForwarderSettings.Mode.WEBHOOK);
            assertThat(f.url()).isEqualTo(URI.create("https://hooks.example/T0/secret?k=v"));
        });
        assertThat(config.describe()).contains("ALERT_WEBHOOK_URL=https://hooks.example/****\n")
                .doesNotContain("secret").doesNotContain("k=v");
    }

    @Test
    void shouldMaskCredentialsInTheRegistryUrl() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of("SCHEMA_REGISTRY_URL", "https://fleet:pa55@registry:8081/apis/ccompat/v7"));

        assertThat(config.describe()).contains("SCHEMA_REGISTRY_URL=https://****@registry:8081/apis/ccompat/v7")
                .doesNotContain("pa55");
    }

    @Test
    void shouldReadTheDecisionAloneForAReplayWithoutCheckingTheProbeTimeout() {
        Map<String, String> env = Map.of("CONTAINER_HEALTH_CHECK_INTERVAL", "5", "CONTAINER_FAILURE_THRESHOLD", "4");

        assertThatThrownBy(() -> ProcessorConfig.fromEnv(env)).hasMessageContaining("CONTAINER_HEALTH_TIMEOUT");
        DecisionSettings replay = ProcessorConfig.decisionSettings(env);
        assertThat(replay.checkInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(replay.failureThreshold()).isEqualTo(4);
        assertThat(replay.staleAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThatThrownBy(() -> ProcessorConfig.decisionSettings(Map.of("CONTAINER_STALE_AFTER", "30")))
                .hasMessageContaining("CONTAINER_STALE_AFTER");
    }

    @Test
    void shouldRefuseAProbeTimeoutLongerThanTheInterval() {
        assertThatThrownBy(() -> ProcessorConfig.fromEnv(Map.of("CONTAINER_HEALTH_CHECK_INTERVAL", "5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CONTAINER_HEALTH_TIMEOUT");
    }

    @Test
    void shouldDescribeEverySettingWithoutEverPrintingTheAdminToken() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of("FLEET_ADMIN_TOKEN", "s3cret-token",
                "CONTAINER_FAILURE_THRESHOLD", "4"));

        String description = config.describe();

        assertThat(description).doesNotContain("s3cret-token").contains("FLEET_ADMIN_TOKEN=****\n")
                .contains("CONTAINER_FAILURE_THRESHOLD=4\n").contains("CONTAINER_HEALTH_CHECK_INTERVAL=30 (default)");
        assertThat(description.lines()).hasSize(ProcessorConfig.SETTINGS.size());
        assertThat(config.toString()).doesNotContain("s3cret-token");
        assertThat(ProcessorConfig.fromEnv(Map.of()).describe()).contains("FLEET_ADMIN_TOKEN=(not set) (default)");
        assertThat(ProcessorConfig.SETTINGS.stream().filter(Setting::secret).map(Setting::key))
                .containsExactlyInAnyOrder("FLEET_ADMIN_TOKEN", "ALERT_WEBHOOK_URL", "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
                        "SCHEMA_REGISTRY_BEARER_AUTH_TOKEN", "SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD",
                        "PROCESSOR_HTTPS_KEYSTORE_PASSWORD", "PROCESSOR_HTTPS_TRUSTSTORE_PASSWORD", "PROCESSOR_PEER_SECRET");
    }

    @Test
    void shouldNeverShowASecretInAnErrorMessage() {
        Setting<Optional<String>> secret = new Setting<>("SOME_SECRET", "a secret", "(not set)",
                earlier -> Optional.empty(), ValueParser.of("digits only", raw -> {
                    throw new IllegalArgumentException("bad");
                }, v -> "(set)"), true);

        assertThatThrownBy(() -> secret.resolve("hunter2", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("hunter2")
                .hasMessageContaining("SOME_SECRET");
    }

    @Test
    void shouldDeclareEachSettingOnceWithADocAndADefault() {
        assertThat(ProcessorConfig.SETTINGS).extracting(Setting::key).doesNotHaveDuplicates()
                .hasSize(new HashSet<>(ProcessorConfig.SETTINGS).size());
        assertThat(ProcessorConfig.SETTINGS).allSatisfy(setting -> {
            assertThat(setting.doc()).isNotBlank();
            assertThat(setting.defaultDoc()).isNotBlank();
            assertThat(setting.parser().accepted()).isNotBlank();
        });
    }

    @Test
    void shouldAdvertiseTheBindAddressUnlessItIsAWildcard() {
        assertThat(ProcessorConfig.fromEnv(Map.of()).advertisedHost()).isEqualTo("127.0.0.1");
        assertThat(ProcessorConfig.fromEnv(Map.of("PROCESSOR_HTTP_HOST", "10.1.2.3")).advertisedHost())
                .isEqualTo("10.1.2.3");
        assertThat(ProcessorConfig.fromEnv(Map.of("PROCESSOR_HTTP_HOST", "0.0.0.0")).advertisedHost())
                .as("another instance cannot forward to 0.0.0.0").isNotEqualTo("0.0.0.0").isNotBlank();
        assertThat(ProcessorConfig.fromEnv(Map.of("PROCESSOR_HTTP_HOST", "0.0.0.0",
                "PROCESSOR_ADVERTISED_HOST", "processor-2.internal")).advertisedHost()).isEqualTo("processor-2.internal");
    }
}
