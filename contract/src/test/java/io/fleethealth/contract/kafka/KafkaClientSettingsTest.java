package io.fleethealth.contract.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.contract.settings.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"fleet-agent\" password=\"s3cr3t-pw\";";

    @TempDir
    Path dir;

    @Test
    void shouldMapVariablesByTheRuleOfKafkasImages() {
        assertThat(KafkaClientSettings.propertyName("KAFKA_SECURITY_PROTOCOL")).isEqualTo("security.protocol");
        assertThat(KafkaClientSettings.propertyName("KAFKA_SASL_JAAS_CONFIG")).isEqualTo("sasl.jaas.config");
        assertThat(KafkaClientSettings.propertyName("KAFKA_SSL_TRUSTSTORE_LOCATION")).isEqualTo("ssl.truststore.location");
        assertThat(KafkaClientSettings.propertyName("KAFKA_FOO__BAR")).isEqualTo("foo_bar");
        assertThat(KafkaClientSettings.propertyName("KAFKA_FOO___BAR_BAZ")).isEqualTo("foo-bar.baz");
        assertThat(KafkaClientSettings.propertyName("KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL"))
                .isEqualTo("sasl.oauthbearer.token.endpoint.url");
    }

    @Test
    void shouldApplyEveryClientVariableAndLeaveTheProjectsOwnAndTheLaunchScriptsOnesOut() {
        KafkaClientSettings kafka = KafkaClientSettings.fromEnv("broker:9093", Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "ignored:1",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", JAAS,
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/trust.p12",
                "PATH", "/usr/bin"));

        assertThat(kafka.clientProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "broker:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.location", "/etc/kafka/trust.p12"));
        assertThat(kafka.asProperties()).containsEntry("sasl.jaas.config", JAAS);
        assertThat(kafka.securityProtocol()).isEqualTo("SASL_SSL");
    }

    @Test
    void shouldReadTheFileAndLetVariablesOverrideItsKeys() throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SSL\nssl.keystore.location=/k.p12\nssl.keystore.password=kpw\n");

        KafkaClientSettings kafka = KafkaClientSettings.fromEnv("b:9093", Map.of(
                "KAFKA_CLIENT_CONFIG_FILE", file.toString(),
                "KAFKA_SSL_KEYSTORE_PASSWORD", "from-env"));

        assertThat(kafka.clientProperties())
                .containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.keystore.location", "/k.p12")
                .containsEntry("ssl.keystore.password", "from-env");
    }

    @Test
    void shouldPreferTheCommandConfigFileToTheVariable() throws IOException {
        Path fromVariable = dir.resolve("a.properties");
        Path fromOption = dir.resolve("b.properties");
        Files.writeString(fromVariable, "security.protocol=SSL\n");
        Files.writeString(fromOption, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n");

        KafkaClientSettings kafka = KafkaClientSettings.fromEnv("b:9093",
                Map.of("KAFKA_CLIENT_CONFIG_FILE", fromVariable.toString()), Optional.of(fromOption));

        assertThat(kafka.securityProtocol()).isEqualTo("SASL_PLAINTEXT");
        assertThat(kafka.describe()).contains("[--command-config]");
    }

    @Test
    void shouldPassThroughPlainOauthbearerAndMutualTlsSettings() {
        KafkaClientSettings oauth = KafkaClientSettings.fromEnv("b:9093", Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "OAUTHBEARER",
                "KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", "https://idp.example/token",
                "KAFKA_SASL_LOGIN_CALLBACK_HANDLER_CLASS",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                        + " clientId=\"fleet\" clientSecret=\"oauth-s3cret\";"));
        assertThat(oauth.clientProperties()).containsEntry("sasl.oauthbearer.token.endpoint.url", "https://idp.example/token")
                .containsKey("sasl.login.callback.handler.class");
        assertThat(oauth.describe()).doesNotContain("oauth-s3cret");

        KafkaClientSettings mtls = KafkaClientSettings.fromEnv("b:9093", Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_KEYSTORE_LOCATION", "/etc/fleet/agent.p12",
                "KAFKA_SSL_KEYSTORE_PASSWORD", "ks-pw",
                "KAFKA_SSL_KEY_PASSWORD", "key-pw",
                "KAFKA_SSL_KEYSTORE_TYPE", "PKCS12"));
        assertThat(mtls.clientProperties()).containsEntry("ssl.keystore.location", "/etc/fleet/agent.p12");
        assertThat(mtls.describe()).contains("ssl.keystore.location=/etc/fleet/agent.p12").doesNotContain("ks-pw", "key-pw");

        KafkaClientSettings plain = KafkaClientSettings.fromEnv("b:9092", Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_MECHANISM", "PLAIN"));
        assertThat(plain.securityProtocol()).isEqualTo("SASL_PLAINTEXT");
    }

    @Test
    void shouldStopAtStartOnAPropertyNoClientKnowsNamingTheVariable() {
        assertThatThrownBy(() -> KafkaClientSettings.fromEnv("b:9093", Map.of("KAFKA_SECURITY_PROTOCOLL", "SSL")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("KAFKA_SECURITY_PROTOCOLL")
                .hasMessageContaining("security.protocoll")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("KAFKA_SECURITY_PROTOCOLL"));
    }

    @Test
    void shouldAcceptStreamsClientPrefixes() {
        KafkaClientSettings kafka = KafkaClientSettings.fromEnv("b:9093", Map.of("KAFKA_PRODUCER_LINGER_MS", "5"));
        assertThat(kafka.clientProperties()).containsEntry("producer.linger.ms", "5");
    }

    @Test
    void shouldStopOnAnUnreadableFileNamingTheVariable() {
        assertThatThrownBy(() -> KafkaClientSettings.fromEnv("b:9093",
                Map.of("KAFKA_CLIENT_CONFIG_FILE", dir.resolve("missing.properties").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("KAFKA_CLIENT_CONFIG_FILE");
    }

    @Test
    void shouldRefuseBootstrapServersInTheFile() throws IOException {
        Path file = dir.resolve("c.properties");
        Files.writeString(file, "bootstrap.servers=elsewhere:9092\n");
        assertThatThrownBy(() -> KafkaClientSettings.fromEnv("b:9093", Map.of(), Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void shouldNeverShowASecretValue() {
        KafkaClientSettings kafka = KafkaClientSettings.fromEnv("b:9093", Map.of(
                "KAFKA_SASL_JAAS_CONFIG", JAAS,
                "KAFKA_SSL_KEYSTORE_PASSWORD", "kpw-123",
                "KAFKA_SSL_KEY_PASSWORD", "key-456",
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "tpw-789",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));

        assertThat(kafka.describe() + kafka)
                .contains("sasl.jaas.config=(hidden) [KAFKA_SASL_JAAS_CONFIG]", "security.protocol=SASL_SSL")
                .doesNotContain("s3cr3t-pw", "kpw-123", "key-456", "tpw-789");
    }
}
