package io.fleethealth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fleethealth.agent.config.AgentConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without HOST_ID, agents on different Docker hosts get different ids: the engine's own name first. */
class DefaultHostIdTest {

    @Test
    void shouldTakeTheEnginesNameWhenHostIdIsNotSet() throws Exception {
        HttpServer engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        engine.createContext("/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().endsWith("/info")
                    ? "{\"Name\":\"engine-of-host-b\",\"ID\":\"x\"}".getBytes(StandardCharsets.UTF_8)
                    : "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        engine.start();
        try {
            AgentConfig config = AgentService.configFrom(Map.of("DOCKER_HOST",
                    "tcp://127.0.0.1:" + engine.getAddress().getPort()));

            assertThat(config.hostId()).isEqualTo("engine-of-host-b");
        } finally {
            engine.stop(0);
        }
    }

    @Test
    void shouldFallBackToTheHostNameWhenTheEngineCannotBeAsked() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        AgentConfig config = AgentService.configFrom(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + closedPort));

        assertThat(config.hostId()).isEqualTo(AgentConfig.localHostName());
    }

    @Test
    void shouldKeepAnExplicitHostId() {
        assertThat(AgentService.configFrom(Map.of("HOST_ID", "rack-7", "DOCKER_HOST", "tcp://127.0.0.1:1")).hostId())
                .isEqualTo("rack-7");
    }
}
