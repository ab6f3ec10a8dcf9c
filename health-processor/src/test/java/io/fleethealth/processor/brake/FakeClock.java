package io.fleethealth.processor.brake;

import java.time.Duration;
import java.time.Instant;

/** Event time the tests move by hand. */
final class FakeClock {
    static final Instant T0 = Instant.parse("2026-12-01T04:00:00Z");
    private Instant now = T0;

    Instant now() {
        return now;
    }

    Instant plusSeconds(long seconds) {
        now = now.plusSeconds(seconds);
        return now;
    }

    Instant plus(Duration d) {
        now = now.plus(d);
        return now;
    }
}
