package io.fleethealth.bench;

import io.fleethealth.processor.brake.BrakeSettings;
import io.fleethealth.processor.brake.RestartBrake;
import io.fleethealth.processor.brake.SessionRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How many signals per second the brake's one task decides (docs/brake.md): a fleet of sessions on 200 hosts
 * and 50 images, signals 10 ms apart in event time, 1 in 100 a failure start and 1 in 100 a restart wanted,
 * the rest recoveries, with the default settings. Args: [sessions] [signals] [repeats].
 */
public final class BrakeBench {

    private BrakeBench() {
    }

    public static void main(String[] args) {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int signals = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (int run = 0; run < repeats; run++) {
            RestartBrake brake = new RestartBrake(BrakeSettings.defaults());
            Random random = new Random(7);
            Instant at = Instant.parse("2026-12-01T00:00:00Z");
            List<SessionRef> fleet = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                fleet.add(new SessionRef("s" + i, "h" + (i % 200), "img" + (i % 50), true));
                brake.seen(fleet.get(i), at);
            }
            long events = 0;
            long start = System.nanoTime();
            for (int i = 0; i < signals; i++) {
                at = at.plusMillis(10);
                SessionRef session = fleet.get(random.nextInt(sessions));
                int kind = random.nextInt(100);
                events += (kind == 0 ? brake.failureStarted(session, at)
                        : kind == 1 ? brake.restartWanted(session, at) : brake.recovered(session, at)).size();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "brake: %,d sessions, %,d signals in %.1f s: %,.0f signals/s (%,d decisions)%n",
                    sessions, signals, seconds, signals / seconds, events);
        }
    }
}
