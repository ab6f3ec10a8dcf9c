package io.fleethealth.processor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthStatus;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class CheckSummarySerdeTest {

    private static final String TOPIC = "check-history-changelog";
    private final CheckSummarySerde serde = new CheckSummarySerde();

    private CheckSummary roundTrip(CheckSummary check) {
        return serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, check));
    }

    @Test
    void shouldRoundTripACheckWithNanosecondsAndAnErrorCategory() {
        CheckSummary check = new CheckSummary(Instant.parse("2025-03-01T12:00:00.123456789Z"), HealthStatus.UNHEALTHY,
                ErrorCategory.OOM_KILLED, 12.75);

        assertThat(roundTrip(check)).isEqualTo(check);
    }

    @Test
    void shouldRoundTripNullEnumsAndTimesBeforeTheEpoch() {
        CheckSummary check = new CheckSummary(Instant.ofEpochSecond(-5, 1), null, null, -0.0);

        assertThat(roundTrip(check)).isEqualTo(check);
    }

    @Test
    void shouldPassNullThroughAsATombstone() {
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void shouldWriteTheFormatVersionFirstAndStaySmall() {
        byte[] bytes = serde.serializer().serialize(TOPIC, new CheckSummary(Instant.EPOCH, HealthStatus.HEALTHY,
                ErrorCategory.NONE, 1.0));

        assertThat(bytes[0]).isEqualTo(CheckSummarySerde.VERSION);
        assertThat(bytes.length).isLessThan(40);
    }

    @Test
    void shouldReadTheJsonThatEarlierProcessorsStored() {
        CheckSummary check = new CheckSummary(Instant.parse("2025-03-01T12:00:00Z"), HealthStatus.HEALTHY,
                ErrorCategory.NONE, 3.5);
        byte[] json = new JsonSerde<>(CheckSummary.class).serializer().serialize(TOPIC, check);

        assertThat(serde.deserializer().deserialize(TOPIC, json)).isEqualTo(check);
    }

    @Test
    void shouldRefuseAnUnknownVersionAndTruncatedBytes() {
        byte[] bytes = serde.serializer().serialize(TOPIC, new CheckSummary(Instant.EPOCH, HealthStatus.HEALTHY,
                ErrorCategory.NONE, 1.0));
        byte[] newer = bytes.clone();
        newer[0] = 7;

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, newer))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format version 7");
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, java.util.Arrays.copyOf(bytes, 10)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("corrupt");
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[0]))
                .isInstanceOf(SerializationException.class);
    }
}
