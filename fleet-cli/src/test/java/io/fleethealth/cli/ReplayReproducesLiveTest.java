package io.fleethealth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleethealth.cli.report.DecisionSet;
import io.fleethealth.cli.report.Report;
import io.fleethealth.cli.report.ReportBuilder;
import io.fleethealth.cli.report.CheckHistory;
import io.fleethealth.cli.source.ExportFolder;
import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.cli.testing.LiveTopologyHistory;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The correctness bar of the replay, on a history made by the live topology (HealthTopology in a
 * TopologyTestDriver): with the live settings the replay issues exactly the live restart commands; with a
 * higher threshold it issues fewer, as the failure pattern says.
 */
class ReplayReproducesLiveTest {

    private static final int SESSIONS = 40;
    private static final int TICKS = 120;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-02T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path dir;
    private static LiveTopologyHistory live;
    private static Path history;
    private static Path liveCommands;

    @BeforeAll
    static void makeHistory() throws Exception {
        // The replay decides without the brake's answers (the brake is its what-if, ReplayBrakeWhatIfTest),
        // so the live run it must reproduce runs without the brake too.
        live = LiveTopologyHistory.run(SESSIONS, TICKS, Map.of("FLEET_BRAKE_ENABLED", "false"));
        history = dir.resolve("history");
        liveCommands = dir.resolve("live");
        live.writeHistory(history);
        live.writeLiveCommands(liveCommands);
    }

    @Test
    void shouldReproduceTheLiveRestartCommandsExactlyWithTheLiveSettings() {
        Path out = dir.resolve("replay-live-settings");
        Result result = run("replay", "--input", history.toString(), "--output", out.toString());

        assertThat(result.code).as(result.err).isZero();
        assertThat(live.commands).as("the history must hold restarts worth comparing").hasSizeGreaterThan(SESSIONS);
        List<RestartCommand> expected = live.commands.stream().map(HistoryRecord::value).toList();
        List<RestartCommand> replayed = ExportFolder.open(out).readAll(Topics.RESTART_COMMANDS).stream()
                .map(HistoryRecord::value).toList();
        // Same commands, same order, every field: session, attempt, episode, not-before, id, reason, times.
        assertThat(replayed).containsExactlyElementsOf(expected);
        assertThat(result.out).contains("decisions: " + expected.size() + " restart commands");
    }

    @Test
    void shouldIssueNoRestartForRunsShorterThanAHigherThreshold() {
        Path out = dir.resolve("replay-threshold-5");
        Result result = run("replay", "--input", history.toString(), "--output", out.toString(), "--failure-threshold", "5");

        assertThat(result.code).as(result.err).isZero();
        DecisionSet baseline = DecisionSet.load(ExportFolder.open(liveCommands), "live");
        DecisionSet candidate = DecisionSet.load(ExportFolder.open(out), "threshold5");
        // Every failure run is 3 or 4 checks long: threshold 5 never triggers.
        assertThat(candidate.commands()).isEmpty();
        assertThat(candidate.settings()).containsEntry("failureThreshold", "5");
        Report report = ReportBuilder.build(baseline, candidate, CheckHistory.of(ExportFolder.open(history)),
                Duration.ofSeconds(60), 5);
        assertThat(report.restarts().onlyInBaseline()).hasSize(live.commands.size());
        assertThat(report.restarts().same()).isFalse();
    }

    @Test
    void shouldRestartRunsOfFourOnlyWithThresholdFour() {
        Path out = dir.resolve("replay-threshold-4");
        run("replay", "--input", history.toString(), "--output", out.toString(), "--failure-threshold", "4");

        List<RestartCommand> replayed = ExportFolder.open(out).readAll(Topics.RESTART_COMMANDS).stream()
                .map(HistoryRecord::value).toList();
        // Odd sessions fail 4 times in a row, even ones 3 times.
        assertThat(replayed).isNotEmpty().allSatisfy(c ->
                assertThat(Integer.parseInt(c.getSessionId().substring("session-".length())) % 2).isEqualTo(1));
        assertThat(replayed.size()).isLessThan(live.commands.size());
    }

    @Test
    void shouldReportTheSameRestartsForALiveExportAndItsReplay() throws Exception {
        Path out = dir.resolve("replay-for-report");
        run("replay", "--input", history.toString(), "--output", out.toString());
        Path html = dir.resolve("report.html");

        Result text = run("report", liveCommands.toString(), out.toString(), "--history", history.toString(),
                "--html", html.toString());
        Result json = run("report", liveCommands.toString(), out.toString(), "--history", history.toString(), "--json");

        assertThat(text.code).as(text.err).isZero();
        assertThat(text.out).contains("restart commands: " + live.commands.size() + " identical, 0 only in live, "
                + "0 only in replay, 0 differing -> the same restarts");
        JsonNode report = new ObjectMapper().readTree(json.out);
        assertThat(report.at("/restarts/identical").asInt()).isEqualTo(live.commands.size());
        assertThat(report.at("/baseline/restarts").asInt()).isEqualTo(live.commands.size());
        // Runs of 3 failures at a 30 s interval: the third failure comes 60 s after the first.
        assertThat(report.at("/candidate/timeToDetect/p50").asDouble()).isEqualTo(60.0);
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg").contains("<circle").contains("session-")
                .doesNotContain("<script");
        assertThat(page.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://").doesNotContain("https://");
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FleetHealthCommand.commandLine(Map.of(), CLOCK, new PrintWriter(out), new PrintWriter(err))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int code, String out, String err) {
    }
}
