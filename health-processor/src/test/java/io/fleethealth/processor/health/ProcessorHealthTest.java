package io.fleethealth.processor.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.processor.health.ProcessorHealth.Sample;
import io.fleethealth.processor.health.ProcessorHealth.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Health that tells the truth: RUNNING alone is not UP. Bound 1,000 records, stall 60 s. */
class ProcessorHealthTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private final ProcessorHealth health = new ProcessorHealth(1_000, Duration.ofSeconds(60));

    private static Sample running(long seconds, double lag, double processed, double commits, int connections) {
        return new Sample("RUNNING", true, lag, processed, commits, connections, T0.plusSeconds(seconds));
    }

    @Test
    void shouldBeUpWhileRunningCaughtUpAndCommitting() {
        assertThat(health.assess(running(0, 0, 10, 1, 2)).up()).isTrue();
        assertThat(health.assess(running(30, 5, 500, 50, 2))).isEqualTo(new Verdict(true, java.util.List.of()));
        assertThat(health.assess(running(600, 0, 500, 50, 2)).up()).as("idle: nothing to commit").isTrue();
    }

    @Test
    void shouldBeDownWhileTheInputLagsBeyondTheBound() {
        Verdict verdict = health.assess(running(0, 5_000, 10, 1, 2));

        assertThat(verdict.up()).isFalse();
        assertThat(verdict.reasons()).singleElement().asString().contains("5000 records behind").contains("1000");
    }

    @Test
    void shouldBeDownWhenProcessedRecordsAreNotCommittedForTheStallPeriod() {
        health.assess(running(0, 0, 100, 10, 2));
        assertThat(health.assess(running(50, 0, 200, 10, 2)).up()).as("not yet the stall period").isTrue();

        Verdict stalled = health.assess(running(61, 0, 300, 10, 2));

        assertThat(stalled.up()).isFalse();
        assertThat(stalled.reasons()).singleElement().asString().contains("nothing committed for 61 s");
        assertThat(health.assess(running(62, 0, 300, 11, 2)).up()).as("a commit went through").isTrue();
    }

    @Test
    void shouldBeDownWithoutABrokerConnectionForTheStallPeriodThoughStreamsSaysRunning() {
        health.assess(running(0, 0, 100, 10, 2));
        health.assess(running(10, 0, 100, 10, 0));

        Verdict verdict = health.assess(running(71, 0, 100, 10, 0));

        assertThat(verdict.up()).isFalse();
        assertThat(verdict.reasons()).singleElement().asString().contains("no connection to the Kafka broker for 71 s");
    }

    @Test
    void shouldBeDownWhenStreamsDoesNotRun() {
        Verdict verdict = health.assess(new Sample("ERROR", false, Double.NaN, 0, 0, 0, T0));

        assertThat(verdict.up()).isFalse();
        assertThat(verdict.reasons()).containsExactly("Kafka Streams is ERROR");
    }
}
