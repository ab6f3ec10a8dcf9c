package io.fleethealth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentHttpServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final AtomicReference<AgentHealth> health = new AtomicReference<>(
            new AgentHealth(true, Optional.empty(), Optional.empty(), Optional.of(Instant.parse("2024-05-01T12:00:00Z")),
                    Optional.of(42L), 7));
    private AgentHttpServer server;

    @BeforeEach
    void start() {
        server = new AgentHttpServer("127.0.0.1", 0, health::get, () -> "fleet_agent_rounds_total{host=\"h\"} 3.0\n");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerHealthAsJsonWith503WhenDown() throws Exception {
        HttpResponse<String> up = send("GET", "/health");
        health.set(new AgentHealth(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0));
        HttpResponse<String> down = send("GET", "/health");

        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(up.body()).isEqualTo("{\"status\":\"UP\",\"engineReachable\":true,\"kafkaReachable\":true,"
                + "\"delivering\":true,\"readingCommands\":true,\"reasons\":[],"
                + "\"lastRoundAt\":\"2024-05-01T12:00:00Z\",\"lastRoundDurationMs\":42,\"containersMonitored\":7}");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("\"lastRoundAt\":null")
                .contains("\"reasons\":[\"docker engine unreachable in the last probe round\"]");
    }

    @Test
    void shouldServeMetricsAsPrometheusTextAndRefuseOtherMethodsAndPaths() throws Exception {
        HttpResponse<String> metrics = send("GET", "/metrics");
        HttpResponse<String> post = send("POST", "/health");
        HttpResponse<String> other = send("GET", "/healthz");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).contains("fleet_agent_rounds_total{host=\"h\"} 3.0");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(other.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldKeepAnsweringWhile200IdleConnectionsEachSentOneByte() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                socket.getOutputStream().write('G');
                socket.getOutputStream().flush();
                idle.add(socket);
            }
            assertThat(send("GET", "/health").statusCode()).isEqualTo(200);
            assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
        } finally {
            for (Socket socket : idle) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // already closed by the server
                }
            }
        }
    }
}
