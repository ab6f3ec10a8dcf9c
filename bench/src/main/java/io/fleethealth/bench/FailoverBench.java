package io.fleethealth.bench;

import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.processor.ProcessorMain;
import io.fleethealth.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Failover (issue 17, item 2). Two processor instances run as child JVMs (ProcessorMain, as an operator starts it)
 * on the bench's in-process broker. N sessions are loaded with one healthy check each; P probe sessions also get two
 * failing checks (one short of the threshold). Once the group has consumed everything, instance A is killed with
 * SIGKILL and, at once, every probe gets its third failing check. For a probe in a partition A owned, the time from
 * the kill to its restart command at a read_committed consumer (what an agent runs) is the failover time: the
 * survivor must notice A is gone (group session timeout), take the task, restore or promote its store, and the
 * dead instance's open transaction must end before a read_committed reader sees past it. Probes on the survivor's
 * own partitions, sent at the same moment, are the same run's baseline.
 *
 * <p>Arguments: {@code [sessions,...] [standbys,...] [session-timeouts-s,...]}; defaults {@code 10000 0,1 10}.
 */
public final class FailoverBench {

    private static final int PROBES = 64;
    private static final String TOPIC = Topics.HEALTH_CHECKS.name();

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = ints(args.length > 0 ? args[0] : "10000");
        List<Integer> standbys = ints(args.length > 1 ? args[1] : "0,1");
        List<Integer> timeouts = ints(args.length > 2 ? args[2] : "10");
        Report report = new Report("failover");
        try (BenchStack stack = BenchStack.start("failover")) {
            for (int sessions : sizes) {
                for (int timeout : timeouts) {
                    for (int standby : standbys) {
                        run(stack, report, sessions, standby, timeout);
                    }
                }
            }
        }
        System.exit(0);
    }

    private static void run(BenchStack stack, Report report, int sessions, int standbys, int timeoutS) throws Exception {
        String run = "fo" + System.currentTimeMillis() % 1_000_000;
        String appId = "bench-failover-" + run;
        Path dir = stack.dir().resolve(run);
        Files.createDirectories(dir);
        List<Process> children = new ArrayList<>();
        try (Admin admin = Kafka.admin(stack.bootstrapServers())) {
            // A new application reads from the earliest offset: cut the previous run's checks so it starts empty.
            Kafka.empty(admin, TOPIC, BenchStack.PARTITIONS);
            Process a = child(stack, dir, appId, "a", standbys, timeoutS);
            children.add(a);
            Process b = child(stack, dir, appId, "b", standbys, timeoutS);
            children.add(b);
            awaitStableGroup(admin, appId, 2, Duration.ofSeconds(180));

            Serializer<HealthCheckResult> values = stack.serdes().valueSerializer(Topics.HEALTH_CHECKS);
            Map<String, Integer> partitionOf = new HashMap<>();
            long seq = 0;
            long loadStart = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = Kafka.producer(stack.bootstrapServers(), 5)) {
                List<java.util.concurrent.Future<RecordMetadata>> probeAcks = new ArrayList<>();
                for (int s = 0; s < sessions; s++) {
                    send(producer, values, Checks.check(run, s, seq++, now(), true));
                }
                for (int round = 0; round < 2; round++) {
                    for (int s = 0; s < PROBES; s++) {
                        var ack = send(producer, values, Checks.check(run, s, seq++, now(), false));
                        if (round == 0) {
                            probeAcks.add(ack);
                        }
                    }
                }
                producer.flush();
                for (int s = 0; s < PROBES; s++) {
                    partitionOf.put(Checks.session(run, s), probeAcks.get(s).get().partition());
                }
            }
            awaitNoLag(admin, appId, Duration.ofSeconds(300));
            double loadS = (System.nanoTime() - loadStart) / 1e9;
            Thread.sleep(3000); // standbys catch up with the changelog; a commit interval or more

            Set<Integer> victimPartitions = partitionsOf(admin, appId, "failover-a");
            Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
            String load = Cpu.loadAverage();
            try (CommandListener agent = new CommandListener(stack, arrivedAt);
                 KafkaProducer<String, byte[]> producer = Kafka.producer(stack.bootstrapServers(), 0)) {
                agent.start();
                long killedAt = System.nanoTime();
                a.destroyForcibly(); // SIGKILL: no leave-group, no commit, an open transaction left behind
                for (int s = 0; s < PROBES; s++) {
                    send(producer, values, Checks.check(run, s, seq++, now(), false));
                }
                producer.flush();
                long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                while (arrivedAt.size() < PROBES && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                List<Double> moved = new ArrayList<>();
                List<Double> stayed = new ArrayList<>();
                arrivedAt.forEach((session, at) -> {
                    Integer p = partitionOf.get(session);
                    if (p != null) {
                        (victimPartitions.contains(p) ? moved : stayed).add((at - killedAt) / 1e6);
                    }
                });
                Stats movedStats = Stats.of(moved);
                Stats stayedStats = Stats.of(stayed);
                report.line("RESULT sessions=%d standbys=%d session-timeout=%ds victim-partitions=%s load=%.1fs |"
                                + " moved probes: first decision %.0f ms after kill (%d/%d commands, %s) |"
                                + " survivor's own probes (baseline, same run): %s (%d commands) | load avg %s",
                        sessions, standbys, timeoutS, victimPartitions, loadS,
                        moved.stream().mapToDouble(d -> d).min().orElse(Double.NaN), moved.size(),
                        expected(partitionOf, victimPartitions), movedStats.format(" ms"), stayedStats.format(" ms"),
                        stayed.size(), load);
            }
        } finally {
            for (Process p : children) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }

    private static long expected(Map<String, Integer> partitionOf, Set<Integer> victim) {
        return partitionOf.values().stream().filter(victim::contains).count();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static java.util.concurrent.Future<RecordMetadata> send(KafkaProducer<String, byte[]> producer,
            Serializer<HealthCheckResult> values, HealthCheckResult check) {
        return producer.send(new ProducerRecord<>(TOPIC, check.getSessionId(), values.serialize(TOPIC, check)));
    }

    /** ProcessorMain in its own JVM, so that a kill is a real SIGKILL of a whole instance. */
    private static Process child(BenchStack stack, Path dir, String appId, String name, int standbys, int timeoutS)
            throws IOException {
        return child(stack, dir, appId, name, Map.of("PROCESSOR_STANDBY_REPLICAS", Integer.toString(standbys),
                "PROCESSOR_GROUP_SESSION_TIMEOUT", Integer.toString(timeoutS)));
    }

    /** ProcessorMain in its own JVM with the bench's broker and registry, client id {@code failover-<name>}. */
    static Process child(BenchStack stack, Path dir, String appId, String name, Map<String, String> settings)
            throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.registryUrl().toString());
        env.put("KAFKA_CLIENT_ID", "failover-" + name);
        env.put("PROCESSOR_APPLICATION_ID", appId);
        env.put("PROCESSOR_STATE_DIR", dir.resolve("state-" + name).toString());
        env.put("PROCESSOR_HTTP_PORT", "0");
        env.putAll(settings);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + System.getProperty("failover.child.heap", "384m"),
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.fleethealth",
                "-cp", System.getProperty("java.class.path"), ProcessorMain.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        return builder.start();
    }

    static void awaitStableGroup(Admin admin, String group, int members, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            ConsumerGroupDescription d = describe(admin, group);
            if (d != null && d.groupState() == GroupState.STABLE && d.members().size() == members
                    && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("group " + group + " not stable with " + members + " members in " + limit);
    }

    private static ConsumerGroupDescription describe(Admin admin, String group) throws InterruptedException {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (ExecutionException e) {
            return null;
        }
    }

    /** The checks partitions a member whose client id starts with {@code clientId} holds (Streams adds a suffix). */
    private static Set<Integer> partitionsOf(Admin admin, String group, String clientId) throws InterruptedException {
        Set<Integer> partitions = new HashSet<>();
        ConsumerGroupDescription d = describe(admin, group);
        if (d == null) {
            throw new IllegalStateException("cannot describe group " + group);
        }
        for (MemberDescription m : d.members()) {
            if (m.clientId().startsWith(clientId)) {
                m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(TOPIC))
                        .forEach(tp -> partitions.add(tp.partition()));
            }
        }
        if (partitions.isEmpty()) {
            throw new IllegalStateException("no member " + clientId + " with checks partitions in " + d.members());
        }
        return partitions;
    }

    private static void awaitNoLag(Admin admin, String group, Duration limit) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < BenchStack.PARTITIONS; p++) {
            latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
        }
        var ends = admin.listOffsets(latest).all().get();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            boolean done = ends.entrySet().stream().allMatch(e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return c != null && c.offset() >= e.getValue().offset();
            });
            if (done) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("group " + group + " did not consume the load in " + limit);
    }

    private static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }

    /** What an agent runs: a read_committed consumer of the restart commands, noting when each one arrives. */
    static final class CommandListener implements AutoCloseable {
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
            partitions.forEach(consumer::position);
            this.thread = new Thread(this::poll, "bench-agent-commands");
        }

        void start() {
            thread.start();
        }

        private void poll() {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
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
