package io.fleethealth.processor.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** An Alertmanager or webhook stand-in on loopback: answers with scripted statuses, then 200, and keeps every request. */
final class AlertReceiver implements AutoCloseable {

    record Received(String method, String path, String contentType, String body) {
    }

    final List<Received> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> scriptedStatuses = new ConcurrentLinkedQueue<>();
    private final HttpServer server;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile String refused;

    AlertReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The next answers, in order; after them every request gets 200. */
    AlertReceiver answer(Integer... statuses) {
        scriptedStatuses.addAll(List.of(statuses));
        return this;
    }

    /** Answers 400 to every request whose body contains {@code marker}, as Alertmanager does for a bad alert. */
    AlertReceiver refuse(String marker) {
        refused = marker;
        return this;
    }

    /** Holds every request until {@link #release()}: a receiver that hangs. */
    AlertReceiver hold() {
        gate = new CountDownLatch(1);
        return this;
    }

    void release() {
        gate.countDown();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never released the receiver");
            }
            String marker = refused;
            Integer status = marker != null && body.contains(marker) ? Integer.valueOf(400) : scriptedStatuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
