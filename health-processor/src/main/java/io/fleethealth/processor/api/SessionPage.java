package io.fleethealth.processor.api;

import io.fleethealth.events.HealthStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One page of the session list, for fleets of 10,000+ sessions: filtered by host and by text, sorted worst
 * first (then by id, so pages are stable while statuses hold), cut at offset and limit. Without a limit every
 * match is returned, as before paging existed.
 *
 * @param matching how many sessions match the filters (all pages)
 * @param offset   the first returned session's position among them
 * @param hosts    sessions per host over all the sessions given, for a host picker
 * @param sessions the page, without history
 */
public record SessionPage(int matching, int offset, Map<String, Long> hosts, List<SessionView> sessions) {

    static final int MAX_LIMIT = 1_000;
    private static final List<HealthStatus> WORST_FIRST = List.of(HealthStatus.FAILED, HealthStatus.RESTARTING,
            HealthStatus.UNHEALTHY, HealthStatus.UNKNOWN, HealthStatus.HEALTHY);
    private static final Comparator<SessionView> ORDER = Comparator
            .comparingInt((SessionView s) -> WORST_FIRST.indexOf(s.status()))
            .thenComparing(SessionView::sessionId);

    /**
     * @param host  only this host's sessions (exact), when given
     * @param text  only sessions whose id, host, container, reason or last error contain it (any case)
     * @param offset the first position returned
     * @param limit at most this many, when given
     */
    public record Query(Optional<String> host, Optional<String> text, int offset, Optional<Integer> limit) {

        /** From {@code host}, {@code q}, {@code offset} and {@code limit} of a query string; 400 on bad numbers. */
        public static Query from(Map<String, String> params) {
            int offset = number(params, "offset", 0, Integer.MAX_VALUE).orElse(0);
            return new Query(nonBlank(params.get("host")), nonBlank(params.get("q")).map(q -> q.toLowerCase(Locale.ROOT)),
                    offset, number(params, "limit", 1, MAX_LIMIT));
        }

        private static Optional<String> nonBlank(String value) {
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        private static Optional<Integer> number(Map<String, String> params, String name, int min, int max) {
            String raw = params.get(name);
            if (raw == null || raw.isBlank()) {
                return Optional.empty();
            }
            try {
                int value = Integer.parseInt(raw.trim());
                if (value >= min && value <= max) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new ApiException(400, name + " must be a number from " + min + " to " + max + ", got '" + raw + "'");
        }
    }

    public static SessionPage of(List<SessionView> all, Query query) {
        Map<String, Long> hosts = new TreeMap<>();
        all.forEach(s -> hosts.merge(s.hostId(), 1L, Long::sum));
        List<SessionView> matching = all.stream()
                .filter(s -> query.host().map(h -> h.equals(s.hostId())).orElse(true))
                .filter(s -> query.text().map(t -> contains(s, t)).orElse(true))
                .sorted(ORDER)
                .toList();
        int from = Math.min(query.offset(), matching.size());
        int to = query.limit().map(l -> Math.min(matching.size(), from + l)).orElse(matching.size());
        return new SessionPage(matching.size(), from, hosts,
                matching.subList(from, to).stream().map(SessionView::withoutHistory).toList());
    }

    private static boolean contains(SessionView s, String text) {
        for (String value : new String[] {s.sessionId(), s.hostId(), s.containerName(), s.containerId(), s.reason(),
                s.lastErrorMessage()}) {
            if (value != null && value.toLowerCase(Locale.ROOT).contains(text)) {
                return true;
            }
        }
        return false;
    }
}
