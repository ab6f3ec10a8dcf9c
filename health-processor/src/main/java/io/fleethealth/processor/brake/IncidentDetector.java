package io.fleethealth.processor.brake;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Correlated-failure detection per group. A group is in an incident when, within the window, failures
 * started in at least N of its sessions and in at least P % of them; sessions already under another open
 * incident do not count again, so one cause opens one incident. When several groups cross at the same
 * event, the one whose failures are the most wins (then the higher share, then image before host before
 * fleet). An incident closes when the group's currently failing sessions stay below the threshold for
 * the close-after time, or when an operator releases it; the failure starts of its group before the close
 * no longer count for any group.
 * Event time only: time is the latest event time seen, it never moves back.
 */
public final class IncidentDetector {

    private record Start(String sessionId, Instant at) {
    }

    private static final class Open {
        final Incident incident;
        Instant belowSince;

        Open(Incident incident) {
            this.incident = incident;
        }
    }

    private record Candidate(GroupKey group, List<String> counted, int size) {
    }

    private final BrakeSettings settings;
    private final Map<String, SessionRef> sessions = new TreeMap<>();
    private final Map<GroupKey, Set<String>> members = new TreeMap<>();
    private final Map<String, Instant> failingSince = new TreeMap<>();
    private final ArrayDeque<Start> starts = new ArrayDeque<>();
    private final Map<GroupKey, Open> open = new TreeMap<>();
    private Instant now = Instant.MIN;

    public IncidentDetector(BrakeSettings settings) {
        this.settings = settings;
    }

    /** A session's failure episode began (its first failed check). Returns the incidents this opened or closed. */
    public List<BrakeEvent> failureStarted(SessionRef session, Instant at) {
        List<BrakeEvent> events = new ArrayList<>();
        moveTo(at);
        if (!session.braked()) {
            forget(session.sessionId());
            return events;
        }
        join(session);
        if (failingSince.putIfAbsent(session.sessionId(), at) == null) {
            starts.addLast(new Start(session.sessionId(), at));
        }
        openCrossingGroups(session, events);
        closeQuietGroups(events);
        return events;
    }

    /** The session is healthy again. */
    public List<BrakeEvent> recovered(SessionRef session, Instant at) {
        moveTo(at);
        if (session.braked()) {
            join(session);
        } else {
            forget(session.sessionId());
        }
        failingSince.remove(session.sessionId());
        List<BrakeEvent> events = new ArrayList<>();
        closeQuietGroups(events);
        return events;
    }

    /** The session is known (and healthy unless told otherwise): it counts in its groups' sizes. */
    public List<BrakeEvent> seen(SessionRef session, Instant at) {
        moveTo(at);
        if (session.braked()) {
            join(session);
        } else {
            forget(session.sessionId());
        }
        List<BrakeEvent> events = new ArrayList<>();
        closeQuietGroups(events);
        return events;
    }

    /** The session ended: it no longer counts anywhere. */
    public List<BrakeEvent> ended(String sessionId, Instant at) {
        moveTo(at);
        forget(sessionId);
        List<BrakeEvent> events = new ArrayList<>();
        closeQuietGroups(events);
        return events;
    }

    /** Time passed (a later event or a stream-time tick): closes the incidents that stayed quiet long enough. */
    public List<BrakeEvent> advance(Instant at) {
        moveTo(at);
        List<BrakeEvent> events = new ArrayList<>();
        closeQuietGroups(events);
        return events;
    }

    /** An operator's release; empty when the group has no open incident. */
    public Optional<BrakeEvent.IncidentClosed> release(GroupKey group, String operator, Instant at) {
        moveTo(at);
        Open incident = open.get(group);
        if (incident == null) {
            return Optional.empty();
        }
        return Optional.of(close(group, BrakeEvent.CloseReason.RELEASED, operator));
    }

    /** The open incident that covers the session, broadest first (the fleet's, then its image's, then its host's). */
    public Optional<Incident> holding(String sessionId) {
        SessionRef session = sessions.get(sessionId);
        if (session == null) {
            return Optional.empty();
        }
        List<GroupKey> groups = new ArrayList<>(session.groups());
        java.util.Collections.reverse(groups);
        for (GroupKey group : groups) {
            Open incident = open.get(group);
            if (incident != null) {
                return Optional.of(incident.incident);
            }
        }
        return Optional.empty();
    }

    public boolean failing(String sessionId) {
        return failingSince.containsKey(sessionId);
    }

