package io.fleethealth.processor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API under abuse and failure: slow clients, many clients, malformed queries, stores not ready, bugs. */
class HttpApiRobustnessTest {

    private static final Logger log = LoggerFactory.getLogger(HttpApiRobustnessTest.class);

    private final FakeFleetQueries fleet = new FakeFleetQueries();
    private HttpApi api;
    private ApiClient client;

    @BeforeEach
    void start() throws IOException {
        fleet.put(Sessions.healthy("a")).put(Sessions.failed("b"));
        api = new HttpApi(HttpApiSettings.loopback(Optional.empty()), fleet, new RecordingSessionControls(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        client = new ApiClient(api.uri());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void shouldKeepAnsweringHealthWhile200IdleConnectionsEachSentOneByte() throws IOException {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", api.port()), 5_000);
                OutputStream out = socket.getOutputStream();
                out.write('G');
                out.flush();
                idle.add(socket);
            }

            long started = System.nanoTime();
            ApiClient.Answer health = client.get("/health");
            log.info("/health answered {} ms after 200 connections sent one byte each",
                    (System.nanoTime() - started) / 1_000_000);
            ApiClient.Answer metrics = client.get("/metrics");
            ApiClient.Answer dashboard = client.get("/");

            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().at("/sessions/FAILED").asLong()).isEqualTo(1);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(dashboard.status()).isEqualTo(200);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void shouldAnswerEveryOneOf1000RequestsFrom50Threads() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(50);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String path = i % 2 == 0 ? "/health" : "/health/container/b";
                calls.add(callers.submit(() -> statuses.computeIfAbsent(client.get(path).status(), s -> new AtomicInteger())
                        .incrementAndGet()));
            }
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        log.info("1000 requests from 50 threads answered in {} ms", (System.nanoTime() - started) / 1_000_000);
        assertThat(statuses).containsOnlyKeys(200);
        assertThat(statuses.get(200)).hasValue(1000);
    }

    @Test
    void shouldAnswer400WithoutAStackTraceForAMalformedPercentEscapeInTheQuery() throws IOException {
        try (LogCapture logs = new LogCapture()) {
            // java.net.URI refuses these, so they go over a plain socket, as curl would send them
            RawHttp.Answer sessions = RawHttp.get(api.port(), "/health/sessions?status=%zz");
            RawHttp.Answer alerts = RawHttp.get(api.port(), "/api/alerts?limit=%");

            assertThat(sessions.status()).isEqualTo(400);
            assertThat(sessions.body()).contains("malformed");
            assertThat(alerts.status()).isEqualTo(400);
            assertThat(RawHttp.get(api.port(), "/health/container/%zz").status()).isEqualTo(400);
            assertThat(RawHttp.get(api.port(), "/health/sessions?cursor=%E0%A4%A").status()).isEqualTo(400);
            assertThat(logs.errors()).isEmpty();
            assertThat(logs.withStackTrace()).isEmpty();
        }
    }

    @Test
    void shouldAnswer503WithoutAnErrorWhileTheStoresAreNotQueryable() {
        fleet.failWith(new InvalidStateStoreException("the stream thread is PARTITIONS_ASSIGNED, not RUNNING"));
        try (LogCapture logs = new LogCapture()) {
            ApiClient.Answer answer = client.get("/health/container/b");

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.json().get("error").asText()).contains("retry");
            assertThat(logs.errors()).isEmpty();
        }
    }

    @Test
    void shouldAnswer500AndLogABugOnceAtErrorRatherThanCallItNotReady() {
        fleet.failWith(new IllegalStateException("a bug: no state for this branch"));
        try (LogCapture logs = new LogCapture()) {
            ApiClient.Answer answer = client.get("/health/container/b");

            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.json().get("error").asText()).contains("internal error").doesNotContain("a bug");
            assertThat(logs.errors()).hasSize(1);
            assertThat(logs.errors().get(0).getThrowableProxy().getMessage()).isEqualTo("a bug: no state for this branch");
        }
    }
}
