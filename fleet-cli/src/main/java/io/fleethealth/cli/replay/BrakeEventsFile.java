package io.fleethealth.cli.replay;

import io.fleethealth.processor.brake.BrakeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The brake's decisions of a replay, one line each, in order, so that two replays (or a replay and the
 * live run) can be compared line by line: {@code time kind session/group incident [not-before]}.
 */
public final class BrakeEventsFile {

    public static final String NAME = "brake-events.txt";

    private BrakeEventsFile() {
    }

    public static void write(Path file, List<BrakeEvent> events) {
        StringBuilder text = new StringBuilder();
        for (BrakeEvent event : events) {
            text.append(line(event)).append('\n');
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String line(BrakeEvent event) {
        return event.at() + " " + describe(event);
    }

    private static String describe(BrakeEvent event) {
        if (event instanceof BrakeEvent.IncidentOpened o) {
            return "incident-opened " + o.incident().group().id() + " " + o.incident().id() + " "
                    + o.incident().failingSessions() + "/" + o.incident().groupSessions();
        }
        if (event instanceof BrakeEvent.IncidentClosed c) {
            return "incident-closed " + c.incident().group().id() + " " + c.incident().id() + " "
                    + c.reason().name().toLowerCase(java.util.Locale.ROOT) + (c.operator().isEmpty() ? "" : " by " + c.operator());
        }
        if (event instanceof BrakeEvent.RestartHeld h) {
            return "restart-held " + h.sessionId() + " " + h.incidentId();
        }
        if (event instanceof BrakeEvent.RestartIssued i) {
            return (i.released() ? "restart-released " + i.sessionId() + " " + i.incidentId() : "restart-issued " + i.sessionId())
                    + " not-before " + i.notBefore();
        }
        BrakeEvent.RestartWithdrawn w = (BrakeEvent.RestartWithdrawn) event;
        return "restart-withdrawn " + w.sessionId() + " " + w.incidentId();
    }
}
