package io.fleethealth.processor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.HealthStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SessionGaugesTest {

    private static final Duration MAX_AGE = Duration.ofSeconds(10);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-11-25T05:00:00Z"));
    private final Map<HealthStatus, Long> store = new EnumMap<>(HealthStatus.class);
    private final Map<HealthStatus, Long> notManaged = new EnumMap<>(HealthStatus.class);
    private final AtomicInteger scans = new AtomicInteger();
    private volatile boolean storeAvailable = true;

    private final Supplier<SessionCounts> counts = () -> {
        scans.incrementAndGet();
        if (!storeAvailable) {
            throw new IllegalStateException("store is migrating");
        }
        return new SessionCounts(store, notManaged);
    };

    @Test
    void shouldScrapeOneGaugePerStatusWithZeroForStatusesWithoutSessions() {
        store.put(HealthStatus.HEALTHY, 7L);
        store.put(HealthStatus.FAILED, 2L);
        SessionGauges.register(registry, counts, clock, MAX_AGE);

        String scrape = registry.scrape();

        assertThat(scrape).contains("fleet_sessions{managed=\"true\",status=\"HEALTHY\"} 7.0")
                .contains("fleet_sessions{managed=\"true\",status=\"FAILED\"} 2.0")
                .contains("fleet_sessions{managed=\"true\",status=\"UNHEALTHY\"} 0.0")
                .contains("fleet_sessions{managed=\"true\",status=\"RESTARTING\"} 0.0")
                .contains("fleet_sessions{managed=\"true\",status=\"UNKNOWN\"} 0.0")
                .contains("fleet_sessions{managed=\"false\",status=\"HEALTHY\"} 0.0");
        assertThat(scans).as("one store scan serves every gauge of a scrape").hasValue(1);
    }

    @Test
    void shouldCountSessionsThatOptedOutApartAsNotManaged() {
        store.put(HealthStatus.UNHEALTHY, 1L);
        notManaged.put(HealthStatus.UNHEALTHY, 3L);
        SessionGauges.register(registry, counts, clock, MAX_AGE);

        assertThat(registry.scrape()).contains("fleet_sessions{managed=\"true\",status=\"UNHEALTHY\"} 1.0")
                .contains("fleet_sessions{managed=\"false\",status=\"UNHEALTHY\"} 3.0")
                .contains("fleet_sessions{managed=\"false\",status=\"FAILED\"} 0.0");
    }

    @Test
    void shouldReuseTheSnapshotUntilItIsOlderThanTheMaximumAge() {
        store.put(HealthStatus.FAILED, 1L);
        SessionGauges gauges = SessionGauges.register(registry, counts, clock, MAX_AGE);
        assertThat(gauges.count(HealthStatus.FAILED, true)).isEqualTo(1.0);

        store.put(HealthStatus.FAILED, 3L);
        clock.advance(MAX_AGE.minusMillis(1));
        assertThat(gauges.count(HealthStatus.FAILED, true)).as("still the first snapshot").isEqualTo(1.0);

        clock.advance(Duration.ofMillis(1));
        assertThat(gauges.count(HealthStatus.FAILED, true)).isEqualTo(3.0);
        assertThat(scans).hasValue(2);
    }

    @Test
    void shouldKeepTheLastSnapshotWhileTheStoreIsUnavailable() {
        store.put(HealthStatus.UNHEALTHY, 4L);
        SessionGauges gauges = SessionGauges.register(registry, counts, clock, MAX_AGE);
        assertThat(gauges.count(HealthStatus.UNHEALTHY, true)).isEqualTo(4.0);

        storeAvailable = false;
        clock.advance(MAX_AGE);
        assertThat(gauges.count(HealthStatus.UNHEALTHY, true)).isEqualTo(4.0);
        assertThat(gauges.count(HealthStatus.UNHEALTHY, true)).as("tried again on the next read").isEqualTo(4.0);
        assertThat(scans).hasValue(3);

        storeAvailable = true;
        store.put(HealthStatus.UNHEALTHY, 5L);
        assertThat(gauges.count(HealthStatus.UNHEALTHY, true)).isEqualTo(5.0);
    }

    @Test
    void shouldReportNoDataRatherThanZeroBeforeTheFirstSnapshot() {
        storeAvailable = false;
        SessionGauges gauges = SessionGauges.register(registry, counts, clock, MAX_AGE);

        assertThat(gauges.count(HealthStatus.FAILED, true)).isNaN();
        assertThat(registry.scrape()).contains("fleet_sessions{managed=\"true\",status=\"FAILED\"} NaN");
    }

    @Test
    void shouldKeepCountingWhenNothingButTheRegistryHoldsTheGauges() throws Exception {
        store.put(HealthStatus.FAILED, 2L);
        SessionGauges.register(registry, counts, clock, MAX_AGE); // the result dropped, as the service does
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }

        assertThat(registry.scrape()).contains("fleet_sessions{managed=\"true\",status=\"FAILED\"} 2.0");
    }

    /** A clock the test moves by hand. */
    private static final class SteppingClock extends Clock {
        private Instant now;

        SteppingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
