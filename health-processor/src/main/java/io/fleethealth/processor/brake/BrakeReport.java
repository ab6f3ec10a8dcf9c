package io.fleethealth.processor.brake;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The what-if answer over a history of brake events: how many incidents opened (per group kind), how many
 * restarts were held (once per session and incident), released, issued straight away, withdrawn, and how long the budget delayed them.
 */
public record BrakeReport(int incidents, Map<GroupKey.Kind, Integer> incidentsByKind, int restartsHeld,
                          int restartsReleased, int restartsIssuedDirectly, int restartsWithdrawn,
                          int restartsDelayedByBudget, long longestBudgetDelayMillis) {

    public static BrakeReport of(List<BrakeEvent> events) {
        int incidents = 0;
        Map<GroupKey.Kind, Integer> byKind = new TreeMap<>();
        java.util.Set<String> held = new java.util.HashSet<>();
        int released = 0;
        int direct = 0;
        int withdrawn = 0;
        int delayed = 0;
        long longest = 0;
        for (BrakeEvent event : events) {
            if (event instanceof BrakeEvent.IncidentOpened opened) {
                incidents++;
                byKind.merge(opened.incident().group().kind(), 1, Integer::sum);
            } else if (event instanceof BrakeEvent.RestartHeld hold) {
                // A restart wanted again while held is the same hold.
                held.add(hold.incidentId() + "/" + hold.sessionId());
            } else if (event instanceof BrakeEvent.RestartWithdrawn) {
                withdrawn++;
            } else if (event instanceof BrakeEvent.RestartIssued issued) {
                if (issued.released()) {
                    released++;
                } else {
                    direct++;
                }
                long delay = issued.notBefore().toEpochMilli() - issued.at().toEpochMilli();
                if (delay > 0) {
                    delayed++;
                    longest = Math.max(longest, delay);
                }
            }
        }
        return new BrakeReport(incidents, Map.copyOf(byKind), held.size(), released, direct, withdrawn, delayed, longest);
    }
}