    public Optional<SessionRef> session(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    /** The open incidents in group order. */
    public List<Incident> openIncidents() {
        return open.values().stream().map(o -> o.incident).toList();
    }

    public Instant now() {
        return now;
    }

    private void moveTo(Instant at) {
        if (at.isAfter(now)) {
            now = at;
        }
        Instant oldest = now.minus(settings.window());
        while (!starts.isEmpty() && starts.peekFirst().at().isBefore(oldest)) {
            starts.removeFirst();
        }
    }

    private void join(SessionRef session) {
        SessionRef before = sessions.put(session.sessionId(), session);
        if (before != null && !before.equals(session)) {
            before.groups().forEach(g -> leave(g, session.sessionId()));
        }
        session.groups().forEach(g -> members.computeIfAbsent(g, k -> new TreeSet<>()).add(session.sessionId()));
    }

    private void forget(String sessionId) {
        SessionRef before = sessions.remove(sessionId);
        if (before != null) {
            before.groups().forEach(g -> leave(g, sessionId));
        }
        failingSince.remove(sessionId);
    }

    private void leave(GroupKey group, String sessionId) {
        Set<String> set = members.get(group);
        if (set != null) {
            set.remove(sessionId);
            if (set.isEmpty()) {
                members.remove(group);
            }
        }
    }

    private void openCrossingGroups(SessionRef session, List<BrakeEvent> events) {
        // One cause, one incident: after each opening the others are recounted without the covered sessions.
        while (true) {
            Candidate best = null;
            for (GroupKey group : session.groups()) {
                if (open.containsKey(group)) {
                    continue;
                }
                Candidate candidate = candidate(group);
                if (settings.crosses(candidate.counted.size(), candidate.size) && better(candidate, best)) {
                    best = candidate;
                }
            }
            if (best == null) {
                return;
            }
            List<String> samples = best.counted.stream().sorted().limit(settings.sampleSessions()).toList();
            Incident incident = new Incident(Incident.idOf(best.group, now), best.group, now, best.counted.size(),
                    best.size, samples);
            open.put(best.group, new Open(incident));
            events.add(new BrakeEvent.IncidentOpened(incident, now));
        }
    }

    private Candidate candidate(GroupKey group) {
        Set<String> groupMembers = members.getOrDefault(group, Set.of());
        Set<String> counted = new TreeSet<>();
        for (Start start : starts) {
            if (groupMembers.contains(start.sessionId())
                    && inWindow(start) && holding(start.sessionId()).isEmpty()) {
                counted.add(start.sessionId());
            }
        }
        return new Candidate(group, List.copyOf(counted), groupMembers.size());
    }

    /** A start counts while it is in the window, even if the session recovered since (a flapping group is in trouble too). */
    private boolean inWindow(Start start) {
        return !start.at().isBefore(now.minus(settings.window()));
    }

    private static boolean better(Candidate a, Candidate b) {
        if (b == null) {
            return true;
        }
        if (a.counted.size() != b.counted.size()) {
            return a.counted.size() > b.counted.size();
        }
        long shareA = (long) a.counted.size() * b.size;
        long shareB = (long) b.counted.size() * a.size;
        if (shareA != shareB) {
            return shareA > shareB;
        }
        return a.group.compareTo(b.group) < 0;
    }

    private void closeQuietGroups(List<BrakeEvent> events) {
        for (Iterator<Map.Entry<GroupKey, Open>> it = new ArrayList<>(open.entrySet()).iterator(); it.hasNext(); ) {
            Map.Entry<GroupKey, Open> entry = it.next();
            GroupKey group = entry.getKey();
            Open incident = entry.getValue();
            Collection<String> groupMembers = members.getOrDefault(group, Set.of());
            int failing = (int) groupMembers.stream().filter(failingSince::containsKey).count();
            if (settings.crosses(failing, groupMembers.size())) {
                incident.belowSince = null;
                continue;
            }
            if (incident.belowSince == null) {
                incident.belowSince = now;
            }
            Duration quiet = Duration.between(incident.belowSince, now);
            if (quiet.compareTo(settings.closeAfter()) >= 0) {
                events.add(close(group, BrakeEvent.CloseReason.RECOVERED, ""));
            }
        }
    }

    private BrakeEvent.IncidentClosed close(GroupKey group, BrakeEvent.CloseReason reason, String operator) {
        Open incident = open.remove(group);
        // The failures this incident stood for are spent, for every group: they must not open a narrower
        // or broader incident right after the release. Only failures that start later count.
        Set<String> groupMembers = members.getOrDefault(group, Set.of());
        starts.removeIf(start -> groupMembers.contains(start.sessionId()));
        return new BrakeEvent.IncidentClosed(incident.incident, reason, operator, now);
    }
}
