package io.fleethealth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.cli.replay.BrakeEventsFile;
import io.fleethealth.cli.testing.LiveTopologyHistory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The brake's what-if in `replay`: over a history made by the live topology, the brake's decisions depend
 * only on that history (two replays write the same brake events, line for line), the summary line counts
 * what the events file holds, and switching the brake off holds nothing.
 */
class ReplayBrakeWhatIfTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-02T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path dir;
    private static Path history;

    @BeforeAll
    static void makeHistory() throws Exception {
        // A history without the brake: the what-if asks what the brake would have held in it.
        LiveTopologyHistory live = LiveTopologyHistory.run(40, 60, Map.of("FLEET_BRAKE_ENABLED", "false"));
        history = dir.resolve("history");
        live.writeHistory(history);
    }

    @Test
    void shouldReproduceTheBrakesDecisionsFromTheHistoryAlone() throws Exception {
        String first = replay("first");
        String second = replay("second");

        List<String> events = Files.readAllLines(dir.resolve("first").resolve(BrakeEventsFile.NAME));
        assertThat(events).isNotEmpty()
                .isEqualTo(Files.readAllLines(dir.resolve("second").resolve(BrakeEventsFile.NAME)));
        long incidents = events.stream().filter(l -> l.contains(" incident-opened ")).count();
        long held = events.stream().filter(l -> l.contains(" restart-held ")).map(l -> l.split(" ")[2] + l.split(" ")[3])
                .distinct().count();
        long released = events.stream().filter(l -> l.contains(" restart-released ")).count();
        assertThat(incidents).as("40 sessions failing in step make incidents").isPositive();
        assertThat(first).contains("brake (what-if, on): " + incidents + " incidents, " + held + " restarts held, "
                + released + " released");
        assertThat(second.replace("/second", "/first")).isEqualTo(first);
    }

    @Test
    void shouldHoldNothingWithTheBrakeOff() throws Exception {
        String out = replay("off", "--set", "FLEET_BRAKE_ENABLED=false");

        assertThat(out).contains("brake (what-if, off): 0 incidents, 0 restarts held, 0 released");
        assertThat(Files.readAllLines(dir.resolve("off").resolve(BrakeEventsFile.NAME)))
                .isNotEmpty().allMatch(l -> l.contains(" restart-issued "));
    }

    private static String replay(String name, String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[4 + extra.length];
        args[0] = "replay";
        args[1] = "--input=" + history;
        args[2] = "--output=" + dir.resolve(name);
        args[3] = "--no-progress";
        System.arraycopy(extra, 0, args, 4, extra.length);
        int code = FleetHealthCommand.commandLine(Map.of(), CLOCK, new PrintWriter(out), new PrintWriter(err)).execute(args);
        assertThat(code).as(err.toString()).isZero();
        return out.toString().replaceAll("in [0-9.]+ s \\([0-9,]+ records/s\\)", "");
    }
}
