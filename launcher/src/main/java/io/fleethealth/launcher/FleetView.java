package io.fleethealth.launcher;

import io.fleethealth.contract.labels.Labels;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.processor.api.FleetQueries;
import io.fleethealth.processor.api.SessionView;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The live fleet in the terminal: counts per status and the sessions, worst first. Redraws in place with
 * ANSI escapes, so it is only used when the launcher runs on a terminal.
 */
final class FleetView {

    private static final String CLEAR = "\u001b[H\u001b[2J";
    private static final int MAX_ROWS = 40;
    private static final List<HealthStatus> WORST_FIRST = List.of(HealthStatus.FAILED, HealthStatus.RESTARTING,
            HealthStatus.UNHEALTHY, HealthStatus.UNKNOWN, HealthStatus.HEALTHY);

    private final FleetQueries queries;
    private final String header;
    private final Supplier<List<String>> problems;

    FleetView(FleetQueries queries, String header, Supplier<List<String>> problems) {
        this.queries = queries;
        this.header = header;
        this.problems = problems;
    }

    void draw(PrintStream out, Instant now) {
        StringBuilder screen = new StringBuilder(CLEAR).append(header).append('\n');
        appendProblems(screen);
        if (!queries.running()) {
            screen.append("health-processor: ").append(queries.streamsState()).append(" (waiting for it to run)\n");
            out.print(screen);
            out.flush();
            return;
        }
        render(screen, now);
        out.print(screen);
        out.flush();
    }

    /** Problems above the table: what keeps the fleet from being watched, in words one can act on. */
    void appendProblems(StringBuilder screen) {
        for (String problem : problems.get()) {
            screen.append("!! ").append(problem).append('\n');
        }
    }

    /** The table without screen control, also what tests read. */
    void render(StringBuilder screen, Instant now) {
        Map<HealthStatus, Long> counts = queries.countsByStatus();
        for (HealthStatus status : WORST_FIRST) {
            screen.append(String.format("%-10s %4d   ", status, counts.getOrDefault(status, 0L)));
        }
        screen.append("\n\n");
        screen.append(String.format("%-28s %-16s %-10s %5s %8s  %-10s %s%n",
                "SESSION", "HOST", "STATUS", "FAILS", "RESTARTS", "LAST CHECK", "WHY"));
        List<SessionView> sessions = queries.sessions(Optional.empty()).stream()
                .sorted(Comparator.comparingInt((SessionView s) -> WORST_FIRST.indexOf(s.status()))
                        .thenComparing(SessionView::sessionId))
                .toList();
        for (SessionView s : sessions.subList(0, Math.min(MAX_ROWS, sessions.size()))) {
            screen.append(String.format("%-28s %-16s %-10s %5d %8d  %-10s %s%n",
                    cut(s.sessionId(), 28), cut(s.hostId(), 16), s.status() + (s.paused() ? "*" : ""),
                    s.consecutiveFailures(), s.restartAttempts(), ago(s.lastCheckAt(), now),
                    (s.managed() ? "" : "[not managed] ") + cut(why(s), 60)));
        }
        if (sessions.size() > MAX_ROWS) {
            screen.append("... and ").append(sessions.size() - MAX_ROWS).append(" more (see the dashboard)\n");
        }
        if (sessions.isEmpty()) {
            screen.append("(no sessions yet: start a container with the label " + Labels.SESSION + "=<id>)\n");
        }
    }

    /**
     * Why a session is not healthy: its reason (which names the cause, an unreachable engine included), else
     * its last error. Nothing for a HEALTHY one: its last error is history, not news.
     */
    static String why(SessionView s) {
        if (s.status() == HealthStatus.HEALTHY) {
            return "";
        }
        if (s.reason() != null && !s.reason().isBlank()) {
            return s.reason();
        }
        return s.lastErrorMessage() == null ? "" : s.lastErrorMessage();
    }

    private static String ago(Instant then, Instant now) {
        if (then == null) {
            return "-";
        }
        long seconds = Math.max(0, Duration.between(then, now).toSeconds());
        return seconds < 120 ? seconds + "s ago" : (seconds / 60) + "m ago";
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }
}
