package io.fleethealth.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line textual progress bar on stderr, redrawn at most five times a second:
 * {@code replay [#########-----------]  45%  450,000/1,000,000 records  210,512 records/s}.
 * Silent when stderr is not a terminal, so logs and pipes stay clean.
 */
public final class Progress implements AutoCloseable {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 24;

    private final String label;
    private final long total;
    private final PrintWriter err;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private long done;
    private long lastDraw;

    public Progress(String label, long total, PrintWriter err, boolean enabled) {
        this.label = label;
        this.total = total;
        this.err = err;
        this.enabled = enabled;
    }

    /** Whether the bar should be drawn: only on an interactive terminal, unless told otherwise. */
    public static boolean interactive(Boolean requested) {
        return requested != null ? requested : System.console() != null;
    }

    public void step() {
        done++;
        if (enabled && (done & 1023) == 0) {
            long now = System.nanoTime();
            if (now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                draw(now);
            }
        }
    }

    public long done() {
        return done;
    }

    /** Records per second since the start. */
    public double rate() {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        return done / seconds;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void draw(long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        long rate = Math.round(done / seconds);
        if (total > 0) {
            int percent = (int) Math.min(100, done * 100 / total);
            int filled = percent * WIDTH / 100;
            err.printf(Locale.ROOT, "\r%s [%s%s] %3d%%  %,d/%,d records  %,d records/s ", label,
                    "#".repeat(filled), "-".repeat(WIDTH - filled), percent, done, total, rate);
        } else {
            err.printf(Locale.ROOT, "\r%s %,d records  %,d records/s ", label, done, rate);
        }
        err.flush();
    }

    @Override
    public void close() {
        if (enabled) {
            draw(System.nanoTime());
            err.println();
            err.flush();
        }
    }
}
