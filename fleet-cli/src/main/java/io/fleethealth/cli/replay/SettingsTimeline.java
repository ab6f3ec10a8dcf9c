package io.fleethealth.cli.replay;

import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.events.ProcessorSettings;
import io.fleethealth.processor.app.SettingsInForce;
import io.fleethealth.processor.decision.DecisionSettings;
import io.fleethealth.processor.decision.SessionStateMachine;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The decision settings in force at each point of a history: what the live processor recorded in
 * {@code fleet.processor.settings} at each start, with the command line's overrides on top. A record decided
 * before the first recorded start uses the first settings (the processor read it after it started).
 */
public final class SettingsTimeline {

    private final NavigableMap<Instant, DecisionSettings> settings;
    private final Map<DecisionSettings, SessionStateMachine> machines = new LinkedHashMap<>();
    private final String source;

    private SettingsTimeline(NavigableMap<Instant, DecisionSettings> settings, String source) {
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("a timeline needs at least one set of settings");
        }
        this.settings = settings;
        this.source = source;
    }

    /** One set of settings for the whole history (the environment's, or an old export without recorded settings). */
    public static SettingsTimeline constant(DecisionSettings settings, String source) {
        NavigableMap<Instant, DecisionSettings> map = new TreeMap<>();
        map.put(Instant.EPOCH, settings);
        return new SettingsTimeline(map, source);
    }

    /**
     * The recorded settings of one processor application. {@code applicationId} empty: the only application
     * the history names; several then need a choice.
     *
     * @return empty when the history holds no settings of that application
     */
    public static java.util.Optional<SettingsTimeline> recorded(Collection<HistoryRecord<ProcessorSettings>> records,
                                                                String applicationId, Map<String, String> overrides) {
        List<ProcessorSettings> values = records.stream().map(HistoryRecord::value)
                .filter(java.util.Objects::nonNull).toList();
        String chosen = applicationId;
        if (chosen == null || chosen.isBlank()) {
            Set<String> ids = values.stream().map(ProcessorSettings::getApplicationId).collect(Collectors.toSet());
            if (ids.size() > 1) {
                throw new IllegalArgumentException("the history holds the settings of several processor applications "
                        + ids.stream().sorted().toList() + ": choose one with --application-id");
            }
            chosen = ids.isEmpty() ? "" : ids.iterator().next();
        }
        NavigableMap<Instant, DecisionSettings> map = new TreeMap<>();
        for (ProcessorSettings value : values) {
            if (value.getApplicationId().equals(chosen)) {
                map.put(value.getEffectiveAt(), SettingsInForce.decisionSettings(value.getSettings(), overrides));
            }
        }
        return map.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new SettingsTimeline(map, "recorded by " + chosen + " (" + map.size()
                        + " start(s))" + (overrides.isEmpty() ? "" : " with overrides " + overrides)));
    }

    /** The state machine deciding a record of time {@code at}. */
    public SessionStateMachine machineAt(Instant at) {
        Map.Entry<Instant, DecisionSettings> entry = settings.floorEntry(at);
        DecisionSettings inForce = entry != null ? entry.getValue() : settings.firstEntry().getValue();
        return machines.computeIfAbsent(inForce, SessionStateMachine::new);
    }

    /** The settings of every period, by start, for the replay's manifest and summary. */
    public NavigableMap<Instant, DecisionSettings> periods() {
        return java.util.Collections.unmodifiableNavigableMap(settings);
    }

    /** Where the settings come from, for the summary line. */
    public String source() {
        return source;
    }
}
