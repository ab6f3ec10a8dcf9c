package io.fleethealth.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fleethealth.cli.source.ExportFolder;
import io.fleethealth.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fleet-health report}: how two decision sets differ. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Compare two decision sets (a live export and a replay, or two replays): restarts issued and "
                + "which differ, sessions that ended FAILED, time to detect, restarts without lasting effect, "
                + "flapping sessions. Text by default, --json, and --html for a self-contained page with charts.")
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BASELINE", description = "folder of the first decision set (e.g. a live export)")
    Path baseline;

    @Parameters(index = "1", paramLabel = "CANDIDATE", description = "folder of the second decision set (e.g. a replay)")
    Path candidate;

    @Option(names = "--history", paramLabel = "FOLDER",
            description = "export holding the checks and outcomes (default: BASELINE or CANDIDATE if it has checks)")
    Path history;

    @Option(names = "--labels", split = ",", paramLabel = "A,B", description = "names of the two sets (default: their kind)")
    String[] labels;

    @Option(names = "--effect-window", paramLabel = "SECONDS",
            description = "a failure within this time after a restart means it had no lasting effect "
                    + "(default: the candidate's restart grace, else 60)")
    Long effectWindow;

    @Option(names = "--json", description = "print the report as JSON instead of text")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "also write a self-contained HTML page with charts")
    Path html;

    @Option(names = "--sessions", paramLabel = "N", defaultValue = "12", description = "session timelines in the HTML page")
    int sessions;

    @Override
    public Integer call() throws IOException {
        ExportFolder a = ExportFolder.open(baseline);
        ExportFolder b = ExportFolder.open(candidate);
        DecisionSet setA = DecisionSet.load(a, label(0, a));
        DecisionSet setB = DecisionSet.load(b, label(1, b));
        CheckHistory checks = history(a, b);
        Report report = ReportBuilder.build(setA, setB, checks, window(setB), sessions);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(jsonMapper().writeValueAsString(report));
        } else {
            out.print(TextReport.render(report));
            if (checks.isEmpty()) {
                out.println("(no checks in the history: time to detect and lasting effect need --history)");
            }
        }
        if (html != null) {
            Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
            if (!json) {
                out.println("HTML report written to " + html);
            }
        }
        out.flush();
        return 0;
    }

    static ObjectMapper jsonMapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
    }

    private String label(int index, ExportFolder folder) {
        if (labels != null && labels.length > index) {
            return labels[index];
        }
        String kind = folder.manifest().kind();
        String name = "export".equals(kind) ? "live" : kind;
        return index == 1 && labels == null && name.equals(label(0, ExportFolder.open(baseline))) ? name + "-2" : name;
    }

    private CheckHistory history(ExportFolder a, ExportFolder b) {
        if (history != null) {
            return CheckHistory.of(ExportFolder.open(history));
        }
        if (a.has(Topics.HEALTH_CHECKS)) {
            return CheckHistory.of(a);
        }
        if (b.has(Topics.HEALTH_CHECKS)) {
            return CheckHistory.of(b);
        }
        String source = b.manifest().source();
        if ("replay".equals(b.manifest().kind()) && source != null && Files.isDirectory(Path.of(source))) {
            ExportFolder replayed = ExportFolder.open(Path.of(source));
            if (replayed.has(Topics.HEALTH_CHECKS)) {
                return CheckHistory.of(replayed);
            }
        }
        return CheckHistory.empty();
    }

    private Duration window(DecisionSet candidateSet) {
        if (effectWindow != null) {
            return Duration.ofSeconds(effectWindow);
        }
        String grace = candidateSet.settings().get("restartGrace");
        return grace != null ? Duration.parse(grace) : Duration.ofSeconds(60);
    }

    static String describe(Duration d) {
        return String.format(Locale.ROOT, "%d s", d.toSeconds());
    }
}
