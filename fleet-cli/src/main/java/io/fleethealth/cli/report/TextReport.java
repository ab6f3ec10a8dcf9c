package io.fleethealth.cli.report;

import java.util.List;
import java.util.Locale;

/** The report as a terminal table, then the commands that differ. */
public final class TextReport {

    private static final int LISTED = 20;

    private TextReport() {
    }

    public static String render(Report report) {
        Report.SetSummary a = report.baseline();
        Report.SetSummary b = report.candidate();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "fleet-health report: %s (%s, %s) vs %s (%s, %s)%n", a.label(), a.kind(),
                a.path(), b.label(), b.kind(), b.path()));
        row(out, "", a.label(), b.label());
        row(out, "restarts issued", a.restarts(), b.restarts());
        row(out, "sessions restarted", a.sessionsRestarted(), b.sessionsRestarted());
        row(out, "sessions FAILED", a.failedSessions().size(), b.failedSessions().size());
        row(out, "flapping sessions", a.flappingSessions().size(), b.flappingSessions().size());
        row(out, "restarts w/o lasting effect", a.ineffectiveRestarts(), b.ineffectiveRestarts());
        row(out, "time to detect: count", a.timeToDetect().count(), b.timeToDetect().count());
        row(out, "time to detect: p50", seconds(a.timeToDetect().p50()), seconds(b.timeToDetect().p50()));
        row(out, "time to detect: p90", seconds(a.timeToDetect().p90()), seconds(b.timeToDetect().p90()));
        row(out, "time to detect: max", seconds(a.timeToDetect().max()), seconds(b.timeToDetect().max()));
        out.append(String.format(Locale.ROOT, "(no lasting effect = a failed check within %d s of the restart)%n",
                report.effectWindow()));

        Report.CommandComparison c = report.restarts();
        out.append(String.format(Locale.ROOT, "restart commands: %d identical, %d only in %s, %d only in %s, %d differing%s%n",
                c.identical(), c.onlyInBaseline().size(), a.label(), c.onlyInCandidate().size(), b.label(),
                c.differing().size(), c.same() ? " -> the same restarts" : ""));
        list(out, "only in " + a.label(), c.onlyInBaseline());
        list(out, "only in " + b.label(), c.onlyInCandidate());
        for (Report.Difference d : c.differing().stream().limit(LISTED).toList()) {
            out.append(String.format(Locale.ROOT, "  differs: %s%n    %-10s %s%n    %-10s %s%n", d.baseline().commandId(),
                    a.label(), describe(d.baseline()), b.label(), describe(d.candidate())));
        }
        sessions(out, "FAILED in " + a.label(), a.failedSessions());
        sessions(out, "FAILED in " + b.label(), b.failedSessions());
        sessions(out, "flapping in " + a.label(), a.flappingSessions());
        sessions(out, "flapping in " + b.label(), b.flappingSessions());
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Object a, Object b) {
        out.append(String.format(Locale.ROOT, "  %-28s %12s %12s%n", name, a, b));
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.0f s", value);
    }

    private static void list(StringBuilder out, String title, List<Report.CommandRef> refs) {
        if (refs.isEmpty()) {
            return;
        }
        out.append("  ").append(title).append(":\n");
        refs.stream().limit(LISTED).forEach(r -> out.append("    ").append(describe(r)).append('\n'));
        if (refs.size() > LISTED) {
            out.append(String.format(Locale.ROOT, "    ... and %d more (see --json)%n", refs.size() - LISTED));
        }
    }

    private static String describe(Report.CommandRef r) {
        return String.format(Locale.ROOT, "%s episode %d attempt %d issued %s not before %s (%s)", r.sessionId(),
                r.episode(), r.attempt(), r.issuedAt(), r.notBefore(), r.commandId());
    }

    private static void sessions(StringBuilder out, String title, List<String> sessions) {
        if (!sessions.isEmpty()) {
            out.append(String.format(Locale.ROOT, "  %s (%d): %s%s%n", title, sessions.size(),
                    String.join(", ", sessions.stream().limit(LISTED).toList()), sessions.size() > LISTED ? ", ..." : ""));
        }
    }
}
