package io.fleethealth.processor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.testing.TestTls;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operators' API with TLS, and who it believes a forwarded request came from. */
class HttpApiSecurityTest {

    private static final String TOKEN = "admin-t0ken-for-tls";
    private static TestTls tls;
    private static Map<String, String> tlsEnv;

    private final List<HttpApi> started = new ArrayList<>();

    @BeforeAll
    static void stores() {
        tls = TestTls.generate(Path.of(System.getProperty("java.io.tmpdir"), "api-tls-" + ProcessHandle.current().pid()),
                "api", "api-store-pw");
        tlsEnv = Map.of("PROCESSOR_HTTPS_KEYSTORE_LOCATION", tls.keyStore().toString(),
                "PROCESSOR_HTTPS_KEYSTORE_PASSWORD", tls.password(),
                "PROCESSOR_HTTPS_TRUSTSTORE_LOCATION", tls.trustStore().toString(),
                "PROCESSOR_HTTPS_TRUSTSTORE_PASSWORD", tls.password());
    }

    @AfterEach
    void stop() {
        started.forEach(HttpApi::close);
    }

    @Test
    void shouldServeHttpsOnlyWithAKeyStore() {
        FakeFleetQueries fleet = new FakeFleetQueries();
        fleet.put(Sessions.healthy("s-tls"));
        HttpApi api = start(tlsApi(), fleet, new RecordingSessionControls());

        assertThat(api.uri().getScheme()).isEqualTo("https");
        ApiClient.Answer answer = new ApiClient(api.uri(), clientContext()).get("/health/container/s-tls");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("sessionId").asText()).isEqualTo("s-tls");
        assertThatThrownBy(() -> new ApiClient(java.net.URI.create("http://127.0.0.1:" + api.port() + "/"))
                .get("/health/container/s-tls")).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void shouldForwardAResetBetweenTlsInstancesOverHttpsAndAuditTheCaller() {
        FakeFleetQueries firstFleet = new FakeFleetQueries();
        FakeFleetQueries secondFleet = new FakeFleetQueries();
        RecordingSessionControls secondControls = new RecordingSessionControls();
        HttpApi first = start(tlsApi(), firstFleet, new RecordingSessionControls());
        HttpApi second = start(tlsApi(), secondFleet, secondControls);
        secondFleet.put(Sessions.failed("dead-tls"));
        firstFleet.ownedBy("dead-tls", new RemoteOwner("127.0.0.1", second.port()));

        ApiClient.Answer answer = new ApiClient(first.uri(), clientContext()).post("/health/sessions/dead-tls/reset",
                "{\"reason\":\"tls\"}", "Authorization", "Bearer " + TOKEN);

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.header("X-Fleet-Served-By")).isEqualTo("127.0.0.1:" + second.port());
        assertThat(secondControls.resets).containsExactly(
                new RecordingSessionControls.Reset("dead-tls", "api@127.0.0.1 via 127.0.0.1", "tls"));
    }

    @Test
    void shouldNeverSendTheAdminTokenInClearWhenTlsIsConfigured() throws Exception {
        // An "owner" that speaks plain HTTP (a misconfigured or impostor instance): it records every byte it gets.
        try (ServerSocket plain = new ServerSocket(0)) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(plain));
            FakeFleetQueries fleet = new FakeFleetQueries();
            fleet.ownedBy("elsewhere", new RemoteOwner("127.0.0.1", plain.getLocalPort()));
            HttpApi api = start(tlsApi(), fleet, new RecordingSessionControls());

            ApiClient.Answer answer = new ApiClient(api.uri(), clientContext()).post(
                    "/health/sessions/elsewhere/reset", "{}", "Authorization", "Bearer " + TOKEN);

            assertThat(answer.status()).isEqualTo(502);
            String bytes = new String(received.get(30, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1);
            assertThat(bytes).as("the forward began a TLS handshake").isNotEmpty();
            assertThat(bytes).doesNotContain(TOKEN).doesNotContain("Authorization").doesNotContain("POST ");
        }
    }

    @Test
    void shouldIgnoreAForwardedForHeaderAClientSetsItself() {
        FakeFleetQueries fleet = new FakeFleetQueries();
        fleet.put(Sessions.failed("spoofed"));
        RecordingSessionControls controls = new RecordingSessionControls();
        HttpApi api = start(HttpApiSettings.loopback(Optional.of(TOKEN)), fleet, controls);
        String forged = "t=" + Instant.now().getEpochSecond() + ",sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        ApiClient.Answer plain = new ApiClient(api.uri()).post("/health/sessions/spoofed/reset", "{}",
                "Authorization", "Bearer " + TOKEN, "X-Fleet-Forwarded", "1", "X-Fleet-Forwarded-For", "ceo@203.0.113.9");
        ApiClient.Answer signedBadly = new ApiClient(api.uri()).post("/health/sessions/spoofed/reset", "{}",
                "Authorization", "Bearer " + TOKEN, "X-Fleet-Forwarded", "1", "X-Fleet-Forwarded-For", "ceo@203.0.113.9",
                PeerSignature.HEADER, forged);

        assertThat(plain.status()).isEqualTo(202);
        assertThat(signedBadly.status()).isEqualTo(202);
        assertThat(controls.resets).extracting(RecordingSessionControls.Reset::actor)
                .containsExactly("api@127.0.0.1", "api@127.0.0.1");
    }

    @Test
    void shouldStopAtStartOnAKeyStoreItCannotOpenWithoutShowingThePassword() {
        Map<String, String> wrong = new java.util.HashMap<>(tlsEnv);
        wrong.put("PROCESSOR_HTTPS_KEYSTORE_PASSWORD", "wr0ng-pw");
        assertThatThrownBy(() -> ApiTls.fromEnv(wrong))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PROCESSOR_HTTPS_KEYSTORE_LOCATION")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wr0ng-pw"));
        assertThat(ApiTls.fromEnv(Map.of()).enabled()).isFalse();
    }

    private HttpApiSettings tlsApi() {
        return HttpApiSettings.loopback(Optional.of(TOKEN))
                .withSecurity(ApiTls.fromEnv(tlsEnv), PeerSignature.fromEnv(Map.of(), Optional.of(TOKEN)));
    }

    private HttpApi start(HttpApiSettings settings, FakeFleetQueries fleet, RecordingSessionControls controls) {
        try {
            HttpApi api = new HttpApi(settings, fleet, controls, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            started.add(api);
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SSLContext clientContext() {
        return ApiTls.fromEnv(tlsEnv).clientContext().orElseThrow();
    }

    private static byte[] readAll(ServerSocket server) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Socket socket = server.accept()) {
            socket.setSoTimeout(2_000);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // the client waits for a TLS answer that never comes: all it sent is in
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
