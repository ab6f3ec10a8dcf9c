package io.fleethealth.cli.report;

import io.fleethealth.cli.source.ExportFolder;
import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.SessionStatus;
import io.fleethealth.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One set of decisions: an export of the live output topics, or the output of a replay.
 *
 * @param label    how the report names it (live, replay, threshold5...)
 * @param path     where it was read from
 * @param kind     export or replay
 * @param settings the decision settings of a replay; empty for a live export
 * @param commands restart commands, in file order
 * @param statuses session-status records (absent from a default export of the live topics)
 * @param audits   audit events
 */
public record DecisionSet(String label, String path, String kind, Map<String, String> settings,
                          List<RestartCommand> commands, List<HistoryRecord<SessionStatus>> statuses,
                          List<AuditEvent> audits) {

    public DecisionSet {
        Objects.requireNonNull(label, "label");
        settings = Map.copyOf(settings);
        commands = List.copyOf(commands);
        statuses = List.copyOf(statuses);
        audits = List.copyOf(audits);
    }

    public static DecisionSet load(ExportFolder folder, String label) {
        List<RestartCommand> commands = folder.readAll(Topics.RESTART_COMMANDS).stream()
                .map(HistoryRecord::value).filter(Objects::nonNull).toList();
        List<AuditEvent> audits = folder.readAll(Topics.AUDIT).stream()
                .map(HistoryRecord::value).filter(Objects::nonNull).toList();
        return new DecisionSet(label, folder.path().toString(), folder.manifest().kind(), folder.manifest().settings(),
                commands, folder.readAll(Topics.SESSION_STATUS), audits);
    }
}
