package io.fleethealth.processor.brake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RestartBudgetTest {

    private static final Instant T0 = FakeClock.T0;

    @Test
    void shouldIssueUpToTheHostBudgetAtOnceAndTheRestOneMinuteAfterEachSpentToken() {
        RestartBudget budget = new RestartBudget(2, 100);

        assertThat(List.of(budget.take("h1", T0), budget.take("h1", T0), budget.take("h1", T0),
                budget.take("h1", T0), budget.take("h1", T0)))
                .containsExactly(T0, T0, T0.plusSeconds(60), T0.plusSeconds(60), T0.plusSeconds(120));
    }

    @Test
    void shouldKeepTheFleetBudgetAcrossHosts() {
        RestartBudget budget = new RestartBudget(10, 3);

        List<Instant> slots = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            slots.add(budget.take("h" + i, T0));
        }

        assertThat(slots).containsExactly(T0, T0, T0, T0.plusSeconds(60), T0.plusSeconds(60), T0.plusSeconds(60),
                T0.plusSeconds(120));
    }

    @Test
    void shouldNeverLetALaterRequestOvertakeAnEarlierOne() {
        RestartBudget budget = new RestartBudget(1, 100);

        Instant first = budget.take("h1", T0);
        Instant second = budget.take("h1", T0.plusSeconds(1));
        Instant otherHost = budget.take("h2", T0.plusSeconds(2));

        assertThat(second).isEqualTo(T0.plusSeconds(60));
        // h2 has tokens, but the request before it waits until 60 s: in order means not before it.
        assertThat(otherHost).isEqualTo(second);
        assertThat(first).isEqualTo(T0);
    }

    @Test
    void shouldGiveTheTokensBackAfterAQuietMinute() {
        RestartBudget budget = new RestartBudget(2, 2);
        budget.take("h1", T0);
        budget.take("h1", T0);

        assertThat(budget.take("h1", T0.plusSeconds(61))).isEqualTo(T0.plusSeconds(61));
        assertThat(budget.take("h1", T0.plusSeconds(61))).isEqualTo(T0.plusSeconds(61));
        assertThat(budget.take("h1", T0.plusSeconds(61))).isEqualTo(T0.plusSeconds(121));
    }

    @Test
    void shouldNeverExceedEitherBudgetInAnyMinuteAndNeverDropARequest() {
        Random random = new Random(16);
        int perHost = 2;
        int fleet = 5;
        RestartBudget budget = new RestartBudget(perHost, fleet);
        List<String> hosts = new ArrayList<>();
        List<Instant> slots = new ArrayList<>();
        Instant at = T0;
        for (int i = 0; i < 2_000; i++) {
            at = at.plusMillis(random.nextInt(8_000));
            String host = "h" + random.nextInt(6);
            Instant slot = budget.take(host, at);
            assertThat(slot).isAfterOrEqualTo(at);
            if (!slots.isEmpty()) {
                assertThat(slot).isAfterOrEqualTo(slots.get(slots.size() - 1));
            }
            hosts.add(host);
            slots.add(slot);
        }
        assertThat(slots).hasSize(2_000);
        // Any 60 s window that starts at a slot holds at most `fleet` slots, and `perHost` of one host.
        for (int i = 0; i < slots.size(); i++) {
            Instant end = slots.get(i).plus(Duration.ofMinutes(1));
            int inWindow = 0;
            Map<String, Integer> perHostInWindow = new HashMap<>();
            for (int j = i; j < slots.size() && slots.get(j).isBefore(end); j++) {
                inWindow++;
                perHostInWindow.merge(hosts.get(j), 1, Integer::sum);
            }
            assertThat(inWindow).isLessThanOrEqualTo(fleet);
            assertThat(perHostInWindow.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(perHost));
        }
    }

    @Test
    void shouldRefuseABudgetOfZero() {
        assertThatThrownBy(() -> new RestartBudget(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RestartBudget(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
