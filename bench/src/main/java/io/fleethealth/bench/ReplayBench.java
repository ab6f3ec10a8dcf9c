package io.fleethealth.bench;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.cli.FleetHealthCommand;
import io.fleethealth.cli.replay.ReplayInputs;
import io.fleethealth.cli.replay.Replayer;
import io.fleethealth.cli.source.ExportFolder;
import io.fleethealth.cli.source.ExportFolderWriter;
import io.fleethealth.cli.source.KafkaSource;
import io.fleethealth.cli.source.RecordStream;
import io.fleethealth.cli.source.TimeRange;
import io.fleethealth.cli.source.TopicFileWriter;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.localstack.LocalStack;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.HttpSchemaRegistryClient;
import io.fleethealth.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Benchmark 6: checks per second through {@code fleet-health replay}, from an export folder and from Kafka,
 * each next to what reading the same records alone costs. One synthetic history (see {@link SyntheticChecks}) is
 * written to an export folder and produced, with its record timestamps, to the in-process broker's
 * {@code fleet.health.checks}; then, {@code repeats} times in turn: the folder read without decisions, the file
 * replay, a plain KafkaConsumer read of the topic, the replay's own Kafka source without decisions, the Kafka
 * replay for the history's time range. The replays run the real command in this JVM (settings: the live defaults)
 * and write their decisions to folders, as the command does.
 *
 * <p>Args: [sessions=1000] [rounds=1000] [repeats=2]. CPU is the whole JVM's: during the Kafka cases it includes
 * the in-process broker serving the fetches (the registry is a child process and is hardly used).
 */
public final class ReplayBench {

    private static final int PARTITIONS = 3; // as fleet-cli's SyntheticHistory, whose file figures docs/replay.md gives

    private final Report report = new Report("replay");
    private final SyntheticChecks checks;
    private final Path dir = Path.of("bench", "target", "runs", "replay").toAbsolutePath();
    private final Map<String, String> decisions = new java.util.LinkedHashMap<>();

