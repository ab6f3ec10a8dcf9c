package io.fleethealth.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What one HTTP server may spend: the tunables of {@link WebServer}, in one small record so that a settings
 * mechanism can build it from its own declarations.
 *
 * @param idleTimeout how long a connection may stay silent (while sending a request or between two) before it is
 *        closed; idle connections hold no thread, so this only bounds file descriptors and slow clients
 * @param requestTimeout how long a route may take to answer; after it the caller gets 503 (the work itself
 *        cannot be interrupted and ends on its worker)
 * @param ioThreads Jetty's threads: accepting, selecting, reading requests, writing answers
 * @param workerThreads threads that run the routes
 * @param queuedRequests requests waiting for a worker; beyond them the caller gets 503 at once
 * @param maxBodyBytes the largest request body accepted (413 beyond)
 */
public record HttpLimits(Duration idleTimeout, Duration requestTimeout, int ioThreads, int workerThreads,
                         int queuedRequests, int maxBodyBytes) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Jetty needs about 3 for acceptor, selector and reserve; the rest read and write. */
    public static final int DEFAULT_IO_THREADS = 8;
    public static final int DEFAULT_WORKER_THREADS = 4;
    public static final int DEFAULT_QUEUED_REQUESTS = 128;
    public static final int DEFAULT_MAX_BODY_BYTES = 4096;

    public static final HttpLimits DEFAULTS = new HttpLimits(DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
            DEFAULT_IO_THREADS, DEFAULT_WORKER_THREADS, DEFAULT_QUEUED_REQUESTS, DEFAULT_MAX_BODY_BYTES);

    public HttpLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive, got idle " + idleTimeout + ", request " + requestTimeout);
        }
        if (ioThreads < 4) {
            throw new IllegalArgumentException("ioThreads must be at least 4 (acceptor, selector, reserve, one to serve), got " + ioThreads);
        }
        if (workerThreads < 1 || queuedRequests < 1 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("need workerThreads >= 1, queuedRequests >= 1, maxBodyBytes >= 0, got "
                    + workerThreads + ", " + queuedRequests + ", " + maxBodyBytes);
        }
    }

    public HttpLimits withWorkerThreads(int threads) {
        return new HttpLimits(idleTimeout, requestTimeout, ioThreads, threads, queuedRequests, maxBodyBytes);
    }

    public HttpLimits withIdleTimeout(Duration timeout) {
        return new HttpLimits(timeout, requestTimeout, ioThreads, workerThreads, queuedRequests, maxBodyBytes);
    }

    public HttpLimits withRequestTimeout(Duration timeout) {
        return new HttpLimits(idleTimeout, timeout, ioThreads, workerThreads, queuedRequests, maxBodyBytes);
    }
}
