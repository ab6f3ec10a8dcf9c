package io.fleethealth.processor.brake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RestartBrakeTest {

    /** N = 5 and P = 50 % within 2 min, closes after 60 s quiet, 2 restarts per host and 4 per fleet a minute. */
    private static final BrakeSettings SETTINGS = new BrakeSettings(true, Duration.ofMinutes(2), 5, 50,
            Duration.ofSeconds(60), 2, 4, 3);

    private final FakeClock clock = new FakeClock();
    private final RestartBrake brake = new RestartBrake(SETTINGS);

    private static SessionRef web(int i) {
        return new SessionRef("web-" + i, "h" + (i % 5), "web:2", true);
    }

    private List<SessionRef> tenWebContainers() {
        List<SessionRef> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(web(i));
            brake.seen(web(i), clock.now());
        }
        return all;
    }

    private static <E extends BrakeEvent> List<E> only(List<BrakeEvent> events, Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Each session fails, then its decision wants a restart three checks later. */
    private List<BrakeEvent> failTogether(List<SessionRef> sessions) {
        List<BrakeEvent> events = new ArrayList<>();
        for (SessionRef ref : sessions) {
            events.addAll(brake.failureStarted(ref, clock.plusSeconds(1)));
        }
        clock.plusSeconds(20);
        for (SessionRef ref : sessions) {
            events.addAll(brake.restartWanted(ref, clock.plusSeconds(1)));
        }
        return events;
    }

    @Test
    void shouldHoldEveryRestartOfAGroupInAnIncidentAndOpenOneIncident() {
        List<BrakeEvent> events = failTogether(tenWebContainers());

        assertThat(only(events, BrakeEvent.IncidentOpened.class)).singleElement()
                .satisfies(o -> assertThat(o.incident().group()).isEqualTo(GroupKey.image("web:2")));
        String incidentId = brake.openIncidents().get(0).id();
        assertThat(only(events, BrakeEvent.RestartIssued.class)).isEmpty();
        assertThat(only(events, BrakeEvent.RestartHeld.class)).hasSize(10)
                .allSatisfy(h -> assertThat(h.incidentId()).isEqualTo(incidentId));
        assertThat(brake.held()).extracting(h -> h.session().sessionId())
                .containsExactly("web-0", "web-1", "web-2", "web-3", "web-4", "web-5", "web-6", "web-7", "web-8", "web-9");
    }

    @Test
    void shouldReleaseHeldRestartsInHoldOrderWithinTheBudget() {
        failTogether(tenWebContainers());
        Instant releasedAt = clock.plusSeconds(30);

        List<BrakeEvent> events = brake.release(GroupKey.image("web:2"), "alice", releasedAt);

        assertThat(events.get(0)).isInstanceOfSatisfying(BrakeEvent.IncidentClosed.class,
                c -> assertThat(c.operator()).isEqualTo("alice"));
        List<BrakeEvent.RestartIssued> issued = only(events, BrakeEvent.RestartIssued.class);
        assertThat(issued).extracting(BrakeEvent.RestartIssued::sessionId).containsExactly("web-0", "web-1",
                "web-2", "web-3", "web-4", "web-5", "web-6", "web-7", "web-8", "web-9");
        assertThat(issued).allSatisfy(i -> assertThat(i.released()).isTrue());
        // Fleet budget 4 a minute: 4 at once, 4 a minute later, 2 after two minutes; two per host at most.
        assertThat(issued).extracting(BrakeEvent.RestartIssued::notBefore).containsExactly(
                releasedAt, releasedAt, releasedAt, releasedAt,
                releasedAt.plusSeconds(60), releasedAt.plusSeconds(60), releasedAt.plusSeconds(60), releasedAt.plusSeconds(60),
                releasedAt.plusSeconds(120), releasedAt.plusSeconds(120));
        assertThat(brake.held()).isEmpty();
        assertThat(brake.openIncidents()).isEmpty();
    }

    @Test
    void shouldIssueALoneFailureAtOnceWhenNoIncidentIsOpen() {
        tenWebContainers();
        brake.failureStarted(web(3), clock.plusSeconds(1));

        List<BrakeEvent> events = brake.restartWanted(web(3), clock.plusSeconds(60));

        assertThat(events).singleElement().isInstanceOfSatisfying(BrakeEvent.RestartIssued.class, i -> {
            assertThat(i.notBefore()).isEqualTo(clock.now());
            assertThat(i.released()).isFalse();
        });
    }

    @Test
    void shouldWithdrawAHeldRestartWhenTheSessionRecovers() {
        failTogether(tenWebContainers());

        List<BrakeEvent> events = brake.recovered(web(4), clock.plusSeconds(5));

        assertThat(events).singleElement().isInstanceOf(BrakeEvent.RestartWithdrawn.class);
        assertThat(brake.held()).hasSize(9).noneMatch(h -> h.session().sessionId().equals("web-4"));
    }

    @Test
    void shouldReleaseStillFailingSessionsWhenTheIncidentRecoversByItself() {
        failTogether(tenWebContainers());
        List<BrakeEvent> events = new ArrayList<>();
        // 6 of 10 recover: 4 failing < 5 sessions, the group is below the threshold from now on.
        for (int i = 0; i < 6; i++) {
            events.addAll(brake.recovered(web(i), clock.plusSeconds(1)));
        }
        assertThat(only(events, BrakeEvent.RestartWithdrawn.class)).hasSize(6);
        assertThat(brake.advance(clock.plusSeconds(59))).isEmpty();

        List<BrakeEvent> closing = brake.advance(clock.plusSeconds(1));

        assertThat(only(closing, BrakeEvent.IncidentClosed.class)).singleElement()
                .satisfies(c -> assertThat(c.reason()).isEqualTo(BrakeEvent.CloseReason.RECOVERED));
        assertThat(only(closing, BrakeEvent.RestartIssued.class)).extracting(BrakeEvent.RestartIssued::sessionId)
                .containsExactly("web-6", "web-7", "web-8", "web-9");
    }

    @Test
    void shouldLetAnOptedOutContainerRestartThroughAnIncident() {
        failTogether(tenWebContainers());
        SessionRef optedOut = new SessionRef("web-free", "h1", "web:2", false);

        List<BrakeEvent> events = brake.restartWanted(optedOut, clock.plusSeconds(1));

        assertThat(events).singleElement().isInstanceOfSatisfying(BrakeEvent.RestartIssued.class,
                i -> assertThat(i.notBefore()).isEqualTo(clock.now()));
    }

    @Test
    void shouldPassEverythingWhenTheBrakeIsOff() {
        RestartBrake off = new RestartBrake(SETTINGS.withEnabled(false));
        List<BrakeEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.addAll(off.failureStarted(web(i), clock.plusSeconds(1)));
        }
        for (int i = 0; i < 10; i++) {
            events.addAll(off.restartWanted(web(i), clock.now()));
        }
        assertThat(only(events, BrakeEvent.RestartIssued.class)).hasSize(10)
                .allSatisfy(i -> assertThat(i.notBefore()).isEqualTo(clock.now()));
        assertThat(only(events, BrakeEvent.RestartHeld.class)).isEmpty();
        assertThat(only(events, BrakeEvent.IncidentOpened.class)).as("off means no detection either").isEmpty();
        assertThat(off.openIncidents()).isEmpty();
    }

    @Test
    void shouldBudgetOrdinaryRestartsToo() {
        tenWebContainers();
        // Two lone failures on host h0 a few seconds apart, far below any incident threshold.
        SessionRef a = web(0);
        SessionRef b = web(5);
        SessionRef c = new SessionRef("other", "h0", "db:1", true);
        brake.seen(c, clock.now());
        Instant first = ((BrakeEvent.RestartIssued) brake.restartWanted(a, clock.plusSeconds(1)).get(0)).notBefore();
        Instant second = ((BrakeEvent.RestartIssued) brake.restartWanted(b, clock.plusSeconds(1)).get(0)).notBefore();
        Instant third = ((BrakeEvent.RestartIssued) brake.restartWanted(c, clock.plusSeconds(1)).get(0)).notBefore();

        assertThat(second).isEqualTo(first.plusSeconds(1));
        assertThat(third).isEqualTo(first.plusSeconds(60));
    }

    @Test
    void shouldHoldARestartOnlyOnceWhenItIsWantedAgain() {
        failTogether(tenWebContainers());
        List<BrakeEvent> again = brake.restartWanted(web(2), clock.plusSeconds(30));

        assertThat(again).singleElement().isInstanceOf(BrakeEvent.RestartHeld.class);
        assertThat(brake.held()).hasSize(10);
        assertThat(only(brake.release(GroupKey.image("web:2"), "ops", clock.plusSeconds(1)),
                BrakeEvent.RestartIssued.class)).hasSize(10);
    }

    @Test
    void shouldWithdrawAHeldRestartWhenTheSessionEnds() {
        failTogether(tenWebContainers());
        assertThat(brake.ended("web-9", clock.plusSeconds(1)))
                .singleElement().isInstanceOf(BrakeEvent.RestartWithdrawn.class);
        assertThat(brake.held()).hasSize(9);
    }

    @Test
    void shouldDecideTheSameForTheSameHistory() {
        List<String> first = run(new RestartBrake(SETTINGS), history(42));
        List<String> second = run(new RestartBrake(SETTINGS), history(42));

        assertThat(first).isNotEmpty().isEqualTo(second);
        assertThat(first).anyMatch(e -> e.startsWith("RestartHeld")).anyMatch(e -> e.startsWith("IncidentOpened"));
    }

    private record Signal(String kind, SessionRef session, Instant at) {
    }

    private static List<Signal> history(long seed) {
        Random random = new Random(seed);
        List<Signal> signals = new ArrayList<>();
        Instant at = FakeClock.T0;
        for (int i = 0; i < 3_000; i++) {
            at = at.plusMillis(random.nextInt(3_000));
            // A burst of correlated failures of one image every few hundred signals.
            boolean burst = (i / 300) % 3 == 0 && i % 300 < 60;
            int n = random.nextInt(40);
            SessionRef ref = new SessionRef("s" + n, "h" + (n % 4), burst ? "web:2" : "img" + (n % 3), true);
            String kind = switch (random.nextInt(burst ? 2 : 4)) {
                case 0 -> "fail";
                case 1 -> "restart";
                case 2 -> "recover";
                default -> "seen";
            };
            signals.add(new Signal(kind, ref, at));
            if (i % 997 == 0) {
                signals.add(new Signal("release", ref, at));
            }
        }
        return signals;
    }

    private static List<String> run(RestartBrake brake, List<Signal> signals) {
        List<String> out = new ArrayList<>();
        for (Signal s : signals) {
            List<BrakeEvent> events = switch (s.kind()) {
                case "fail" -> brake.failureStarted(s.session(), s.at());
                case "restart" -> brake.restartWanted(s.session(), s.at());
                case "recover" -> brake.recovered(s.session(), s.at());
                case "release" -> brake.release(GroupKey.image("web:2"), "ops", s.at());
                default -> brake.seen(s.session(), s.at());
            };
            events.forEach(e -> out.add(e.toString()));
        }
        return out;
    }
}
