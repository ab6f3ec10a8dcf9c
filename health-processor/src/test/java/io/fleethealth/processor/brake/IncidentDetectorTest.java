package io.fleethealth.processor.brake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentDetectorTest {

    /** N = 3 sessions and P = 50 % within 60 s; closes after 30 s below. */
    private static final BrakeSettings SETTINGS = new BrakeSettings(true, Duration.ofSeconds(60), 3, 50,
            Duration.ofSeconds(30), 2, 20, 2);

    private final FakeClock clock = new FakeClock();
    private final IncidentDetector detector = new IncidentDetector(SETTINGS);

    private static SessionRef s(String id, String host, String image) {
        return new SessionRef(id, host, image, true);
    }

    private List<SessionRef> fleet(int perHostAndImage) {
        // Two hosts, two images, spread so that host and image groups differ.
        List<SessionRef> all = new ArrayList<>();
        for (String host : List.of("h1", "h2")) {
            for (String image : List.of("web:1", "db:1")) {
                for (int i = 0; i < perHostAndImage; i++) {
                    SessionRef ref = s(host + "-" + image + "-" + i, host, image);
                    all.add(ref);
                    detector.seen(ref, clock.now());
                }
            }
        }
        return all;
    }

    private static List<BrakeEvent.IncidentOpened> opened(List<BrakeEvent> events) {
        return events.stream().filter(BrakeEvent.IncidentOpened.class::isInstance)
                .map(BrakeEvent.IncidentOpened.class::cast).toList();
    }

    @Test
    void shouldOpenOneImageIncidentWhenAnImageFailsAcrossHosts() {
        List<SessionRef> all = fleet(2);
        List<SessionRef> web = all.stream().filter(r -> r.image().equals("web:1")).toList();

        List<BrakeEvent> events = new ArrayList<>();
        for (SessionRef ref : web) {
            events.addAll(detector.failureStarted(ref, clock.plusSeconds(5)));
        }

        assertThat(opened(events)).singleElement().satisfies(e -> {
            assertThat(e.incident().group()).isEqualTo(GroupKey.image("web:1"));
            assertThat(e.incident().failingSessions()).isEqualTo(3);
            assertThat(e.incident().groupSessions()).isEqualTo(4);
            assertThat(e.incident().since()).isEqualTo(FakeClock.T0.plusSeconds(15));
            assertThat(e.incident().id()).isEqualTo("image:web:1@" + FakeClock.T0.plusSeconds(15).toEpochMilli());
            assertThat(e.incident().samples()).hasSize(2).isSorted();
        });
        assertThat(detector.holding(web.get(3).sessionId())).map(Incident::group).contains(GroupKey.image("web:1"));
        assertThat(detector.holding("h1-db:1-0")).isEmpty();
    }

    @Test
    void shouldOpenAHostIncidentWhenEveryImageFailsOnOneHost() {
        List<SessionRef> all = fleet(2);
        List<BrakeEvent> events = new ArrayList<>();
        for (SessionRef ref : all.stream().filter(r -> r.hostId().equals("h1")).toList()) {
            events.addAll(detector.failureStarted(ref, clock.plusSeconds(1)));
        }

        assertThat(opened(events)).extracting(e -> e.incident().group()).containsExactly(GroupKey.host("h1"));
        assertThat(detector.openIncidents()).hasSize(1);
    }

    @Test
    void shouldOpenTheFleetIncidentWhenEverythingFailsAndOnlyThat() {
        List<SessionRef> all = fleet(1);
        List<BrakeEvent> events = new ArrayList<>();
        // Interleave hosts and images so that no narrower group holds most of the failures.
        for (SessionRef ref : List.of(all.get(0), all.get(3), all.get(1), all.get(2))) {
            events.addAll(detector.failureStarted(ref, clock.plusSeconds(1)));
        }

        assertThat(opened(events)).extracting(e -> e.incident().group()).containsExactly(GroupKey.fleet());
        assertThat(all).allSatisfy(r -> assertThat(detector.holding(r.sessionId())).isPresent());
    }

    @Test
    void shouldNotOpenBelowTheSessionCountEvenAtAHundredPercent() {
        detector.seen(s("a", "h1", "x"), clock.now());
        detector.seen(s("b", "h1", "x"), clock.now());

        List<BrakeEvent> events = new ArrayList<>(detector.failureStarted(s("a", "h1", "x"), clock.plusSeconds(1)));
        events.addAll(detector.failureStarted(s("b", "h1", "x"), clock.plusSeconds(1)));

        assertThat(events).isEmpty();
        assertThat(detector.openIncidents()).isEmpty();
    }

    @Test
    void shouldNotOpenBelowThePercentEvenWithManySessions() {
        for (int i = 0; i < 10; i++) {
            detector.seen(s("s" + i, "h" + i, "img"), clock.now());
        }
        List<BrakeEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.addAll(detector.failureStarted(s("s" + i, "h" + i, "img"), clock.plusSeconds(1)));
        }
        assertThat(events).isEmpty();

        events.addAll(detector.failureStarted(s("s4", "h4", "img"), clock.plusSeconds(1)));
        assertThat(opened(events)).extracting(e -> e.incident().failingSessions()).containsExactly(5);
    }

    @Test
    void shouldNotCountFailureStartsOlderThanTheWindow() {
        for (int i = 0; i < 4; i++) {
            detector.seen(s("s" + i, "h1", "img"), clock.now());
        }
        detector.failureStarted(s("s0", "h1", "img"), clock.now());
        detector.failureStarted(s("s1", "h1", "img"), clock.plusSeconds(30));

        List<BrakeEvent> late = detector.failureStarted(s("s2", "h1", "img"), clock.plusSeconds(31));

        assertThat(late).isEmpty();
        assertThat(detector.failureStarted(s("s3", "h1", "img"), clock.plusSeconds(1))).hasSize(1);
    }

    @Test
    void shouldCloseAfterTheGroupStayedBelowTheThresholdForTheCloseTime() {
        for (int i = 0; i < 4; i++) {
            detector.seen(s("s" + i, "h1", "img"), clock.now());
        }
        for (int i = 0; i < 3; i++) {
            detector.failureStarted(s("s" + i, "h1", "img"), clock.plusSeconds(1));
        }
        assertThat(detector.openIncidents()).hasSize(1);

        assertThat(detector.recovered(s("s0", "h1", "img"), clock.plusSeconds(10))).isEmpty();
        assertThat(detector.advance(clock.plusSeconds(29))).isEmpty();
        List<BrakeEvent> closed = detector.advance(clock.plusSeconds(1));

        assertThat(closed).singleElement().isInstanceOfSatisfying(BrakeEvent.IncidentClosed.class, c -> {
            assertThat(c.reason()).isEqualTo(BrakeEvent.CloseReason.RECOVERED);
            assertThat(c.operator()).isEmpty();
            assertThat(c.at()).isEqualTo(clock.now());
        });
        assertThat(detector.openIncidents()).isEmpty();
    }

    @Test
    void shouldRestartTheQuietTimeWhenTheGroupCrossesAgain() {
        for (int i = 0; i < 4; i++) {
            detector.seen(s("s" + i, "h1", "img"), clock.now());
        }
        for (int i = 0; i < 3; i++) {
            detector.failureStarted(s("s" + i, "h1", "img"), clock.plusSeconds(1));
        }
        detector.recovered(s("s0", "h1", "img"), clock.plusSeconds(10));
        detector.failureStarted(s("s0", "h1", "img"), clock.plusSeconds(20));
        detector.recovered(s("s0", "h1", "img"), clock.plusSeconds(5));

        assertThat(detector.advance(clock.plusSeconds(29))).isEmpty();
        assertThat(detector.advance(clock.plusSeconds(1))).hasSize(1);
    }

    @Test
    void shouldCloseOnReleaseAndCountOnlyLaterFailureStartsAfterIt() {
        for (int i = 0; i < 6; i++) {
            detector.seen(s("s" + i, "h1", "img"), clock.now());
        }
        for (int i = 0; i < 3; i++) {
            detector.failureStarted(s("s" + i, "h1", "img"), clock.plusSeconds(1));
        }

        assertThat(detector.release(GroupKey.host("h9"), "ops", clock.now())).isEmpty();
        assertThat(detector.release(GroupKey.image("img"), "ops", clock.plusSeconds(1)))
                .hasValueSatisfying(c -> {
                    assertThat(c.reason()).isEqualTo(BrakeEvent.CloseReason.RELEASED);
                    assertThat(c.operator()).isEqualTo("ops");
                });
        assertThat(detector.openIncidents()).isEmpty();

        // The three released failures no longer count; three new ones open a new incident.
        assertThat(detector.failureStarted(s("s3", "h1", "img"), clock.plusSeconds(1))).isEmpty();
        assertThat(detector.failureStarted(s("s4", "h1", "img"), clock.plusSeconds(1))).isEmpty();
        assertThat(opened(detector.failureStarted(s("s5", "h1", "img"), clock.plusSeconds(1)))).hasSize(1);
    }

    @Test
    void shouldIgnoreOptedOutContainersInCountsAndSizes() {
        for (int i = 0; i < 3; i++) {
            detector.seen(s("s" + i, "h1", "img"), clock.now());
        }
        for (int i = 0; i < 10; i++) {
            SessionRef out = new SessionRef("out" + i, "h1", "img", false);
            detector.seen(out, clock.now());
            assertThat(detector.failureStarted(out, clock.plusSeconds(1))).isEmpty();
            assertThat(detector.holding(out.sessionId())).isEmpty();
        }
        assertThat(detector.openIncidents()).isEmpty();

        for (int i = 0; i < 3; i++) {
            detector.failureStarted(s("s" + i, "h1", "img"), clock.plusSeconds(1));
        }
        // 3 of 3 braked sessions: the ten opted-out ones do not dilute the share.
        assertThat(detector.openIncidents()).singleElement().extracting(Incident::groupSessions).isEqualTo(3);
    }

    @Test
    void shouldNotMoveTimeBackOnALateEvent() {
        for (int i = 0; i < 4; i++) {
            detector.seen(s("s" + i, "h1", "img"), clock.now());
        }
        Instant late = clock.now();
        clock.plusSeconds(100);
        detector.advance(clock.now());

        detector.failureStarted(s("s0", "h1", "img"), late);
        assertThat(detector.now()).isEqualTo(clock.now());
    }

    @Test
    void shouldCloseWhenTheGroupsSessionsEnd() {
        for (int i = 0; i < 3; i++) {
            detector.seen(s("s" + i, "h1", "img"), clock.now());
            detector.failureStarted(s("s" + i, "h1", "img"), clock.plusSeconds(1));
        }
        assertThat(detector.openIncidents()).hasSize(1);
        for (int i = 0; i < 3; i++) {
            detector.ended("s" + i, clock.plusSeconds(1));
        }
        assertThat(detector.advance(clock.plusSeconds(30))).hasSize(1);
    }
}
