package io.fleethealth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private WebServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    private WebServer start(HttpLimits limits) throws IOException {
        server = WebServer.builder("test server").limits(limits).routes(routes -> routes
                .get("hello", "/hello/{name}", ctx -> ctx.json(Map.of("hello", PathSegments.decoded(ctx, 1))))
                .get("stuck", "/stuck", ctx -> {
                    entered.countDown();
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                    ctx.result("late");
                })
                .post("echo", "/echo", ctx -> ctx.result(ctx.bodyAsBytes()))
                .get("not-ready", "/not-ready", ctx -> {
                    throw new NotReadyException("warming up");
                }))
                .start();
        return server;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return server.uri().resolve(path);
    }

    @Test
    void shouldAnswer503WhenARouteTakesLongerThanTheRequestTimeoutAndKeepServingOthers() throws Exception {
        start(HttpLimits.DEFAULTS.withRequestTimeout(Duration.ofMillis(300)));

        HttpResponse<String> stuck = send(HttpRequest.newBuilder(uri("/stuck")));
        HttpResponse<String> hello = send(HttpRequest.newBuilder(uri("/hello/world")));

        assertThat(stuck.statusCode()).isEqualTo(503);
        assertThat(Json.mapper().readTree(stuck.body()).get("error").asText()).contains("no answer within 300 ms");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("{\"hello\":\"world\"}");
    }

    @Test
    void shouldAnswer503AtOnceWhenEveryWorkerIsBusyAndTheQueueFull() throws Exception {
        start(new HttpLimits(HttpLimits.DEFAULT_IDLE_TIMEOUT, Duration.ofSeconds(60), HttpLimits.DEFAULT_IO_THREADS, 1, 1,
                HttpLimits.DEFAULT_MAX_BODY_BYTES));
        java.util.concurrent.CompletableFuture<HttpResponse<String>> first = HTTP.sendAsync(
                HttpRequest.newBuilder(uri("/stuck")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(20, TimeUnit.SECONDS)).as("the only worker runs the first request").isTrue();

        // one of these waits in the queue of one, the other finds it full
        java.util.concurrent.CompletableFuture<HttpResponse<String>> second = HTTP.sendAsync(
                HttpRequest.newBuilder(uri("/stuck")).build(), HttpResponse.BodyHandlers.ofString());
        java.util.concurrent.CompletableFuture<HttpResponse<String>> third = HTTP.sendAsync(
                HttpRequest.newBuilder(uri("/hello/x")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<?> refused = (HttpResponse<?>) java.util.concurrent.CompletableFuture.anyOf(second, third)
                .get(20, TimeUnit.SECONDS);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body().toString()).contains("busy");
        release.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(List.of(second.get(20, TimeUnit.SECONDS).statusCode(), third.get(20, TimeUnit.SECONDS).statusCode()))
                .containsExactlyInAnyOrder(200, 503);
    }

    @Test
    void shouldCloseAConnectionThatStaysSilentPastTheIdleTimeout() throws Exception {
        start(HttpLimits.DEFAULTS.withIdleTimeout(Duration.ofMillis(300)));

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write('G');
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            // the server gives up on the half-sent request: an error answer and/or end of stream, not silence
            byte[] rest = in.readAllBytes();
            String answer = new String(rest, StandardCharsets.ISO_8859_1);
            assertThat(answer.isEmpty() || answer.startsWith("HTTP/1.1 4") || answer.startsWith("HTTP/1.1 5"))
                    .as("answer to a request cut off by the idle timeout: '%s'", answer).isTrue();
        }
    }

    @Test
    void shouldRefuseABodyOverTheLimitWith413() throws Exception {
        start(new HttpLimits(HttpLimits.DEFAULT_IDLE_TIMEOUT, HttpLimits.DEFAULT_REQUEST_TIMEOUT, HttpLimits.DEFAULT_IO_THREADS,
                1, 8, 100));

        HttpResponse<String> small = send(HttpRequest.newBuilder(uri("/echo")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(100))));
        HttpResponse<String> large = send(HttpRequest.newBuilder(uri("/echo")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(101))));

        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(large.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    }

    @Test
    void shouldTypeNotReadyAs503AndAnswer404And405AsJson() throws Exception {
        start(HttpLimits.DEFAULTS);

        HttpResponse<String> notReady = send(HttpRequest.newBuilder(uri("/not-ready")));
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri("/nowhere")));
        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(uri("/echo")));

        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("retry").contains("warming up");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.mapper().readTree(missing.body()).get("error").asText()).isEqualTo("no such route: /nowhere");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void shouldAnswerARequestJettyRefusesBeforeAnyRouteAsJsonToo() throws Exception {
        start(HttpLimits.DEFAULTS);

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("GET /../hello/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400").contains("Content-Type: application/json")
                    .contains("{\"status\":400,\"error\":");
        }
    }

    @Test
    void shouldRefuseToStartOnAPortInUseWithABindException() throws Exception {
        start(HttpLimits.DEFAULTS);
        WebServer.Builder second = WebServer.builder("second").listen("127.0.0.1", server.port());

        org.assertj.core.api.Assertions.assertThatThrownBy(second::start).isInstanceOf(java.net.BindException.class)
                .hasMessageContaining("127.0.0.1:" + server.port());
    }
}
