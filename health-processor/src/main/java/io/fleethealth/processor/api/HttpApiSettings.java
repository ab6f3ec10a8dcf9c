package io.fleethealth.processor.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the operators' API listens and who may change state through it.
 *
 * @param host address to bind, 127.0.0.1 unless the operator opens it up
 * @param port TCP port; 0 picks a free one (tests)
 * @param adminToken the bearer token of {@code POST /health/sessions/{id}/reset}; empty disables the route
 * @param workerThreads threads that run the API's routes; requests beyond them and a queue of 128 answer 503
 * @param forwardTimeout how long a request forwarded to the instance owning a session may take
 * @param tls https for the API and for forwarding, or plain HTTP
 * @param peers how forwarded requests prove they come from another instance (empty: never believed)
 */
public record HttpApiSettings(String host, int port, Optional<String> adminToken, int workerThreads, Duration forwardTimeout,
                              ApiTls tls, Optional<PeerSignature> peers) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_WORKER_THREADS = 4;
    public static final Duration DEFAULT_FORWARD_TIMEOUT = Duration.ofSeconds(5);

    public HttpApiSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(forwardTimeout, "forwardTimeout");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(peers, "peers");
        adminToken = Objects.requireNonNull(adminToken, "adminToken").filter(token -> !token.isBlank());
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads must be at least 1, got " + workerThreads);
        }
    }

    public HttpApiSettings(String host, int port, Optional<String> adminToken, int workerThreads, Duration forwardTimeout) {
        this(host, port, adminToken, workerThreads, forwardTimeout, ApiTls.NONE, PeerSignature.of(Optional.empty(), adminToken));
    }

    public HttpApiSettings(String host, int port, Optional<String> adminToken) {
        this(host, port, adminToken, DEFAULT_WORKER_THREADS, DEFAULT_FORWARD_TIMEOUT);
    }

    /** The same, with https and the peers' signature key. */
    public HttpApiSettings withSecurity(ApiTls tls, Optional<PeerSignature> peers) {
        return new HttpApiSettings(host, port, adminToken, workerThreads, forwardTimeout, tls, peers);
    }

    /** Loopback on a free port: for tests. */
    public static HttpApiSettings loopback(Optional<String> adminToken) {
        return new HttpApiSettings(DEFAULT_HOST, 0, adminToken);
    }

    @Override
    public String toString() {
        // Never print the token itself.
        return "HttpApiSettings[host=" + host + ", port=" + port + ", adminToken=" + (adminToken.isPresent() ? "set" : "none")
                + ", workerThreads=" + workerThreads + ", forwardTimeout=" + forwardTimeout + ", tls=" + tls
                + ", peerSignature=" + (peers.isPresent() ? "on" : "off") + "]";
    }
}
