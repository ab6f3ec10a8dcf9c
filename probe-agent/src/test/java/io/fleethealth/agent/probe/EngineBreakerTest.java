package io.fleethealth.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.agent.config.AgentConfig;
import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.serde.SampleEvents;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EngineBreakerTest {

    private static List<HealthCheckResult> round(int timedOut, int engineErrors, int healthy, int exited) {
        return Stream.of(
                Collections.nCopies(timedOut, check(HealthStatus.UNKNOWN, ErrorCategory.PROBE_TIMEOUT)),
                Collections.nCopies(engineErrors, check(HealthStatus.UNKNOWN, ErrorCategory.OTHER)),
                Collections.nCopies(healthy, check(HealthStatus.HEALTHY, ErrorCategory.NONE)),
                Collections.nCopies(exited, check(HealthStatus.FAILED, ErrorCategory.EXITED))).flatMap(List::stream).toList();
    }

    private static HealthCheckResult check(HealthStatus status, ErrorCategory category) {
        return SampleEvents.check("s", "check-1", java.time.Instant.EPOCH, false)
                .setStatus(status).setErrorCategory(category).build();
    }

    @Test
    void shouldTripWhenMoreThanTheShareOfProbesGotNoAnswerFromTheEngine() {
        EngineBreaker breaker = EngineBreaker.DEFAULT; // more than half, at least 2

        assertThat(breaker.trips(round(2, 1, 2, 0), "h-1")).hasValueSatisfying(why ->
                assertThat(why).contains("h-1").contains("3 of 5"));
        assertThat(breaker.trips(round(1, 1, 2, 0), "h-1")).as("half is not most").isEmpty();
        assertThat(breaker.trips(round(1, 0, 0, 0), "h-1")).as("one container alone stays its own").isEmpty();
        assertThat(breaker.trips(round(0, 0, 1, 9), "h-1")).as("containers that exited are real failures").isEmpty();
    }

    @Test
    void shouldMarkOnlyTheProbesTheEngineDidNotAnswer() {
        List<HealthCheckResult> marked = EngineBreaker.mark(round(3, 0, 1, 1), "engine slow");

        assertThat(marked).filteredOn(r -> r.getEngineTrouble() != null).hasSize(3)
                .allSatisfy(r -> assertThat(r.getErrorCategory()).isEqualTo(ErrorCategory.PROBE_TIMEOUT));
        assertThat(marked).filteredOn(r -> r.getStatus() != HealthStatus.UNKNOWN)
                .allSatisfy(r -> assertThat(r.getEngineTrouble()).isNull());
    }

    @Test
    void shouldReadItsSettingsAndRefuseBadOnesNamingTheVariable() {
        Map<String, String> env = Map.of("HOST_ID", "h-1", "AGENT_ENGINE_TROUBLE_SHARE", "0.25",
                "AGENT_ENGINE_TROUBLE_MIN_PROBES", "3");
        assertThat(AgentConfig.fromEnvironment(env).engineBreaker()).isEqualTo(new EngineBreaker(0.25, 3));

        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("HOST_ID", "h", "AGENT_ENGINE_TROUBLE_SHARE", "1.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("AGENT_ENGINE_TROUBLE_SHARE")
                .hasMessageContaining("from 0");
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("HOST_ID", "h", "AGENT_ENGINE_TROUBLE_MIN_PROBES", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("AGENT_ENGINE_TROUBLE_MIN_PROBES");
    }
}
