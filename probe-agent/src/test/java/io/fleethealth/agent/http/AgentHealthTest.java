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

    private static AgentHealth health(boolean engine, Optional<String> delivery, Optional<String> commands) {
        return new AgentHealth(engine, delivery, commands, Optional.empty(), Optional.empty(), 0);
    }

    @Test
    void shouldBeUpOnlyWhenTheEngineAnswersChecksAreDeliveredAndCommandsAreRead() {
        assertThat(health(true, Optional.empty(), Optional.empty()).up()).isTrue();
        assertThat(health(false, Optional.empty(), Optional.empty()).up()).isFalse();
        assertThat(health(true, Optional.of("no delivery"), Optional.empty()).up()).isFalse();
        assertThat(health(true, Optional.empty(), Optional.of("loop down")).up()).isFalse();
    }

    @Test
    void shouldSayWhyItIsDown() throws Exception {
        AgentHealth down = health(false, Optional.of("no delivery acknowledged by Kafka for 16000 ms"),
                Optional.of("cannot decode restart command at p-0@3: registry \"down\""));

        assertThat(down.reasons()).containsExactly("docker engine unreachable in the last probe round",
                "no delivery acknowledged by Kafka for 16000 ms",
                "cannot decode restart command at p-0@3: registry \"down\"");
        assertThat(json(down)).contains("\"kafkaReachable\":false,\"delivering\":false,\"readingCommands\":false")
                .contains("registry \\\"down\\\"");
    }

    @Test
    void shouldRenderEveryFieldAsJson() throws Exception {
        AgentHealth health = new AgentHealth(true, Optional.of("deliveries failing"), Optional.empty(),
                Optional.of(Instant.parse("2024-05-01T12:00:00Z")), Optional.of(42L), 7);

        assertThat(json(health)).isEqualTo("{\"status\":\"DOWN\",\"engineReachable\":true,\"kafkaReachable\":false,"
                + "\"delivering\":false,\"readingCommands\":true,\"reasons\":[\"deliveries failing\"],"
                + "\"lastRoundAt\":\"2024-05-01T12:00:00Z\",\"lastRoundDurationMs\":42,\"containersMonitored\":7}");
        assertThat(json(health(true, Optional.empty(), Optional.empty())))
                .contains("\"status\":\"UP\"").contains("\"reasons\":[]").contains("\"lastRoundAt\":null");
    }
}
