package io.fleethealth.cli.testing;

import io.fleethealth.cli.source.ExportFolderWriter;
import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.cli.source.TimeRange;
import io.fleethealth.cli.source.TopicFileWriter;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.topology.DecisionListener;
import io.fleethealth.processor.topology.HealthTopology;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.InMemorySchemaRegistryClient;
import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A history made by the live topology itself (HealthTopology in a TopologyTestDriver): checks go in tick
 * by tick, the commands it issues are answered by outcomes as an agent would, and everything that went in
 * and came out is written to export folders the way {@code fleet-health export} writes them.
 */
public final class LiveTopologyHistory {

    public static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    public static final Duration INTERVAL = Duration.ofSeconds(30);

    public final List<HistoryRecord<?>> inputs = new ArrayList<>();
    public final List<HistoryRecord<RestartCommand>> commands = new ArrayList<>();

    /** Runs the live topology over {@code sessions} sessions for {@code ticks} probe rounds. */
    public static LiveTopologyHistory run(int sessions, int ticks, Map<String, String> env) {
        LiveTopologyHistory history = new LiveTopologyHistory();
        EventSerdes serdes = new EventSerdes(new InMemorySchemaRegistryClient());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "replay-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(System.getProperty("java.io.tmpdir"), "streams",
                UUID.randomUUID().toString()).toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(
                HealthTopology.build(ProcessorConfig.fromEnv(env), serdes, DecisionListener.NONE), props, T0)) {
            TestInputTopic<String, HealthCheckResult> checks = driver.createInputTopic(Topics.HEALTH_CHECKS.name(),
                    new StringSerializer(), serdes.valueSerializer(Topics.HEALTH_CHECKS));
            TestInputTopic<String, RestartOutcome> outcomes = driver.createInputTopic(Topics.RESTART_OUTCOMES.name(),
                    new StringSerializer(), serdes.valueSerializer(Topics.RESTART_OUTCOMES));
            TestOutputTopic<String, RestartCommand> issued = driver.createOutputTopic(Topics.RESTART_COMMANDS.name(),
                    new StringDeserializer(), serdes.valueDeserializer(Topics.RESTART_COMMANDS));
            List<TestRecord<String, RestartCommand>> pending = new ArrayList<>();
            long[] offsets = new long[2];
            for (int tick = 0; tick < ticks; tick++) {
                Instant now = T0.plus(INTERVAL.multipliedBy(tick));
                // The agents answer the commands whose restart time has come, before this round's probes.
                pending.sort(Comparator.comparing(r -> r.value().getNotBefore()));
                for (var it = pending.iterator(); it.hasNext(); ) {
                    RestartCommand command = it.next().value();
                    Instant done = command.getNotBefore().plusSeconds(1);
                    if (!done.isAfter(now)) {
                        RestartOutcome outcome = Events.succeeded(command, done);
                        Instant ts = now.minusMillis(500);
                        outcomes.pipeInput(command.getSessionId(), outcome, ts);
                        history.inputs.add(new HistoryRecord<>(Topics.RESTART_OUTCOMES, command.getSessionId(), ts, 0,
                                offsets[1]++, outcome));
                        it.remove();
                    }
                }
                for (int s = 0; s < sessions; s++) {
                    String session = "session-" + s;
                    Instant ts = now.plusMillis(s);
                    HealthCheckResult check = Events.check(session, session + "-" + tick, now,
                            FailurePattern.healthy(s, tick));
                    checks.pipeInput(session, check, ts);
                    history.inputs.add(new HistoryRecord<>(Topics.HEALTH_CHECKS, session, ts, 0, offsets[0]++, check));
                }
                for (TestRecord<String, RestartCommand> command : issued.readRecordsToList()) {
                    pending.add(command);
                    history.commands.add(new HistoryRecord<>(Topics.RESTART_COMMANDS, command.key(),
                            command.getRecordTime(), 0, history.commands.size(), command.value()));
                }
            }
        }
        return history;
    }

    /** The inputs as {@code fleet-health export} writes them (one partition). */
    public void writeHistory(Path folder) throws IOException {
        write(folder, inputs, List.of(Topics.HEALTH_CHECKS, Topics.RESTART_OUTCOMES));
    }

    /** The live commands as an export of fleet.restart.commands. */
    public void writeLiveCommands(Path folder) throws IOException {
        write(folder, new ArrayList<>(commands), List.of(Topics.RESTART_COMMANDS));
    }

    private static void write(Path folder, List<? extends HistoryRecord<?>> records, List<Topic<?>> topics)
            throws IOException {
        try (ExportFolderWriter writer = new ExportFolderWriter(folder, ExportFolderWriter.Format.AVRO, "export",
                new TimeRange(T0, T0.plus(Duration.ofDays(1))), "TopologyTestDriver", Map.of())) {
            for (Topic<?> topic : topics) {
                TopicFileWriter file = writer.writer(topic);
                file.startPartition(0);
                for (HistoryRecord<?> record : records) {
                    if (record.topic().equals(topic)) {
                        file.append(record);
                    }
                }
            }
            writer.finish();
        }
    }
}
