package io.fleethealth.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only class that talks docker-java: it turns docker-java's types into {@link ContainerSnapshot} and friends and
 * its exceptions into the three meanings the agent acts on (gone, unreachable, refused).
 */
public final class DockerEngine implements ContainerEngine, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);
    private static final Set<String> WATCHED_ACTIONS = Set.of("die", "oom", "health_status", "destroy");
    private static final String NEVER = "0001-01-01T00:00:00Z";
    /** The least time a restart gets beyond the container's stop timeout. */
    static final Duration RESTART_MARGIN = Duration.ofSeconds(10);

    private final URI dockerHost;
    private final DockerClient requests;
    // Events get their own client: a response timeout would cut a quiet event stream.
    private final DockerClient events;
    // Restarts too: one may take the container's whole stop timeout (up to an hour), far beyond the request timeout.
    private final DockerClient restarts;
    private final Duration requestTimeout;
    private final ExecutorService restartCalls = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "docker-restart-call");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param requestTimeout how long one request may wait for the engine's answer; probes have their own, shorter,
     *        limit, this one only frees a thread stuck on an engine that never answers
     */
    public DockerEngine(URI dockerHost, Duration requestTimeout) {
        this.dockerHost = dockerHost;
        this.requests = client(dockerHost, requestTimeout);
        this.events = client(dockerHost, null);
        this.restarts = client(dockerHost, null);
        this.requestTimeout = requestTimeout;
    }

    /**
     * The engine's own name ({@code docker info}: the host name of the machine the engine runs on), or empty when
     * the engine cannot be asked. What makes a default host id unique per Docker host, also when the agent runs
     * in a container whose own host name is random.
     */
    public static Optional<String> engineName(URI dockerHost) {
        try {
            DockerClient client = client(dockerHost, Duration.ofSeconds(5));
            try (client) {
                String name = client.infoCmd().exec().getName();
                return name == null || name.isBlank() ? Optional.empty() : Optional.of(name.strip());
            }
        } catch (RuntimeException | java.io.IOException e) {
            log.warn("cannot ask the engine at {} for its name ({}); the host name is the default host id",
                    dockerHost, e.toString());
            return Optional.empty();
        }
    }

    private static DockerClient client(URI dockerHost, Duration responseTimeout) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost.toString())
                .build();
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5));
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    @Override
    public List<ContainerSummary> listLabelled(String labelKey) {
        List<Container> containers = call("list containers", () -> requests.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(List.of(labelKey))
                .exec());
        return containers.stream().map(DockerEngine::summary).toList();
    }

    @Override
    public ContainerSnapshot inspect(String containerId) {
        try {
            return snapshot(call("inspect " + containerId, () -> requests.inspectContainerCmd(containerId).exec()));
        } catch (NotFoundException e) {
            throw new ContainerGoneException(containerId, e);
        }
    }

    /**
     * The restart's deadline follows the container: the engine may wait the whole stop timeout before it kills the
     * container, then starts it, so the call may take the stop timeout plus the usual request timeout (at least
     * {@link #RESTART_MARGIN}). A fixed deadline shorter than that reported restarts that succeeded as FAILED.
     */
    @Override
    public void restart(String containerId, Duration stopTimeout) {
        int seconds = (int) Math.max(0, Math.min(Integer.MAX_VALUE, stopTimeout.toSeconds()));
        Duration deadline = restartDeadline(stopTimeout, requestTimeout);
        Future<Void> call = restartCalls.submit(() -> call("restart " + containerId, () -> {
            restarts.restartContainerCmd(containerId).withTimeout(seconds).exec();
            return null;
        }));
        try {
            call.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new EngineUnreachableException("restart " + containerId + " got no answer from the engine at "
                    + dockerHost + " within " + deadline.toMillis() + " ms (stop timeout " + seconds + " s)", e);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while restarting " + containerId, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NotFoundException notFound) {
                throw new ContainerGoneException(containerId, notFound);
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new EngineException("restart " + containerId + " failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * How long a restart may take: the container's stop timeout, plus time for the stop request and the start (the
     * request timeout, and never less than {@link #RESTART_MARGIN}: starting a container on a busy host takes
     * seconds, however short the probes' timeout).
     */
    public static Duration restartDeadline(Duration stopTimeout, Duration requestTimeout) {
        return stopTimeout.plus(requestTimeout.compareTo(RESTART_MARGIN) > 0 ? requestTimeout : RESTART_MARGIN);
    }

    @Override
    public String version() {
        return call("version", () -> requests.versionCmd().exec().getVersion());
    }

    @Override
    public Subscription subscribe(String labelKey, Listener listener) {
        ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
                toContainerEvent(event).ifPresent(listener::onEvent);
            }

            @Override
            public void onError(Throwable throwable) {
                try {
                    super.onError(throwable);
                } finally {
                    listener.onClosed(throwable);
                }
            }

            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    listener.onClosed(null);
                }
            }
        };
        call("subscribe to events", () -> events.eventsCmd()
                .withEventTypeFilter(EventType.CONTAINER)
                .withEventFilter(WATCHED_ACTIONS.toArray(String[]::new))
                .withLabelFilter(labelKey)
                .exec(callback));
        return () -> closeQuietly(callback);
    }

    @Override
    public void close() {
        restartCalls.shutdownNow();
        closeQuietly(requests);
        closeQuietly(events);
        closeQuietly(restarts);
    }

    private static Optional<ContainerEvent> toContainerEvent(Event event) {
        if (event.getType() != EventType.CONTAINER || event.getActor() == null || event.getAction() == null) {
            return Optional.empty();
        }
        String action = event.getAction();
        if (!WATCHED_ACTIONS.contains(action.split(":", 2)[0].trim())) {
            return Optional.empty();
        }
        Instant time = event.getTimeNano() != null
                ? Instant.EPOCH.plusNanos(event.getTimeNano())
                : Instant.ofEpochSecond(event.getTime() == null ? 0 : event.getTime());
        return Optional.of(new ContainerEvent(event.getActor().getId(), action, event.getActor().getAttributes(), time));
    }

    private static ContainerSummary summary(Container c) {
        String name = c.getNames() == null || c.getNames().length == 0 ? "" : stripSlash(c.getNames()[0]);
        return new ContainerSummary(c.getId(), name, c.getImage(), c.getLabels(), state(c.getState()));
    }

    private static ContainerSnapshot snapshot(InspectContainerResponse r) {
        InspectContainerResponse.ContainerState s = r.getState();
        HealthState health = s == null ? null : s.getHealth();
        Map<String, String> labels = r.getConfig() == null ? Map.of() : r.getConfig().getLabels();
        String image = r.getConfig() == null ? null : r.getConfig().getImage();
        return new ContainerSnapshot(
                r.getId(),
                stripSlash(r.getName()),
                image,
                labels,
                s == null ? DockerState.UNKNOWN : state(s.getStatus()),
                s == null || s.getExitCodeLong() == null ? 0 : s.getExitCodeLong().intValue(),
                s != null && Boolean.TRUE.equals(s.getOOMKilled()),
                health(health),
                health == null || health.getFailingStreak() == null ? 0 : health.getFailingStreak(),
                lastOutput(health),
                r.getRestartCount() == null ? 0 : r.getRestartCount(),
                s == null ? Optional.empty() : instant(s.getStartedAt()),
                s == null ? Optional.empty() : instant(s.getFinishedAt()));
    }

    private static Optional<String> lastOutput(HealthState health) {
        if (health == null || health.getLog() == null || health.getLog().isEmpty()) {
            return Optional.empty();
        }
        HealthStateLog last = health.getLog().get(health.getLog().size() - 1);
        return Optional.ofNullable(last.getOutput());
    }

    static DockerState state(String status) {
        if (status == null) {
            return DockerState.UNKNOWN;
        }
        try {
            return DockerState.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return DockerState.UNKNOWN;
        }
    }

    static DockerHealth health(HealthState health) {
        if (health == null || health.getStatus() == null) {
            return DockerHealth.NONE;
        }
        switch (health.getStatus().toLowerCase(Locale.ROOT)) {
            case "starting":
                return DockerHealth.STARTING;
            case "healthy":
                return DockerHealth.HEALTHY;
            case "unhealthy":
                return DockerHealth.UNHEALTHY;
            default:
                return DockerHealth.NONE;
        }
    }

    static Optional<Instant> instant(String engineTime) {
        if (engineTime == null || engineTime.isEmpty() || engineTime.startsWith(NEVER.substring(0, 10))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(engineTime));
        } catch (DateTimeParseException e) {
            log.debug("Unparseable engine time '{}'", engineTime);
            return Optional.empty();
        }
    }

    private static String stripSlash(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    /**
     * Runs one docker-java call and maps its failures: an HTTP answer from the engine stays a {@link DockerException}
     * (callers map NotFound where it has a meaning), anything caused by I/O means the engine is out of reach.
     */
    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (NotFoundException e) {
            throw e;
        } catch (DockerException e) {
            throw new EngineException(what + " refused by the engine at " + dockerHost + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (causedByIo(e)) {
                throw new EngineUnreachableException(
                        "docker engine at " + dockerHost + " unreachable (" + what + "): " + rootMessage(e), e);
            }
            throw new EngineException(what + " failed against the engine at " + dockerHost + ": " + rootMessage(e), e);
        }
    }

    /** Refused connections, missing sockets and read timeouts all surface as an IOException somewhere in the chain. */
    private static boolean causedByIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.debug("Closing docker client resource failed", e);
        }
    }
}
