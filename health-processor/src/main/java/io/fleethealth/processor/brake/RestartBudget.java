package io.fleethealth.processor.brake;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * At most R restarts per host and F fleet-wide in any minute of event time, handed out in request order.
 * Each bucket is a token bucket whose every token comes back one minute after it was spent (a sliding
 * minute, so "per minute" holds for every minute, not only for aligned ones). A request never fails: it
 * gets the earliest slot at or after its own time, after the slot of the request before it, at which
 * both its host's bucket and the fleet's bucket hold a token. Over budget means later, never dropped.
 */
public final class RestartBudget {

    static final Duration MINUTE = Duration.ofMinutes(1);

    private final int perHost;
    private final Bucket fleet;
    private final Map<String, Bucket> hosts = new HashMap<>();
    private Instant lastSlot = Instant.MIN;

    public RestartBudget(int hostRestartsPerMinute, int fleetRestartsPerMinute) {
        if (hostRestartsPerMinute < 1 || fleetRestartsPerMinute < 1) {
            throw new IllegalArgumentException("budgets must be >= 1: host=" + hostRestartsPerMinute
                    + ", fleet=" + fleetRestartsPerMinute);
        }
        this.perHost = hostRestartsPerMinute;
        this.fleet = new Bucket(fleetRestartsPerMinute);
    }

    /** Spends a token of the host's and the fleet's bucket and returns when the restart may run. */
    public Instant take(String hostId, Instant at) {
        Bucket host = hosts.computeIfAbsent(hostId, h -> new Bucket(perHost));
        Instant slot = latest(latest(at, lastSlot), latest(host.nextToken(), fleet.nextToken()));
        host.spend(slot);
        fleet.spend(slot);
        lastSlot = slot;
        forgetIdleHosts(slot);
        return slot;
    }

    /** Hosts whose every token is back hold no information: dropped so the map stays as small as the busy hosts. */
    private void forgetIdleHosts(Instant now) {
        if (hosts.size() > 1_024) {
            hosts.values().removeIf(bucket -> !bucket.nextFullAt().isAfter(now));
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The slots of the last {@code capacity} restarts: the oldest one's token is the next to come back. */
    private static final class Bucket {
        private final int capacity;
        private final ArrayDeque<Instant> spent = new ArrayDeque<>();

        Bucket(int capacity) {
            this.capacity = capacity;
        }

        Instant nextToken() {
            return spent.size() < capacity ? Instant.MIN : spent.peekFirst().plus(MINUTE);
        }

        Instant nextFullAt() {
            return spent.isEmpty() ? Instant.MIN : spent.peekLast().plus(MINUTE);
        }

        void spend(Instant slot) {
            spent.addLast(slot);
            if (spent.size() > capacity) {
                spent.removeFirst();
            }
        }
    }
}
