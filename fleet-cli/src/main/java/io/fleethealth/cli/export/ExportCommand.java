package io.fleethealth.cli.export;

import io.fleethealth.cli.ClusterOptions;
import io.fleethealth.cli.FleetHealthCommand;
import io.fleethealth.cli.Progress;
import io.fleethealth.cli.RangeOptions;
import io.fleethealth.cli.TopicNames;
import io.fleethealth.cli.source.ExportFolderWriter;
import io.fleethealth.cli.source.KafkaSource;
import io.fleethealth.cli.source.Manifest;
import io.fleethealth.cli.source.TimeRange;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fleet-health export}: a time range of fleet topics to one file per topic. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a time range of fleet topics to Avro object container files (one per topic, schema "
                + "inside, records wrapped with their Kafka key, timestamp, partition and offset) and a manifest.json.")
public final class ExportCommand implements Callable<Integer> {

    static final List<String> DEFAULT_TOPICS = List.of("fleet.health.checks", "fleet.restart.commands",
            "fleet.restart.outcomes", "fleet.audit", "fleet.processor.settings");

    @ParentCommand
    FleetHealthCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    RangeOptions rangeOptions;

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC", split = ",",
            description = "topics to export (default: ${DEFAULT-VALUE})",
            defaultValue = "fleet.health.checks,fleet.restart.commands,fleet.restart.outcomes,fleet.audit,"
                    + "fleet.processor.settings")
    List<String> topics;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FOLDER", description = "folder to write")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "avro",
            description = "avro (default) or jsonl (JSON lines, for tools without Avro; replay reads Avro only)")
    String format;

    @Option(names = "--progress", negatable = true, description = "draw a progress bar (default: when stderr is a terminal)")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        Map<String, String> env = parent.env();
        PrintWriter out = spec.commandLine().getOut();
        TimeRange range = rangeOptions.range(parent.clock().instant());
        List<Topic<?>> wanted = TopicNames.topics(topics);
        ExportFolderWriter.Format layout = ExportFolderWriter.Format.valueOf(format.toUpperCase(Locale.ROOT));
        KafkaClientSettings kafka = cluster.kafka(env);
        String bootstrap = kafka.bootstrapServers();
        EventSerdes serdes = new EventSerdes(cluster.registry(env));

        // The settings in force at the range's start were recorded before it: settings are exported from the
        // beginning, so that a replay of the export decides as the live processor did.
        List<Topic<?>> settings = wanted.stream().filter(Topics.PROCESSOR_SETTINGS::equals).toList();
        List<Topic<?>> history = wanted.stream().filter(t -> !settings.contains(t)).toList();
        Manifest manifest;
        long undecodable;
        try (KafkaSource source = new KafkaSource(kafka, serdes, history, range);
             ExportFolderWriter folder = new ExportFolderWriter(output, layout, "export", range, bootstrap, Map.of());
             Progress bar = new Progress("export", source.expectedRecords(), spec.commandLine().getErr(),
                     Progress.interactive(progress))) {
            new Exporter(source, folder, bar::step).export(history);
            if (!settings.isEmpty()) {
                try (KafkaSource settingsSource = new KafkaSource(kafka, serdes, settings,
                        new TimeRange(Instant.EPOCH, range.to()))) {
                    new Exporter(settingsSource, folder, bar::step).export(settings);
                }
            }
            manifest = folder.finish();
            undecodable = source.undecodable();
        }
        out.printf(Locale.ROOT, "exported %s .. %s from %s to %s%n", range.from(), range.to(), bootstrap, output);
        for (Manifest.TopicFile file : manifest.topics()) {
            out.printf(Locale.ROOT, "  %-24s %,10d records  %d partition(s)  %s%n", file.topic(), file.records(),
                    file.partitions().size(), file.file());
        }
        if (undecodable > 0) {
            out.printf(Locale.ROOT, "  skipped %,d undecodable record(s)%n", undecodable);
        }
        out.flush();
        return 0;
    }
}
