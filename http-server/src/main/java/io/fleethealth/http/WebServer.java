package io.fleethealth.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP stack of fleet-health: Javalin on Jetty 12. Jetty's few threads read and write (a connection that
 * is slow to send its request holds no thread); each route then runs on a bounded pool of workers with a deadline,
 * so a stuck route answers 503 and cannot take {@code /health} down with it.
 *
 * <p>Errors are JSON {@code {"status": n, "error": "..."}}, typed in {@link ErrorAnswers}; Jetty's own refusals
 * (before any route) too, in {@link JsonErrorHandler}.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    private static final String ROUTE = "fleet.route";
    private static final String UNMATCHED = "unmatched";

    private final String name;
    private final Javalin app;
    private final ThreadPoolExecutor workers;
    private final URI uri;

    private WebServer(String name, Javalin app, ThreadPoolExecutor workers, URI uri) {
        this.name = name;
        this.app = app;
        this.workers = workers;
        this.uri = uri;
    }

    /** How to build a server: where it listens, its limits, its routes. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The bound port: the configured one, or the free port picked for port 0. */
    public int port() {
        return app.port();
    }

    /** Base URI, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        return uri;
    }

    @Override
    public void close() {
        app.stop();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("{}: routes still running after 5 s, interrupting them", name);
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        log.info("{} on {} stopped", name, uri);
    }

    public static final class Builder {

        private final String name;
        private String host = "127.0.0.1";
        private int port;
        private HttpLimits limits = HttpLimits.DEFAULTS;
        private RequestListener listener = RequestListener.NONE;
        private SSLContext tls;
        private final List<Class<? extends Exception>> notReady = new ArrayList<>();
        private final List<RouteGroup> groups = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder listen(String bindHost, int bindPort) {
            this.host = Objects.requireNonNull(bindHost, "host");
            if (bindPort < 0 || bindPort > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + bindPort);
            }
            this.port = bindPort;
            return this;
        }

        /**
         * Serves https only, with this context's key and certificate (a plain-HTTP request on the port fails the
         * TLS handshake); without this call, plain HTTP.
         */
        public Builder tls(SSLContext value) {
            this.tls = Objects.requireNonNull(value, "tls");
            return this;
        }

        public Builder limits(HttpLimits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        public Builder onRequest(RequestListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /** A library's exception that means "not available yet, retry" (503), e.g. Kafka's InvalidStateStoreException. */
        public Builder notReady(Class<? extends Exception> type) {
            notReady.add(Objects.requireNonNull(type, "type"));
            return this;
        }

        public Builder routes(RouteGroup... value) {
            groups.addAll(List.of(value));
            return this;
        }

        /** Binds and starts serving at once. */
        public WebServer start() throws IOException {
            ThreadPoolExecutor workers = workers(name, limits);
            Javalin app = Javalin.create(config -> configure(config, workers));
            try {
                app.start();
            } catch (JavalinBindException e) {
                workers.shutdownNow();
                BindException bind = new BindException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
                bind.initCause(e);
                throw bind;
            } catch (RuntimeException e) {
                workers.shutdownNow();
                throw e;
            }
            String shownHost = host.contains(":") ? "[" + host + "]" : host;
            String scheme = tls == null ? "http" : "https";
            WebServer server = new WebServer(name, app, workers,
                    URI.create(scheme + "://" + shownHost + ":" + app.port() + "/"));
            log.info("{} listening on {} ({})", name, server.uri(), limits);
            return server;
        }

        private void configure(JavalinConfig config, ThreadPoolExecutor workers) {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.http.maxRequestSize = limits.maxBodyBytes();
            config.http.asyncTimeout = limits.requestTimeout().toMillis();
            config.jetty.timeoutStatus = 503;
            // Few threads suffice: reading and writing never wait on a slow client, the routes run on the workers.
            // Jetty's queue stays unbounded (it holds its own I/O tasks); the bounded queue is the workers'.
            QueuedThreadPool io = new QueuedThreadPool(limits.ioThreads(), Math.min(4, limits.ioThreads()));
            io.setName(threadPrefix(name) + "-io");
            config.jetty.threadPool = io;
            config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector;
                if (tls == null) {
                    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
                } else {
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setSslContext(tls);
                    connector = new ServerConnector(server, 1, 1,
                            new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
                }
                connector.setHost(host);
                connector.setPort(port);
                connector.setIdleTimeout(limits.idleTimeout().toMillis());
                return connector;
            });
            Routes table = new Routes(config.routes, (routeName, handler) -> ctx -> {
                ctx.attribute(ROUTE, routeName);
                ctx.async(task -> {
                    task.executor = workers;
                    task.timeout = limits.requestTimeout().toMillis();
                    task.onTimeout(timedOut -> ErrorAnswers.answer(timedOut, new ApiException(503, "no answer within "
                            + limits.requestTimeout().toMillis() + " ms, retry")));
                }, () -> handler.handle(ctx));
            });
            groups.forEach(group -> group.addTo(table));
            ErrorAnswers.register(config.routes, table, notReady);
            config.requestLogger.http((ctx, ms) -> {
                String route = ctx.attribute(ROUTE);
                listener.answered(route == null ? UNMATCHED : route, ctx.statusCode());
            });
        }

        private static String threadPrefix(String serverName) {
            return serverName.replaceAll("[^A-Za-z0-9]+", "-");
        }

        private static ThreadPoolExecutor workers(String name, HttpLimits limits) {
            AtomicInteger number = new AtomicInteger();
            return new ThreadPoolExecutor(limits.workerThreads(), limits.workerThreads(), 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(limits.queuedRequests()), runnable -> {
                        Thread thread = new Thread(runnable, threadPrefix(name) + "-worker-" + number.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    }, new ThreadPoolExecutor.AbortPolicy());
        }
    }
}
