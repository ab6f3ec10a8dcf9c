package io.fleethealth.bench;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.processor.app.HealthProcessorApp;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Benchmark 2. The processor runs with exactly-once; checks for S sessions are produced paced at a fixed rate (one
 * round per session per second). Every second a few healthy sessions start failing; their third failure crosses the
 * threshold. Latency = from the send of that check to the restart command arriving at a read_committed consumer
 * (what an agent runs), in the same JVM's monotonic clock.
 *
 * <p>Arguments: {@code [seconds] [checks/s] [sessions] [repeats]}; defaults {@code 45 1000 1000 2}.
 */
public final class DecisionLatencyBench {

    private static final int WARMUP_ROUNDS = 5;
    private static final int NEW_FAILURES_PER_ROUND = 5;
    private static final int THRESHOLD = 3;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 45;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int sessions = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Report report = new Report("latency");
        try (BenchStack stack = BenchStack.start("latency")) {
            for (int rep = 1; rep <= repeats; rep++) {
                run(stack, report, rep, seconds, rate, sessions);
            }
        }
        System.exit(0);
    }

    private static void run(BenchStack stack, Report report, int rep, int seconds, int rate, int sessions)
            throws Exception {
        String run = "lat" + rep;
        try (Admin admin = Kafka.admin(stack.bootstrapServers())) {
            Kafka.empty(admin, Topics.HEALTH_CHECKS.name(), BenchStack.PARTITIONS);
        }
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of(
                "PROCESSOR_APPLICATION_ID", "bench-latency-" + rep,
                "PROCESSOR_STATE_DIR", stack.dir().resolve("state").toString(),
                "PROCESSOR_HTTP_PORT", "0",
                "CONTAINER_HEALTH_CHECK_INTERVAL", "1",
                "CONTAINER_HEALTH_TIMEOUT", "0.5"));
        Map<String, Long> crossingSentAt = new ConcurrentHashMap<>();
        Map<String, Long> commandArrivedAt = new ConcurrentHashMap<>();
        try (HealthProcessorApp app = new HealthProcessorApp(config, KafkaClientSettings.plaintext(stack.bootstrapServers()), stack.registry(),
                new SimpleMeterRegistry());
             CommandListener agent = new CommandListener(stack, commandArrivedAt)) {
            app.start();
            if (!app.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("processor did not reach RUNNING");
            }
            agent.start();
            long cpuStart = Cpu.processNanos();
            String load = Cpu.loadAverage();
            produce(stack, run, seconds, rate, sessions, crossingSentAt);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos(); // a saturated processor catches up late
            while (commandArrivedAt.size() < crossingSentAt.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<Double> latencies = new ArrayList<>();
            crossingSentAt.forEach((session, sent) -> {
                Long arrived = commandArrivedAt.get(session);
                if (arrived != null) {
                    latencies.add((arrived - sent) / 1e6);
                }
            });
            Stats stats = Stats.of(latencies);
            report.line("RESULT rep=%d rate=%d/s sessions=%d crossings=%d commands=%d latency %s (load %s, %.0f%% of a core"
                            + " for the JVM)", rep, rate, sessions, crossingSentAt.size(), latencies.size(),
                    stats.format(" ms"), load, 100.0 * (Cpu.processNanos() - cpuStart) / 1e9 / (seconds + 1));
        }
    }

    /** One round per session per second, evenly spread; failure episodes start after the warm-up. */
    private static void produce(BenchStack stack, String run, int seconds, int rate, int sessions,
                                Map<String, Long> crossingSentAt) {
        Serializer<HealthCheckResult> values = stack.serdes().valueSerializer(Topics.HEALTH_CHECKS);
        long periodNanos = 1_000_000_000L / rate;
        long total = (long) seconds * rate;
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = Kafka.producer(stack.bootstrapServers(), 0)) {
            for (long i = 0; i < total; i++) {
                long due = start + i * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int s = (int) (i % sessions);
                int round = (int) (i / sessions);
                int failingSince = failingSince(s);
                boolean healthy = round < failingSince;
                HealthCheckResult check = Checks.check(run, s, i, Instant.now().truncatedTo(ChronoUnit.MILLIS), healthy);
                long sentAt = System.nanoTime();
                producer.send(new ProducerRecord<>(Topics.HEALTH_CHECKS.name(), check.getSessionId(),
                        values.serialize(Topics.HEALTH_CHECKS.name(), check)));
                if (round == failingSince + THRESHOLD - 1) {
                    crossingSentAt.put(check.getSessionId(), sentAt);
                }
            }
            producer.flush();
        }
    }

    /** The round in which a session starts failing: NEW_FAILURES_PER_ROUND sessions per round after the warm-up. */
    private static int failingSince(int session) {
        return WARMUP_ROUNDS + session / NEW_FAILURES_PER_ROUND;
    }

    /** What an agent runs: a read_committed consumer of the restart commands, noting when each one arrives. */
    private static final class CommandListener implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Deserializer<RestartCommand> values;
        private final Map<String, Long> arrivedAt;
        private final Thread thread;
        private volatile boolean running = true;

        CommandListener(BenchStack stack, Map<String, Long> arrivedAt) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            this.values = stack.serdes().valueDeserializer(Topics.RESTART_COMMANDS);
            this.arrivedAt = arrivedAt;
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < BenchStack.PARTITIONS; p++) {
                partitions.add(new TopicPartition(Topics.RESTART_COMMANDS.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end now, before any command of this run
            this.thread = new Thread(this::poll, "bench-agent-commands");
        }

        void start() {
            thread.start();
        }

        private void poll() {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    RestartCommand command = values.deserialize(record.topic(), record.value());
                    arrivedAt.putIfAbsent(command.getSessionId(), now);
                }
            }
            consumer.close();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }
}
