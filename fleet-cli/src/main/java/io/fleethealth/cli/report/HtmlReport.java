package io.fleethealth.cli.report;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no network. A histogram of
 * time to detect for both sets, then one timeline per session: checks as dots, each set's status as a
 * band and its restarts as markers.
 */
public final class HtmlReport {

    private static final int WIDTH = 900;
    private static final Map<String, String> STATUS_COLOURS = Map.of("HEALTHY", "#4caf50", "UNHEALTHY", "#ff9800",
            "RESTARTING", "#2196f3", "FAILED", "#b71c1c", "UNKNOWN", "#9e9e9e");
    private static final String A_COLOUR = "#6a1b9a";
    private static final String B_COLOUR = "#00838f";

    private HtmlReport() {
    }

    public static String render(Report report) {
        Report.SetSummary a = report.baseline();
        Report.SetSummary b = report.candidate();
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>fleet-health report: ").append(esc(a.label())).append(" vs ").append(esc(b.label()))
                .append("</title><style>body{font-family:sans-serif;margin:24px;color:#222}")
                .append("table{border-collapse:collapse}td,th{padding:4px 12px;border-bottom:1px solid #ddd;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}pre{background:#f6f6f6;padding:8px;overflow:auto}")
                .append(".legend span{display:inline-block;margin-right:14px}</style></head><body>\n");
        html.append("<h1>").append(esc(a.label())).append(" vs ").append(esc(b.label())).append("</h1>\n");
        html.append("<pre>").append(esc(TextReport.render(report))).append("</pre>\n");
        html.append("<h2>Time to detect (first failed check to restart command)</h2>\n");
        html.append(histogram(a, b));
        html.append("<h2>Sessions</h2>\n<p class=\"legend\">")
                .append("<span style=\"color:#4caf50\">&#9679; healthy check</span>")
                .append("<span style=\"color:#e53935\">&#9679; failed check</span>")
                .append("<span style=\"color:").append(A_COLOUR).append("\">&#9660; restart (").append(esc(a.label()))
                .append(")</span><span style=\"color:").append(B_COLOUR).append("\">&#9650; restart (")
                .append(esc(b.label())).append(")</span>");
        STATUS_COLOURS.forEach((status, colour) -> html.append("<span style=\"color:").append(colour)
                .append("\">&#9632; ").append(status).append("</span>"));
        html.append("</p>\n");
        for (Report.SessionTimeline timeline : report.timelines()) {
            html.append(timeline(timeline, a.label(), b.label()));
        }
        html.append("</body></html>\n");
        return html.toString();
    }

