package io.fleethealth.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.http.Json;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentHealthTest {

    /** As the HTTP server writes it: the one JSON mapper of the HTTP stack. */
    private static String json(AgentHealth health) throws Exception {
        return Json.mapper().writeValueAsString(health.body());
    }

    @Test
    void shouldBeUpOnlyWhenEngineAndKafkaBothAnswer() {
        assertThat(new AgentHealth(true, true, Optional.empty(), Optional.empty(), 0).up()).isTrue();
        assertThat(new AgentHealth(false, true, Optional.empty(), Optional.empty(), 0).up()).isFalse();
        assertThat(new AgentHealth(true, false, Optional.empty(), Optional.empty(), 0).up()).isFalse();
    }

    @Test
    void shouldRenderEveryFieldAsJson() throws Exception {
        AgentHealth health = new AgentHealth(true, false, Optional.of(Instant.parse("2024-05-01T12:00:00Z")),
                Optional.of(42L), 7);

        assertThat(json(health)).isEqualTo("{\"status\":\"DOWN\",\"engineReachable\":true,\"kafkaReachable\":false,"
                + "\"lastRoundAt\":\"2024-05-01T12:00:00Z\",\"lastRoundDurationMs\":42,\"containersMonitored\":7}");
        assertThat(json(new AgentHealth(true, true, Optional.empty(), Optional.empty(), 0)))
                .contains("\"status\":\"UP\"").contains("\"lastRoundAt\":null");
    }
}
