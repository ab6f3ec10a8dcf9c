package io.fleethealth.processor.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

    @Test
    void shouldWriteWhatInstantToStringWritesForRandomInstantsOfEveryPrecision() {
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-100_000_000_000L, 300_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nano);
            assertThat(IsoInstant.format(instant)).as("%s", instant).isEqualTo(instant.toString());
        }
    }

    @Test
    void shouldWriteWhatInstantToStringWritesAtTheEdges() {
        for (Instant instant : List.of(Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(0, 999_999_999), Instant.ofEpochSecond(0, 100_000_000),
                Instant.ofEpochSecond(0, 10_000), Instant.parse("2025-03-01T00:00:00Z"),
                Instant.parse("2024-02-29T23:59:59.999Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN, Instant.MAX)) {
            assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
        }
    }
}