    private static String histogram(Report.SetSummary a, Report.SetSummary b) {
        List<Integer> ba = a.timeToDetect().buckets();
        List<Integer> bb = b.timeToDetect().buckets();
        int n = ba.size();
        int max = Math.max(1, java.util.stream.Stream.concat(ba.stream(), bb.stream()).mapToInt(i -> i).max().orElse(1));
        int height = 220;
        int left = 40;
        int slot = (WIDTH - left - 20) / Math.max(1, n);
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">", WIDTH, height + 50));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>",
                left, height, WIDTH - 20, height));
        for (int i = 0; i < n; i++) {
            int x = left + i * slot;
            bar(svg, x + 2, slot / 2 - 3, ba.get(i), max, height, A_COLOUR);
            bar(svg, x + slot / 2, slot / 2 - 3, bb.get(i), max, height, B_COLOUR);
            double from = i * a.timeToDetect().bucketSeconds();
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s%.0fs</text>", x + 2,
                    height + 16, i == n - 1 ? "\u2265" : "", from));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" font-size=\"12\">max %d</text>", 4, max));
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">&#9632; %s (n=%d, p50 %.0f s)</text>"
                        + "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">&#9632; %s (n=%d, p50 %.0f s)</text>",
                left, height + 40, A_COLOUR, esc(a.label()), a.timeToDetect().count(), a.timeToDetect().p50(),
                left + 300, height + 40, B_COLOUR, esc(b.label()), b.timeToDetect().count(), b.timeToDetect().p50()));
        return svg.append("</svg>\n").toString();
    }

    private static void bar(StringBuilder svg, int x, int width, int count, int max, int height, String colour) {
        int h = (int) Math.round((double) count / max * (height - 20));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                + "<title>%d</title></rect>", x, height - h, Math.max(1, width), h, colour, count));
    }

    private static String timeline(Report.SessionTimeline t, String labelA, String labelB) {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Report.Point p : t.checks()) {
            start = Math.min(start, p.at());
            end = Math.max(end, p.at());
        }
        for (List<Long> restarts : List.of(t.baselineRestarts(), t.candidateRestarts())) {
            for (long at : restarts) {
                start = Math.min(start, at);
                end = Math.max(end, at);
            }
        }
        if (start == Long.MAX_VALUE) {
            return "";
        }
        long first = start;
        long span = Math.max(1, end - start);
        int left = 110;
        int right = WIDTH - 20;
        Scale x = at -> left + (int) Math.round((double) (at - first) / span * (right - left));
        StringBuilder svg = new StringBuilder("<h3>").append(esc(t.sessionId())).append("</h3>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"120\">", WIDTH));
        band(svg, t.baselineStatuses(), x, end, 8, labelA);
        band(svg, t.candidateStatuses(), x, end, 92, labelB);
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"55\" font-size=\"11\">checks</text>"
                + "<line x1=\"%d\" y1=\"50\" x2=\"%d\" y2=\"50\" stroke=\"#ccc\"/>", left, right));
        for (Report.Point p : t.checks()) {
            String colour = switch (p.what()) {
                case "S" -> "#4caf50";
                case "F" -> "#e53935";
                default -> "#9e9e9e";
            };
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"50\" r=\"3\" fill=\"%s\"/>", x.at(p.at()), colour));
        }
        for (long at : t.baselineRestarts()) {
            int px = x.at(at);
            svg.append(String.format(Locale.ROOT, "<path d=\"M%d 28 l-6 -8 h12 z\" fill=\"%s\"><title>%s restart %s</title></path>",
                    px, A_COLOUR, esc(labelA), Instant.ofEpochMilli(at)));
        }
        for (long at : t.candidateRestarts()) {
            int px = x.at(at);
            svg.append(String.format(Locale.ROOT, "<path d=\"M%d 72 l-6 8 h12 z\" fill=\"%s\"><title>%s restart %s</title></path>",
                    px, B_COLOUR, esc(labelB), Instant.ofEpochMilli(at)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"118\" font-size=\"10\">%s</text>"
                + "<text x=\"%d\" y=\"118\" font-size=\"10\" text-anchor=\"end\">%s</text>", left,
                Instant.ofEpochMilli(start), right, Instant.ofEpochMilli(end)));
        return svg.append("</svg>\n").toString();
    }

    private static void band(StringBuilder svg, List<Report.Point> statuses, Scale x, long end, int y, String label) {
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">%s status</text>", y + 9,
                esc(label)));
        if (statuses.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"110\" y=\"%d\" font-size=\"10\" fill=\"#999\">"
                    + "(no session status in this set)</text>", y + 9));
            return;
        }
        for (int i = 0; i < statuses.size(); i++) {
            Report.Point p = statuses.get(i);
            long until = i + 1 < statuses.size() ? statuses.get(i + 1).at() : end;
            int x1 = x.at(p.at());
            int x2 = Math.max(x1 + 1, x.at(until));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"10\" fill=\"%s\">"
                    + "<title>%s from %s</title></rect>", x1, y, x2 - x1,
                    STATUS_COLOURS.getOrDefault(p.what(), "#9e9e9e"), p.what(), Instant.ofEpochMilli(p.at())));
        }
    }

    @FunctionalInterface
    private interface Scale {
        int at(long epochMillis);
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
