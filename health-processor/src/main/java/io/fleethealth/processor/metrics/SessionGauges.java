package io.fleethealth.processor.metrics;

import io.fleethealth.events.HealthStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fleet_sessions{status,managed}}: the sessions this instance owns, by status and by whether they are
 * managed ({@code managed="false"}: labelled {@code fleet-health.enabled=false}, shown but never restarted or
 * alerted on), so that Prometheus can alert on "any managed session FAILED" and sum the instances into the
 * fleet. The counts come from the decision (no store scan);
 * one snapshot serves every gauge of a scrape, so they add up, and is reused for {@code maxAge}; when the
 * counts cannot be read the last snapshot stays, and before the first one the gauges are NaN (no data, not zero).
 */
public final class SessionGauges {

    private static final Logger log = LoggerFactory.getLogger(SessionGauges.class);

    private final Supplier<SessionCounts> counts;
    private final Clock clock;
    private final Duration maxAge;
    private SessionCounts snapshot;
    private Instant takenAt = Instant.MIN;

    SessionGauges(Supplier<SessionCounts> counts, Clock clock, Duration maxAge) {
        this.counts = Objects.requireNonNull(counts, "counts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    /** Registers one gauge per status and managed or not, all read from the same snapshot. */
    public static SessionGauges register(MeterRegistry registry, Supplier<SessionCounts> counts,
                                         Clock clock, Duration maxAge) {
        SessionGauges gauges = new SessionGauges(counts, clock, maxAge);
        for (HealthStatus status : HealthStatus.values()) {
            for (boolean managed : new boolean[] {true, false}) {
                // strong: Micrometer holds a gauge's object weakly, and nothing else keeps this one alive
                Gauge.builder("fleet.sessions", gauges, g -> g.count(status, managed))
                        .strongReference(true)
                        .description("Sessions owned by this processor instance, by status; managed=false for those "
                                + "labelled fleet-health.enabled=false (sum over instances for the fleet)")
                        .tag("status", status.name())
                        .tag("managed", String.valueOf(managed))
                        .register(registry);
            }
        }
        return gauges;
    }

    synchronized double count(HealthStatus status, boolean managed) {
        Instant now = clock.instant();
        if (snapshot == null || !now.isBefore(takenAt.plus(maxAge))) {
            try {
                snapshot = counts.get();
                takenAt = now;
            } catch (RuntimeException e) {
                // e.g. the store is migrating during a rebalance: keep the last snapshot, try again next scrape
                log.debug("Session counts not available: {}", e.toString());
            }
        }
        return snapshot == null ? Double.NaN : snapshot.count(status, managed);
    }
}
