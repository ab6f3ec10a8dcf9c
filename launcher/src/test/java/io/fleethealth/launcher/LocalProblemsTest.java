package io.fleethealth.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LocalProblemsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Clock clock = new Clock() {
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
            return now.get();
        }
    };
    private final AtomicReference<LocalProblems.EngineState> engine =
            new AtomicReference<>(new LocalProblems.EngineState(false, false, Optional.empty()));
    private final AtomicBoolean kafka = new AtomicBoolean(false);
    private final AtomicBoolean running = new AtomicBoolean(false);
    private final AtomicReference<Optional<String>> registry = new AtomicReference<>(Optional.empty());

    private LocalProblems problems() {
        return new LocalProblems(engine::get, kafka::get, running::get, () -> "REBALANCING", registry::get,
                "unix:///run/missing.sock", "127.0.0.1:9092", URI.create("http://127.0.0.1:8081/apis/ccompat/v7"), clock);
    }

    @Test
    void shouldNameTheUnreachableEngineWithItsAddressAndWhatItSaid() {
        LocalProblems problems = problems();
        assertThat(problems.now()).as("nothing to say before the first round").isEmpty();

        engine.set(new LocalProblems.EngineState(true, false, Optional.of("connect: no such file or directory")));

        assertThat(problems.now()).singleElement().asString()
                .startsWith("Docker engine unreachable at unix:///run/missing.sock (connect: no such file or directory)")
                .contains("DOCKER_HOST");
    }

    @Test
    void shouldBlameKafkaAndTheRegistryOnlyOnceTheStartIsOver() {
        LocalProblems problems = problems();
        engine.set(new LocalProblems.EngineState(true, true, Optional.empty()));
        assertThat(problems.now()).isEmpty();

        registry.set(Optional.of("ConnectException"));
        now.set(T0.plus(LocalProblems.STARTUP_GRACE).plus(Duration.ofSeconds(1)));

        List<String> said = problems.now();
        assertThat(said).hasSize(3);
        assertThat(said.get(0)).startsWith("Schema registry not reachable at http://127.0.0.1:8081/apis/ccompat/v7 (ConnectException)");
        assertThat(said.get(1)).startsWith("Kafka not reachable at 127.0.0.1:9092");
        assertThat(said.get(2)).startsWith("health-processor still REBALANCING after 30 s");

        registry.set(Optional.empty());
        kafka.set(true);
        running.set(true);
        assertThat(problems.now()).isEmpty();
    }

    @Test
    void shouldPrintTheLogFilesAbsolutePath() {
        assertThat(FleetHealthLocal.logFile(java.util.Map.of("FLEET_LOCAL_DIR", "/srv/fleet")))
                .isEqualTo(java.nio.file.Path.of("/srv/fleet/fleet-health.log"));
        java.nio.file.Path byDefault = FleetHealthLocal.logFile(java.util.Map.of());
        assertThat(byDefault.isAbsolute()).isTrue();
        assertThat(byDefault.toString()).endsWith("/.local/fleet-health.log");
    }
}
