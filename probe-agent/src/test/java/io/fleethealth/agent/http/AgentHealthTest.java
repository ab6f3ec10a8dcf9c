package io.fleethealth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentHealthTest {

    @Test
    void shouldBeUpOnlyWhenEngineAndKafkaBothAnswer() {
        assertThat(new AgentHealth(true, true, Optional.empty(), Optional.empty(), 0).up()).isTrue();
        assertThat(new AgentHealth(false, true, Optional.empty(), Optional.empty(), 0).up()).isFalse();
        assertThat(new AgentHealth(true, false, Optional.empty(), Optional.empty(), 0).up()).isFalse();
    }

    @Test
    void shouldRenderEveryFieldAsJson() {
        AgentHealth health = new AgentHealth(true, false, Optional.of(Instant.parse("2024-05-01T12:00:00Z")),
                Optional.of(42L), 7);

        assertThat(health.toJson()).isEqualTo("{\"status\":\"DOWN\",\"engineReachable\":true,\"kafkaReachable\":false,"
                + "\"lastRoundAt\":\"2024-05-01T12:00:00Z\",\"lastRoundDurationMs\":42,\"containersMonitored\":7}");
        assertThat(new AgentHealth(true, true, Optional.empty(), Optional.empty(), 0).toJson())
                .contains("\"status\":\"UP\"").contains("\"lastRoundAt\":null");
    }
}
