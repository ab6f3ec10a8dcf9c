package io.fleethealth.contract.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.serde.HttpSchemaRegistryClient;
import io.fleethealth.serde.SchemaRegistryException;
import io.fleethealth.testing.TestTls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry client's credentials and trust store, against a loopback https registry stand-in. */
class RegistryClientSettingsTest {

    private static final String USER_INFO = "fleet-agent:reg-p4ss";
    private static final String TOKEN = "eyJ-bearer-t0ken";
    private static final Schema SCHEMA = SchemaBuilder.record("Probe").namespace("io.fleethealth.test")
            .fields().requiredString("id").endRecord();
    private static final List<String> authorizations = new CopyOnWriteArrayList<>();

    private static TestTls tls;
    private static HttpsServer server;
    private static URI baseUrl;

    @BeforeAll
    static void startHttpsRegistry() throws IOException {
        tls = TestTls.generate(Path.of(System.getProperty("java.io.tmpdir")).resolve("fleet-registry-tls-"
                + ProcessHandle.current().pid()), "registry", "store-pw-1");
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"id\":7}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        baseUrl = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @BeforeEach
    void clear() {
        authorizations.clear();
    }

    @Test
    void shouldSendBasicAuthOverHttpsTrustingTheConfiguredStore() {
        HttpSchemaRegistryClient client = RegistryClientSettings.fromEnv(env(Map.of(
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", USER_INFO))).client(baseUrl);

        assertThat(client.register("probe-value", SCHEMA)).isEqualTo(7);
        assertThat(authorizations).containsExactly(
                "Basic " + Base64.getEncoder().encodeToString(USER_INFO.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldSendTheBearerToken() {
        HttpSchemaRegistryClient client = RegistryClientSettings.fromEnv(env(Map.of(
                "SCHEMA_REGISTRY_BEARER_AUTH_TOKEN", TOKEN))).client(baseUrl);

        assertThat(client.register("probe-value", SCHEMA)).isEqualTo(7);
        assertThat(authorizations).containsExactly("Bearer " + TOKEN);
    }

    @Test
    void shouldRefuseTheSelfSignedRegistryWithoutTheTrustStore() {
        HttpSchemaRegistryClient client = RegistryClientSettings.fromEnv(Map.of(
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", USER_INFO)).client(baseUrl);

        assertThatThrownBy(() -> client.register("probe-value", SCHEMA))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unreachable")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("reg-p4ss"));
        assertThat(authorizations).as("no credentials reach an untrusted server").isEmpty();
    }

    @Test
    void shouldSendNoAuthorizationWhenNoneIsConfigured() {
        RegistryClientSettings.fromEnv(env(Map.of())).client(baseUrl).register("probe-value", SCHEMA);
        assertThat(authorizations).containsExactly("null");
    }

    @Test
    void shouldNeverShowACredential() {
        RegistryClientSettings settings = RegistryClientSettings.fromEnv(env(Map.of(
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", USER_INFO)));
        String shown = settings.describe() + settings + settings.access()
                + settings.client(baseUrl);
        assertThat(shown).contains("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO=(set)")
                .doesNotContain("reg-p4ss", "store-pw-1", Base64.getEncoder().encodeToString(
                        USER_INFO.getBytes(StandardCharsets.UTF_8)));
        assertThat(RegistryClientSettings.fromEnv(env(Map.of("SCHEMA_REGISTRY_BEARER_AUTH_TOKEN", TOKEN))).access()
                .toString()).doesNotContain(TOKEN);
    }

    @Test
    void shouldStopAtStartOnBadRegistrySettingsWithoutShowingThem() {
        assertThatThrownBy(() -> RegistryClientSettings.fromEnv(Map.of(
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", USER_INFO, "SCHEMA_REGISTRY_BEARER_AUTH_TOKEN", TOKEN)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> RegistryClientSettings.fromEnv(Map.of(
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "no-colon-secret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("no-colon-secret"));
        assertThatThrownBy(() -> RegistryClientSettings.fromEnv(Map.of(
                "SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", tls.trustStore().toString(),
                "SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD", "wrong-pw-42")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-pw-42"));
    }

    @Test
    void shouldRefuseCredentialsInTheUrl() {
        assertThatThrownBy(() -> RegistryClientSettings.NONE.client(URI.create("https://u:pw@127.0.0.1:1/x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
    }

    private static Map<String, String> env(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", tls.trustStore().toString());
        env.put("SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD", tls.password());
        return env;
    }
}
