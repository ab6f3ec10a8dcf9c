package io.fleethealth.launcher.fault;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on loopback in front of the real schema registry, for the fault suite: while "down" it answers schema
 * look-ups by id ({@code /schemas/ids/N}, what a reader needs to decode a record) with 503, as a registry that is
 * restarting behind a load balancer does; everything else passes through, so the agent still starts (its start
 * waits for the registry to answer). The shared registry itself is never stopped.
 */
final class RegistryOutageProxy implements Closeable {

    private final URI target;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean down;

    private RegistryOutageProxy(URI target, HttpServer server) {
        this.target = target;
        this.server = server;
    }

    /** @param registryRoot e.g. {@code http://127.0.0.1:P/apis/ccompat/v7} */
    static RegistryOutageProxy start(URI registryRoot) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        URI origin = URI.create(registryRoot.getScheme() + "://" + registryRoot.getRawAuthority());
        RegistryOutageProxy proxy = new RegistryOutageProxy(origin, server);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "registry-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", proxy::handle);
        server.start();
        return proxy;
    }

    /** The same registry root, through the proxy. */
    URI url(URI registryRoot) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + registryRoot.getRawPath());
    }

    void down(boolean down) {
        this.down = down;
    }

    long refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (down && exchange.getRequestURI().getPath().contains("/schemas/ids/")) {
                refused.incrementAndGet();
                byte[] body = "{\"error_code\":50301,\"message\":\"registry down (fault test)\"}".getBytes();
                exchange.sendResponseHeaders(503, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(10))
                    .method(exchange.getRequestMethod(), requestBody.length == 0
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(requestBody));
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
