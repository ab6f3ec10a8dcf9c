package io.fleethealth.processor.brake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The brake's one decision, over the whole fleet: for every restart a session's decision wants, issue it
 * (at the slot the budget gives), hold it (while an incident covers the session) or let it pass (the
 * container opted out, or the brake is off). Held restarts wait in the order they were held; when their
 * incident closes they go out through the budget in that order, unless the session recovered or ended
 * meanwhile (then the hold is withdrawn: there is nothing left to restart). Nothing is ever dropped.
 *
 * <p>Feed it every signal in one order; the same signals in the same order give the same events.
 */
public final class RestartBrake {

    /** A restart waiting for its incident to close. */
    public record Held(SessionRef session, String incidentId, Instant since) {
    }

    private final BrakeSettings settings;
    private final IncidentDetector detector;
    private final RestartBudget budget;
    private final Map<String, Held> held = new LinkedHashMap<>();

    public RestartBrake(BrakeSettings settings) {
        this.settings = settings;
        this.detector = new IncidentDetector(settings);
        this.budget = new RestartBudget(settings.hostRestartsPerMinute(), settings.fleetRestartsPerMinute());
    }

    /** The session exists (a check came in): it counts in its groups. */
    public List<BrakeEvent> seen(SessionRef session, Instant at) {
        if (!settings.enabled()) {
            return List.of();
        }
        return releaseUncovered(new ArrayList<>(detector.seen(session, at)));
    }

    /** The session's failure episode began. */
    public List<BrakeEvent> failureStarted(SessionRef session, Instant at) {
        if (!settings.enabled()) {
            return List.of();
        }
        return releaseUncovered(new ArrayList<>(detector.failureStarted(session, at)));
    }

    /** The session is healthy again: a restart still held for it is withdrawn. */
    public List<BrakeEvent> recovered(SessionRef session, Instant at) {
        if (!settings.enabled()) {
            return List.of();
        }
        List<BrakeEvent> events = new ArrayList<>();
        Held was = held.remove(session.sessionId());
        if (was != null) {
            events.add(new BrakeEvent.RestartWithdrawn(session.sessionId(), was.incidentId(), detector.now().isAfter(at) ? detector.now() : at));
        }
        events.addAll(releaseUncovered(new ArrayList<>(detector.recovered(session, at))));
        return events;
    }

    /** The session ended: a restart still held for it is withdrawn. */
    public List<BrakeEvent> ended(String sessionId, Instant at) {
        if (!settings.enabled()) {
            return List.of();
        }
        List<BrakeEvent> events = new ArrayList<>();
        Held was = held.remove(sessionId);
        List<BrakeEvent> closes = detector.ended(sessionId, at);
        if (was != null) {
            events.add(new BrakeEvent.RestartWithdrawn(sessionId, was.incidentId(), detector.now()));
        }
        events.addAll(releaseUncovered(new ArrayList<>(closes)));
        return events;
    }

    /** Stream time moved on: incidents that stayed quiet long enough close, their held restarts go out. */
    public List<BrakeEvent> advance(Instant at) {
        if (!settings.enabled()) {
            return List.of();
        }
        return releaseUncovered(new ArrayList<>(detector.advance(at)));
    }

    /**
     * The session's decision wants a restart. The answer holds exactly one {@link BrakeEvent.RestartHeld}
     * or {@link BrakeEvent.RestartIssued} for this session (after any incident it opened or closed).
     */
    public List<BrakeEvent> restartWanted(SessionRef session, Instant at) {
        List<BrakeEvent> events = new ArrayList<>();
        if (!settings.enabled()) {
            // Off: no detection, no budget, nothing held; the restart goes out as the decision asked.
            return List.of(new BrakeEvent.RestartIssued(session.sessionId(), "", at, at));
        }
        if (!session.braked()) {
            events.addAll(detector.seen(session, at));
            events.add(new BrakeEvent.RestartIssued(session.sessionId(), "", at, at));
            return releaseUncovered(events);
        }
        // A wanted restart proves a failure, even if its start was not seen (e.g. the signal was lost).
        if (!detector.failing(session.sessionId())) {
            events.addAll(detector.failureStarted(session, at));
        } else {
            events.addAll(detector.seen(session, at));
        }
        releaseUncovered(events);
        Instant now = detector.now();
        Optional<Incident> incident = detector.holding(session.sessionId());
        if (incident.isPresent()) {
            if (!held.containsKey(session.sessionId())) {
                held.put(session.sessionId(), new Held(session, incident.get().id(), now));
            }
            events.add(new BrakeEvent.RestartHeld(session.sessionId(), held.get(session.sessionId()).incidentId(), now));
        } else {
            events.add(new BrakeEvent.RestartIssued(session.sessionId(), "", budget.take(session.hostId(), now), now));
        }
        return events;
    }

    /** An operator releases a group's incident; empty when the group has none open. */
    public List<BrakeEvent> release(GroupKey group, String operator, Instant at) {
        if (!settings.enabled()) {
            return List.of();
        }
        Optional<BrakeEvent.IncidentClosed> closed = detector.release(group, operator, at);
        if (closed.isEmpty()) {
            return List.of();
        }
        List<BrakeEvent> events = new ArrayList<>(List.of(closed.get()));
        return releaseUncovered(events);
    }

    public List<Incident> openIncidents() {
        return detector.openIncidents();
    }

    /** The restarts held now, in the order they were held. */
    public List<Held> held() {
        return List.copyOf(held.values());
    }

    /** Held restarts no longer covered by any open incident go out, in hold order, through the budget. */
    private List<BrakeEvent> releaseUncovered(List<BrakeEvent> events) {
        boolean closed = events.stream().anyMatch(e -> e instanceof BrakeEvent.IncidentClosed);
        if (!closed || held.isEmpty()) {
            return events;
        }
        Instant now = detector.now();
        for (var it = held.values().iterator(); it.hasNext(); ) {
            Held waiting = it.next();
            if (detector.holding(waiting.session().sessionId()).isEmpty()) {
                it.remove();
                events.add(new BrakeEvent.RestartIssued(waiting.session().sessionId(), waiting.incidentId(),
                        budget.take(waiting.session().hostId(), now), now));
            }
        }
        return events;
    }
}
