package io.fleethealth.agent;

import io.fleethealth.agent.config.AgentConfig;
import io.fleethealth.agent.config.ConfigException;
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
import io.fleethealth.contract.logging.RunnableLogging;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.contract.kafka.KafkaPreflight;
import io.fleethealth.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
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

    private final DockerEngine engine;
    private final ThreadPoolExecutor probeExecutor;
    private final ProbeScheduler scheduler;
    private final EventWatcher watcher;
    private final KafkaPublisher publisher;
    private final ScheduledExecutorService heartbeatTimer;
    private final ProbeRound round;
    private final ProbeResultSink sink;

    private ProbeAgent(AgentConfig config, AgentMetrics metrics, ClusterAccess access) {
        var registryUrl = config.schemaRegistryUrl().orElseThrow(() -> new ConfigException(AgentConfig.SCHEMA_REGISTRY_URL,
                "", "the registry's Confluent-compatible root, e.g. http://127.0.0.1:8080/apis/ccompat/v7"));
        AgentIdentity identity = AgentIdentity.startingNow(config.hostId());
        Clock clock = Clock.systemUTC();
        // A request that outlives a few probe timeouts only holds a thread; the probe has long been reported.
        this.engine = new DockerEngine(config.dockerHost(), config.probeTimeout().multipliedBy(3));
        this.probeExecutor = boundedExecutor(config.probeConcurrency());
        EventSerdes serdes = new EventSerdes(access.registry().client(registryUrl));
        this.publisher = new KafkaPublisher(
                Producers.idempotent(access.kafka(), "fleet-agent-" + config.hostId(), Duration.ofSeconds(5)),
                config.publishBuffer(), Duration.ofSeconds(1));
        this.sink = metrics.metered(
                new HealthCheckPublisher(publisher, serdes.valueSerializer(Topics.HEALTH_CHECKS)));
        ProbeClassifier classifier = new ProbeClassifier(identity);
        this.round = new ProbeRound(engine, classifier, config.sessionLabel(), config.probeTimeout(), probeExecutor, clock);
        this.scheduler = new ProbeScheduler(round, sink, config.checkInterval(), metrics::roundFinished);
        metrics.overruns(scheduler::overruns);
        metrics.published(publisher::published);
        metrics.publishDropped(publisher::dropped);
        metrics.publishDenied(publisher::denied);
        this.watcher = new EventWatcher(engine, round, classifier, sink, config.sessionLabel(), clock,
                Duration.ofMillis(500), Duration.ofSeconds(30));
        Heartbeats heartbeats = new Heartbeats(identity, config.checkInterval(), scheduler::lastRound,
                this::engineVersion, publisher, serdes.valueSerializer(Topics.AGENT_HEARTBEATS), clock);
        this.heartbeatTimer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "heartbeats"));
        publisher.start();
        scheduler.start();
        watcher.start();
        heartbeatTimer.scheduleAtFixedRate(() -> {
            try {
                heartbeats.run();
            } catch (RuntimeException e) {
                log.error("Heartbeat of host {} failed; the next one runs as scheduled", config.hostId(), e);
            }
        }, config.checkInterval().toMillis(), config.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Probe-agent {} run {} started on host {}", identity.agentVersion(), identity.runId(), identity.hostId());
    }

    /** Probing alone, for a plaintext cluster and an open registry (tests); the agent runs {@link AgentService}. */
    public static ProbeAgent start(AgentConfig config) {
        return start(config, new AgentMetrics(config.hostId()), ClusterAccess.fromEnv(config, Map.of()));
    }

    public static ProbeAgent start(AgentConfig config, AgentMetrics metrics, ClusterAccess access) {
        return new ProbeAgent(config, metrics, access);
    }

    /**
     * Runs the whole agent from the environment until SIGTERM. A bad setting exits with status 2 and names the
     * variable; the settings are logged once.
     */
    public static void main(String[] args) throws InterruptedException {
        AgentService agent;
        try {
            AgentConfig config = AgentConfig.fromEnvironment(System.getenv());
            log.info("Settings: {}", config.describe());
            ClusterAccess access = ClusterAccess.fromEnv(config, System.getenv());
            log.info("Kafka client: {}; registry client: {}", access.kafka().describe(), access.registry().describe());
            KafkaPreflight.check(access.kafka(), KafkaPreflight.deadline(System.getenv()));
            agent = AgentService.start(config, access);
        } catch (ConfigException | io.fleethealth.contract.settings.ConfigException e) {
            log.error("Cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        } catch (KafkaPreflight.KafkaUnavailableException e) {
            log.error("Cannot start: {}", e.getMessage());
            System.exit(3);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
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

    @Override
    public void close() {
        log.info("Probe-agent stopping");
        heartbeatTimer.shutdownNow();
        watcher.close();
        scheduler.close();
        probeExecutor.shutdownNow();
        publisher.close(Duration.ofSeconds(5));
        engine.close();
    }
}