    private ReplayBench(SyntheticChecks checks) {
        this.checks = checks;
    }

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        // Recent timestamps: the broker would delete records older than the topic's retention (a week).
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS)
                .minus(SyntheticChecks.INTERVAL.multipliedBy(rounds + 1L)).minus(Duration.ofHours(1));
        new ReplayBench(new SyntheticChecks(sessions, rounds, PARTITIONS, start)).run(repeats);
    }

    private void run(int repeats) throws Exception {
        report.line("replay: %,d sessions x %,d rounds = %,d checks, %d partitions, %s .. %s, %d repeats",
                checks.sessions(), checks.rounds(), checks.count(), PARTITIONS, checks.range().from(),
                checks.range().to(), repeats);
        Path export = dir.resolve("history");
        deleteRecursively(export);
        Measured written = measure(checks.count(), () -> writeExport(export));
        report.line("setup: export folder written in %.1f s (%,d bytes of Avro) load %s", written.wallSeconds(),
                size(export), Cpu.loadAverage());

        try (LocalStack stack = LocalStack.startFresh(dir, PARTITIONS)) {
            EventSerdes serdes = new EventSerdes(new HttpSchemaRegistryClient(stack.registryUrl()));
            String bootstrap = stack.bootstrapServers();
            Measured produced = measure(checks.count(), () -> produce(bootstrap, serdes));
            report.line("setup: produced to %s in %.1f s (%,.0f records/s) load %s", Topics.HEALTH_CHECKS.name(),
                    produced.wallSeconds(), produced.perSecond(), Cpu.loadAverage());

            for (int i = 1; i <= repeats; i++) {
                int run = i;
                line(run, "file read, no decisions", measure(checks.count(), () -> readFolder(export)));
                line(run, "file replay", measure(checks.count(), () -> replay(run + "-file", "-i", export.toString())));
                line(run, "kafka plain consumer read", measure(checks.count(), () -> plainConsumer(bootstrap, serdes)));
                line(run, "kafka source read, no decisions",
                        measure(checks.count(), () -> readKafkaSource(bootstrap, serdes)));
                line(run, "kafka replay", measure(checks.count(), () -> replay(run + "-kafka",
                        "--bootstrap-servers", bootstrap, "--registry-url", stack.registryUrl().toString())));
            }
        }
        long distinct = decisions.values().stream().distinct().count();
        report.line("decisions of every replay: %s", distinct == 1 ? "identical" : "DIFFER " + decisions);
        decisions.values().stream().findFirst().ifPresent(d -> report.line("  %s", d));
    }

    private void line(int run, String what, Measured m) {
        report.line("run %d %-32s %,10d checks %7.2f s wall %7.2f s CPU %,10.0f checks/s %6.1f µs CPU/check load %s->%s",
                run, what, m.records(), m.wallSeconds(), m.cpuSeconds(), m.perSecond(), m.cpuMicrosPerRecord(),
                m.loadBefore(), m.loadAfter());
    }

    private long writeExport(Path export) {
        try (ExportFolderWriter writer = new ExportFolderWriter(export, ExportFolderWriter.Format.AVRO, "export",
                checks.range(), "synthetic", Map.of())) {
            TopicFileWriter file = writer.writer(Topics.HEALTH_CHECKS);
            int[] partition = {-1};
            long[] count = {0};
            checks.forEach(record -> {
                try {
                    if (record.partition() != partition[0]) {
                        partition[0] = record.partition();
                        file.startPartition(partition[0]);
                    }
                    file.append(record);
                    count[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.finish();
            return count[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long produce(String bootstrap, EventSerdes serdes) {
        Serializer<HealthCheckResult> serializer = serdes.valueSerializer(Topics.HEALTH_CHECKS);
        String topic = Topics.HEALTH_CHECKS.name();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[] count = {0};
        try (KafkaProducer<String, byte[]> producer = Kafka.producer(bootstrap, 20)) {
            checks.forEach(record -> {
                producer.send(new ProducerRecord<>(topic, record.partition(), record.timestamp().toEpochMilli(),
                        record.key(), serializer.serialize(topic, record.value())), (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                count[0]++;
            });
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Producing the history failed", failure.get());
        }
        return count[0];
    }

    private long readFolder(Path export) {
        try (RecordStream records = ReplayInputs.fromFolder(ExportFolder.open(export), checks.range())) {
            return drain(records);
        }
    }

    private long readKafkaSource(String bootstrap, EventSerdes serdes) {
        try (KafkaSource kafka = new KafkaSource(KafkaClientSettings.plaintext(bootstrap), serdes, Replayer.INPUTS, checks.range());
             RecordStream records = ReplayInputs.fromKafka(kafka)) {
            return drain(records);
        }
    }

    private static long drain(RecordStream records) {
        long count = 0;
        while (records.hasNext()) {
            records.next();
            count++;
        }
        return count;
    }

    /** Reading alone: the consumer settings of the replay's KafkaSource, values decoded, no merge, no decisions. */
    private long plainConsumer(String bootstrap, EventSerdes serdes) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-replay-baseline");
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(Topics.HEALTH_CHECKS.name(), p)).toList();
        try (KafkaConsumer<String, HealthCheckResult> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                serdes.valueDeserializer(Topics.HEALTH_CHECKS))) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long count = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, HealthCheckResult> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    /** {@code fleet-health replay} in this JVM, over the history's range, decisions to a fresh folder. */
    private long replay(String name, String... source) {
        Path output = dir.resolve("replay-" + name);
        deleteRecursively(output);
        TimeRange range = checks.range();
        List<String> args = new ArrayList<>(List.of("replay", "--no-progress", "-o", output.toString(),
                "--from", range.from().toString(), "--to", range.to().toString()));
        args.addAll(List.of(source));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FleetHealthCommand.commandLine(Map.of(), Clock.systemUTC(), new PrintWriter(out), new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("replay " + name + " exited with " + code + ": " + err + out);
        }
        String printed = out.toString();
        String first = printed.lines().findFirst().orElse("");
        decisions.put(name, printed.lines().filter(l -> l.startsWith("decisions:")).findFirst().orElse("?"));
        report.line("  %s", first);
        return Long.parseLong(first.replaceAll("^replayed ([0-9,]+) records.*$", "$1").replace(",", ""));
    }

    private Measured measure(long expected, LongSupplier work) {
        String loadBefore = Cpu.loadAverage();
        long cpu = Cpu.processNanos();
        long wall = System.nanoTime();
        long records = work.getAsLong();
        long wallNanos = System.nanoTime() - wall;
        long cpuNanos = Cpu.processNanos() - cpu;
        if (records != expected) {
            throw new IllegalStateException("Read " + records + " records, expected " + expected);
        }
        return new Measured(records, wallNanos, cpuNanos, loadBefore, Cpu.loadAverage());
    }

    private record Measured(long records, long wallNanos, long cpuNanos, String loadBefore, String loadAfter) {
        double wallSeconds() {
            return wallNanos / 1e9;
        }

        double cpuSeconds() {
            return cpuNanos / 1e9;
        }

        double perSecond() {
            return records / wallSeconds();
        }

        double cpuMicrosPerRecord() {
            return cpuNanos / 1e3 / records;
        }
    }

    private static long size(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + folder, e);
        }
    }
}
