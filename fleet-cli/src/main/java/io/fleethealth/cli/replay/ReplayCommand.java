package io.fleethealth.cli.replay;

import io.fleethealth.cli.ClusterOptions;
import io.fleethealth.processor.brake.BrakeReport;
import io.fleethealth.processor.brake.BrakeSettings;
import io.fleethealth.processor.config.BrakeConfig;
import io.fleethealth.cli.FleetHealthCommand;
import io.fleethealth.cli.Progress;
import io.fleethealth.cli.RangeOptions;
import io.fleethealth.cli.source.ExportFolder;
import io.fleethealth.cli.source.ExportFolderWriter;
import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.cli.source.KafkaSource;
import io.fleethealth.cli.source.RecordStream;
import io.fleethealth.cli.source.TimeRange;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.events.ProcessorSettings;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code fleet-health replay}: the history through the live decision, with the live settings or others. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run checks, restart outcomes and operator controls through the live decision state machine "
                + "in the order the live processor read them, and write the decisions (commands, statuses, alerts, "
                + "audit) to a folder. Never produces to the live topics.")
public final class ReplayCommand implements Callable<Integer> {

    @ParentCommand
    FleetHealthCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    RangeOptions rangeOptions;

    @Option(names = {"-i", "--input"}, paramLabel = "FOLDER",
            description = "an export folder to replay (default: read the range from Kafka)")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FOLDER", description = "folder for the decisions")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "avro",
            description = "avro (default, what report reads) or jsonl")
    String format;

    @Option(names = "--output-topic-prefix", paramLabel = "PREFIX",
            description = "also produce the decisions to <PREFIX><topic>, e.g. replay.threshold5. (never fleet.*)")
    String outputTopicPrefix;

    @Option(names = "--failure-threshold", paramLabel = "N", description = "consecutive failures that trigger a restart")
    Integer failureThreshold;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "the agents' probe interval")
    Integer interval;

    @Option(names = "--max-attempts", paramLabel = "N", description = "restarts per failure episode before FAILED")
    Integer maxAttempts;

    @Option(names = "--restart-delay", paramLabel = "SECONDS", description = "base back-off before a restart")
    Integer restartDelay;

    @Option(names = "--backoff-max", paramLabel = "SECONDS", description = "upper bound of the back-off")
    Integer backoffMax;

    @Option(names = "--grace", paramLabel = "SECONDS", description = "after a restart, how long failures do not count")
    Integer grace;

    @Option(names = "--success-threshold", paramLabel = "N", description = "consecutive successes that make a session HEALTHY")
    Integer successThreshold;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "any other processor setting, e.g. --set CONTAINER_RECOVERY_RESET=300")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--application-id", paramLabel = "ID",
            description = "whose recorded settings to replay with (default: PROCESSOR_APPLICATION_ID, else the only "
                    + "application the history names)")
    String applicationId;

    @Option(names = "--progress", negatable = true, description = "draw a progress bar (default: when stderr is a terminal)")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        Map<String, String> env = parent.env();
        PrintWriter out = spec.commandLine().getOut();
        TimeRange range = rangeOptions.range(parent.clock().instant());
        Map<String, String> brakeEnv = new LinkedHashMap<>(env);
        brakeEnv.putAll(overrides());
        // The what-if runs unless turned off explicitly, whether or not the live processor had the brake on.
        brakeEnv.putIfAbsent(BrakeConfig.ENABLED.key(), "true");
        BrakeSettings brakeSettings = BrakeConfig.fromEnv(brakeEnv);
        ExportFolderWriter.Format layout = ExportFolderWriter.Format.valueOf(format.toUpperCase(Locale.ROOT));
        KafkaClientSettings kafka = input == null || outputTopicPrefix != null ? cluster.kafka(env) : null;
        String source = input != null ? input.toAbsolutePath().toString() : kafka.bootstrapServers();
        EventSerdes serdes = null;
        if (input == null || outputTopicPrefix != null) {
            serdes = new EventSerdes(cluster.registry(env));
        }
        // The settings the live processor recorded win over the environment; the flags win over both.
        String application = applicationId != null ? applicationId : env.get(ProcessorConfig.APPLICATION_ID.key());
        SettingsTimeline timeline = SettingsTimeline.recorded(recordedSettings(kafka, serdes, range), application,
                        overrides())
                .orElseGet(() -> SettingsTimeline.constant(ReplaySettings.resolve(env, overrides()),
                        "environment (the history records none)"));

        List<DecisionSink> sinks = new ArrayList<>();
        FolderDecisionSink files = new FolderDecisionSink(new ExportFolderWriter(output, layout, "replay", range, source,
                describe(timeline)));
        sinks.add(files);
        if (outputTopicPrefix != null) {
            TopicDecisionSink.checkPrefix(outputTopicPrefix);
            sinks.add(new TopicDecisionSink(outputTopicPrefix, kafka, serdes, Replayer.OUTPUTS));
        }

        ReplayStats stats;
        BrakeReport brake;
        double seconds;
        double rate;
        try (TeeSink sink = new TeeSink(sinks)) {
            Replayer replayer;
            if (input != null) {
                ExportFolder folder = ExportFolder.open(input);
                replayer = new Replayer(timeline, sink, brakeSettings, processingTimes(folder));
                try (RecordStream records = ReplayInputs.fromFolder(folder, range);
                     Progress bar = progressBar(ReplayInputs.count(folder))) {
                    drain(records, replayer, bar);
                    seconds = bar.elapsedSeconds();
                    rate = bar.rate();
                }
            } else {
                replayer = new Replayer(timeline, sink, brakeSettings, ProcessingTimes.none());
                try (KafkaSource topics = new KafkaSource(kafka, serdes, Replayer.INPUTS, range);
                     RecordStream records = ReplayInputs.fromKafka(topics);
                     Progress bar = progressBar(topics.expectedRecords())) {
                    drain(records, replayer, bar);
                    seconds = bar.elapsedSeconds();
                    rate = bar.rate();
                }
            }
            stats = replayer.stats();
            brake = replayer.brakeReport();
            BrakeEventsFile.write(output.resolve(BrakeEventsFile.NAME), replayer.brakeEvents());
        }
        out.printf(Locale.ROOT, "replayed %,d records (%,d invalid, skipped) from %s in %.1f s (%,.0f records/s)%n",
                stats.records(), stats.invalid(), source, seconds, rate);
        out.printf(Locale.ROOT, "settings: %s%n", timeline.source());
        timeline.periods().forEach((from, inForce) ->
                out.printf(Locale.ROOT, "  from %s: %s%n", from, ReplaySettings.describe(inForce)));
        out.printf(Locale.ROOT, "decisions: %,d restart commands, %,d statuses, %,d alerts, %,d audit events, %,d sessions%n",
                stats.commands(), stats.statuses(), stats.alerts(), stats.audits(), stats.sessions());
        out.printf(Locale.ROOT, "brake (what-if, %s): %,d incidents, %,d restarts held, %,d released, %,d withdrawn, "
                        + "%,d delayed by the budget (longest %,d s)%n", brakeSettings.enabled() ? "on" : "off",
                brake.incidents(), brake.restartsHeld(), brake.restartsReleased(), brake.restartsWithdrawn(),
                brake.restartsDelayedByBudget(), brake.longestBudgetDelayMillis() / 1000);
        out.printf(Locale.ROOT, "written to %s%s%n", output,
                outputTopicPrefix == null ? "" : " and to topics " + outputTopicPrefix + "fleet.*");
        out.flush();
        return 0;
    }

    /** The live processing times recorded in the export's audit topic, when it holds one. */
    private static ProcessingTimes processingTimes(ExportFolder folder) {
        ProcessingTimes times = ProcessingTimes.none();
        if (folder.has(Topics.AUDIT)) {
            folder.forEach(Topics.AUDIT, record -> {
                if (record.value() != null) {
                    times.learn(record.value());
                }
            });
        }
        return times;
    }

    /** The settings records of the history, from the export or the cluster (none in an old export). */
    private List<HistoryRecord<ProcessorSettings>> recordedSettings(KafkaClientSettings kafka, EventSerdes serdes,
                                                                    TimeRange range) {
        if (input != null) {
            ExportFolder folder = ExportFolder.open(input);
            return folder.has(Topics.PROCESSOR_SETTINGS) ? folder.readAll(Topics.PROCESSOR_SETTINGS) : List.of();
        }
        // Settings recorded before the range are in force at its start: read from the beginning.
        List<HistoryRecord<ProcessorSettings>> records = new ArrayList<>();
        try (KafkaSource settings = new KafkaSource(kafka, serdes, List.of(Topics.PROCESSOR_SETTINGS),
                new TimeRange(Instant.EPOCH, range.to()))) {
            for (RecordStream stream : settings.partitions(Topics.PROCESSOR_SETTINGS)) {
                while (stream.hasNext()) {
                    @SuppressWarnings("unchecked") // the stream of the settings topic holds its records
                    HistoryRecord<ProcessorSettings> record = (HistoryRecord<ProcessorSettings>) stream.next();
                    records.add(record);
                }
            }
        } catch (IllegalArgumentException noSettingsTopic) {
            return List.of(); // a cluster from before the settings were recorded
        }
        return records;
    }

    private static Map<String, String> describe(SettingsTimeline timeline) {
        if (timeline.periods().size() == 1) {
            return ReplaySettings.describe(timeline.periods().firstEntry().getValue());
        }
        Map<String, String> described = new LinkedHashMap<>();
        timeline.periods().forEach((from, inForce) ->
                described.put("from " + from, ReplaySettings.describe(inForce).toString()));
        return described;
    }

    private Progress progressBar(long total) {
        return new Progress("replay", total, spec.commandLine().getErr(), Progress.interactive(progress));
    }

    private static void drain(RecordStream records, Replayer replayer, Progress bar) {
        while (records.hasNext()) {
            replayer.accept(records.next());
            bar.step();
        }
    }

    /** The command-line overrides as the processor's environment variables, which derive the rest. */
    private Map<String, String> overrides() {
        Map<String, String> overrides = new LinkedHashMap<>(settings);
        put(overrides, ProcessorConfig.FAILURE_THRESHOLD.key(), failureThreshold);
        put(overrides, ProcessorConfig.CHECK_INTERVAL.key(), interval);
        put(overrides, ProcessorConfig.MAX_RESTART_ATTEMPTS.key(), maxAttempts);
        put(overrides, ProcessorConfig.RESTART_DELAY.key(), restartDelay);
        put(overrides, ProcessorConfig.RESTART_BACKOFF_MAX.key(), backoffMax);
        put(overrides, ProcessorConfig.RESTART_GRACE.key(), grace);
        put(overrides, ProcessorConfig.SUCCESS_THRESHOLD.key(), successThreshold);
        return overrides;
    }

    private static void put(Map<String, String> overrides, String key, Integer value) {
        if (value != null) {
            overrides.put(key, value.toString());
        }
    }
}
