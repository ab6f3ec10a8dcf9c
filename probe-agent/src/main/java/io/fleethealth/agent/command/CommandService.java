package io.fleethealth.agent.command;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.agent.config.AgentConfig;
import io.fleethealth.agent.docker.ContainerEngine;
import io.fleethealth.agent.publish.Producers;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Restart-command execution wired from the settings: consumer, executor, reporter and the executed-commands record. */
public final class CommandService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommandService.class);
    /** Restarts under way at once, over all containers (each container has one at most). */
    static final int RESTART_THREADS = 16;
    static final int MAX_OPEN_COMMANDS = 256;

    private final ExecutedCommands executed;
    private final ScheduledDelays delays;
    private final ExecutorService workers;
    private final CommandExecutor executor;
    private final KafkaOutcomeReporter reporter;
    private final CommandConsumer consumer;

    private CommandService(AgentConfig config, KafkaClientSettings kafka, EventSerdes serdes, ContainerEngine engine,
                           Clock clock, Consumer<RestartCommand> afterRestart, Consumer<RestartOutcome> onOutcome,
                           Duration shutdownGrace) {
        this.executed = new ExecutedCommands(config.stateDir());
        this.delays = new ScheduledDelays();
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(RESTART_THREADS, RESTART_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "restart-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.executor = new CommandExecutor(engine, new RestartGuard(config.hostId(), config.sessionLabel()), executed,
                config.hostId(), clock, workers, delays, afterRestart);
        this.reporter = new KafkaOutcomeReporter(
                Producers.idempotent(kafka, "fleet-agent-" + config.hostId() + "-outcomes", Duration.ofSeconds(5)),
                serdes.valueSerializer(Topics.RESTART_OUTCOMES), serdes.valueSerializer(Topics.AUDIT), Duration.ofSeconds(1));
        this.consumer = new CommandConsumer(
                new KafkaConsumer<>(consumerProperties(kafka, config.hostId()), new StringDeserializer(),
                        serdes.valueDeserializer(Topics.RESTART_COMMANDS)),
                executor, reporter, onOutcome, MAX_OPEN_COMMANDS, shutdownGrace);
        consumer.start();
    }

    /**
     * @param afterRestart called after each successful restart (an immediate probe); must not block
     * @param onOutcome called with every outcome once it is stored (metrics)
     * @param shutdownGrace how long closing lets restarts under way finish and be reported
     */
    public static CommandService start(AgentConfig config, KafkaClientSettings kafka, EventSerdes serdes,
                                       ContainerEngine engine, Clock clock, Consumer<RestartCommand> afterRestart,
                                       Consumer<RestartOutcome> onOutcome, Duration shutdownGrace) {
        return new CommandService(config, kafka, serdes, engine, clock, afterRestart, onOutcome,
                shutdownGrace);
    }

    /**
     * The agent's own group, so every host reads every command and picks its own. Offsets are committed by hand after
     * each outcome is stored; read_committed because the processor writes commands in transactions. A new group
     * starts at the earliest command: older ones for this host are answered EXPIRED rather than silently passed over.
     * Static membership ({@code group.instance.id}): one agent per host, so the host id names the member.
     */
    static Properties consumerProperties(KafkaClientSettings kafka, String hostId) {
        Properties props = kafka.asProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(hostId));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId(hostId) + "-commands");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        // Static membership keyed by the host: a replacement agent (after kill -9, a crash, a redeploy) takes the
        // dead member's place at once instead of waiting out its session timeout (36-37 s measured without it).
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupId(hostId) + "-commands");
        return props;
    }

    public static String groupId(String hostId) {
        return "fleet-agent-" + hostId;
    }

    public boolean kafkaAssigned() {
        return consumer.assigned();
    }

    public CommandConsumer consumer() {
        return consumer;
    }

    /**
     * Stops taking commands; commands still waiting for their not-before time are left uncommitted for the next run;
     * restarts under way get up to the grace to finish and be reported; then offsets are committed and the producer
     * flushed.
     */
    @Override
    public void close() {
        executor.close();
        delays.close();
        consumer.close();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Restart threads still busy at shutdown");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reporter.close(Duration.ofSeconds(5));
        executed.close();
    }
}
