package io.fleethealth.agent;

import io.fleethealth.agent.config.AgentConfig;
import io.fleethealth.agent.docker.ContainerEngine;
import io.fleethealth.agent.docker.DockerEngine;
import io.fleethealth.agent.docker.EngineException;
import io.fleethealth.agent.metrics.AgentMetrics;
import io.fleethealth.agent.probe.AgentIdentity;
import io.fleethealth.agent.probe.EventWatcher;
import io.fleethealth.agent.probe.ProbeClassifier;
import io.fleethealth.agent.probe.ProbeRound;
import io.fleethealth.agent.probe.ProbeResultSink;
import io.fleethealth.agent.probe.ProbeScheduler;
import io.fleethealth.agent.probe.ProbeTarget;
import io.fleethealth.agent.publish.HealthCheckPublisher;
import io.fleethealth.agent.publish.Heartbeats;
import io.fleethealth.agent.publish.KafkaPublisher;
import io.fleethealth.agent.publish.Producers;
import io.fleethealth.contract.settings.SharedSettings;
import io.fleethealth.contract.start.MainRunner;
import io.fleethealth.contract.start.StartedParts;
import io.fleethealth.contract.logging.RunnableLogging;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.topics.Topics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probing half of the agent: probe rounds, the event fast path, publishing and heartbeats, wired from the settings.
 * {@link AgentService} adds restart commands and the HTTP surface; {@link #main} runs the whole agent.
 */
public final class ProbeAgent implements AutoCloseable {

    static {
        RunnableLogging.configure("probe-agent-logback.xml"); // before the first logger
    }

    private static final Logger log = LoggerFactory.getLogger(ProbeAgent.class);

    private final StartedParts parts;
    private final DockerEngine engine;
    private final ProbeScheduler scheduler;
    private final EventWatcher watcher;
    private final KafkaPublisher publisher;
    private final ProbeRound round;
    private final ProbeResultSink sink;

    private ProbeAgent(StartedParts parts, DockerEngine engine, ProbeScheduler scheduler, EventWatcher watcher,
                       KafkaPublisher publisher, ProbeRound round, ProbeResultSink sink) {
        this.parts = parts;
        this.engine = engine;
        this.scheduler = scheduler;
        this.watcher = watcher;
        this.publisher = publisher;
        this.round = round;
        this.sink = sink;
    }

    /** Probing alone, for a plaintext cluster and an open registry (tests); the agent runs {@link AgentService}. */
    public static ProbeAgent start(AgentConfig config) {
        return start(config, new AgentMetrics(config.hostId()), ClusterAccess.fromEnv(config, Map.of()));
    }

    /**
     * Builds and starts the probing half, all or nothing: each part is remembered as soon as it exists, and if a
     * later one fails the ones before are closed in reverse order before the failure is rethrown.
     */
    public static ProbeAgent start(AgentConfig config, AgentMetrics metrics, ClusterAccess access) {
        URI registryUrl = config.schemaRegistryUrl().orElseThrow(() ->
                new IllegalArgumentException(AgentConfig.SCHEMA_REGISTRY_URL.key() + " is required"));
        StartedParts parts = new StartedParts("probe-agent");
        try {
            AgentIdentity identity = AgentIdentity.startingNow(config.hostId());
            Clock clock = Clock.systemUTC();
            // A request that outlives a few probe timeouts only holds a thread; the probe has long been reported.
            DockerEngine engine = parts.add("docker client",
                    new DockerEngine(config.dockerHost(), config.probeTimeout().multipliedBy(3)));
            EventSerdes serdes = new EventSerdes(access.registry().client(registryUrl));
            KafkaPublisher publisher = new KafkaPublisher(
                    Producers.idempotent(access.kafka(), "fleet-agent-" + config.hostId(), Duration.ofSeconds(5)),
                    config.publishBuffer(), Duration.ofSeconds(1));
            parts.add("publisher", () -> publisher.close(Duration.ofSeconds(5)));
            ThreadPoolExecutor probeExecutor = boundedExecutor(config.probeConcurrency());
            parts.add("probe threads", probeExecutor::shutdownNow);
            ProbeResultSink sink = metrics.metered(
                    new HealthCheckPublisher(publisher, serdes.valueSerializer(Topics.HEALTH_CHECKS)));
            ProbeClassifier classifier = new ProbeClassifier(identity);
            ProbeRound round = new ProbeRound(engine, classifier, config.sessionLabel(), config.probeTimeout(),
                    probeExecutor, clock, config.engineBreaker());
            ProbeScheduler scheduler = new ProbeScheduler(round, sink, config.checkInterval(), metrics::roundFinished);
            metrics.overruns(scheduler::overruns);
            metrics.published(publisher::published);
            metrics.publishDropped(publisher::dropped);
            metrics.publishDenied(publisher::denied);
            EventWatcher watcher = new EventWatcher(engine, round, classifier, sink, config.sessionLabel(), clock,
                    Duration.ofMillis(500), Duration.ofSeconds(30));
            ScheduledExecutorService heartbeatTimer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "heartbeats"));
            parts.add("heartbeat timer", heartbeatTimer::shutdownNow);
            ProbeAgent agent = new ProbeAgent(parts, engine, scheduler, watcher, publisher, round, sink);
            Heartbeats heartbeats = new Heartbeats(identity, config.checkInterval(), scheduler::lastRound,
                    agent::engineVersion, publisher, serdes.valueSerializer(Topics.AGENT_HEARTBEATS), clock);
            publisher.start();
            parts.add("probe rounds", scheduler).start();
            parts.add("event watcher", watcher).start();
            heartbeatTimer.scheduleAtFixedRate(() -> {
                try {
                    heartbeats.run();
                } catch (RuntimeException e) {
                    log.error("Heartbeat of host {} failed; the next one runs as scheduled", config.hostId(), e);
                }
            }, config.checkInterval().toMillis(), config.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
            log.info("Probe-agent {} run {} started on host {}", identity.agentVersion(), identity.runId(),
                    identity.hostId());
            return agent;
        } catch (RuntimeException | Error e) {
            parts.close();
            throw e;
        }
    }

    /**
     * Runs the whole agent from the environment until SIGTERM, all or nothing: a bad setting exits 2 naming every
     * bad variable, Kafka not answering within FLEET_KAFKA_STARTUP_TIMEOUT exits 3, the registry not answering (or the HTTP port taken) exits 1
     * with one line, after closing what was started. The settings are logged once.
     */
    public static void main(String[] args) {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES",
                System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.fleethealth"));
        MainRunner.run("probe-agent", () -> {
            AgentConfig config = AgentService.configFrom(System.getenv(), SharedSettings.EXTERNAL_CLUSTER_REQUIRED);
            ClusterAccess access = ClusterAccess.fromEnv(config, System.getenv());
            log.info("probe-agent settings:\n{}", config.describe());
            log.info("Kafka client: {}; registry client: {}", access.kafka().describe(), access.registry().describe());
            return AgentService.start(config, access);
        });
    }

    /**
     * Probes one container at once, outside the rounds (after a restart, so that the processor sees it come back
     * without waiting for the next round). Uses what the last round knew of the container when it can.
     */
    public void probeNow(String sessionId, String containerId, String containerName) {
        ProbeTarget known = round.lastSeenBySession().get(sessionId);
        ProbeTarget target = known != null && known.containerId().equals(containerId)
                ? known
                : new ProbeTarget(sessionId, containerId, containerName, "", Map.of());
        round.probe(target).thenAccept(result -> {
            try {
                sink.accept(result);
            } catch (RuntimeException e) {
                log.warn("Result of the immediate probe of container {} could not be handed over", containerId, e);
            }
        });
    }

    ContainerEngine engine() {
        return engine;
    }

    /**
     * Probe threads bounded by the concurrency; the queue holds a few rounds' worth, beyond that a probe is refused
     * (and reported as timed out) instead of piling up behind an engine that hangs.
     */
    private static ThreadPoolExecutor boundedExecutor(int concurrency) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(256, concurrency * 64)),
                r -> daemon(r, "probe-" + n.incrementAndGet()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    private Optional<String> engineVersion() {
        try {
            return Optional.of(engine.version());
        } catch (EngineException e) {
            return Optional.empty();
        }
    }

    public ProbeScheduler scheduler() {
        return scheduler;
    }

    public KafkaPublisher publisher() {
        return publisher;
    }

    public EventWatcher watcher() {
        return watcher;
    }

    /** Stops heartbeats, the watcher and the rounds, then publishing (bounded) and the Docker client. */
    @Override
    public void close() {
        log.info("Probe-agent stopping");
        parts.close();
    }
}
