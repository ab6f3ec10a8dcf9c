package io.fleethealth.cli.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.cli.replay.TopicDecisionSink;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void shouldParseIsoInstantsNowAndTimesRelativeToNow() {
        assertThat(TimeRange.parseInstant("2025-02-28T10:00:00Z", NOW)).isEqualTo(Instant.parse("2025-02-28T10:00:00Z"));
        assertThat(TimeRange.parseInstant("now", NOW)).isEqualTo(NOW);
        assertThat(TimeRange.parseInstant("-90s", NOW)).isEqualTo(NOW.minusSeconds(90));
        assertThat(TimeRange.parseInstant("-15m", NOW)).isEqualTo(NOW.minusSeconds(900));
        assertThat(TimeRange.parseInstant("-1h", NOW)).isEqualTo(NOW.minusSeconds(3600));
        assertThat(TimeRange.parseInstant("-2d", NOW)).isEqualTo(NOW.minusSeconds(2 * 86400));
    }

    @Test
    void shouldRejectSomethingThatIsNotATimeWithTheAcceptedForms() {
        assertThatThrownBy(() -> TimeRange.parseInstant("yesterday", NOW)).hasMessageContaining("-1h");
        assertThatThrownBy(() -> new TimeRange(NOW, NOW.minusSeconds(1))).hasMessageContaining("before it starts");
    }

    @Test
    void shouldIncludeTheStartAndLeaveOutTheEnd() {
        TimeRange range = new TimeRange(NOW, NOW.plusSeconds(10));
        assertThat(range.contains(NOW)).isTrue();
        assertThat(range.contains(NOW.plusSeconds(10))).isFalse();
    }

    @Test
    void shouldNeverLetAReplayWriteToTheLiveTopics() {
        assertThatThrownBy(() -> TopicDecisionSink.checkPrefix("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> TopicDecisionSink.checkPrefix("fleet.")).hasMessageContaining("live fleet.*");
        assertThatThrownBy(() -> TopicDecisionSink.checkPrefix("replay/x")).hasMessageContaining("may only hold");
        assertThat(TopicDecisionSink.checkPrefix("replay.threshold5.")).isEqualTo("replay.threshold5.");
    }
}
