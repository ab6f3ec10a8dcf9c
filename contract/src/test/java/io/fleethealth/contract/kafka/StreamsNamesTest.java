package io.fleethealth.contract.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The contract's copy of what Kafka Streams accepts equals Kafka Streams' own, for the version in the build. */
class StreamsNamesTest {

    @Test
    void shouldKnowEveryStreamsPropertyAndNoOther() {
        assertThat(StreamsNames.PROPERTIES).containsExactlyInAnyOrderElementsOf(StreamsConfig.configDef().names());
    }

    @Test
    void shouldKnowTheClientPrefixesOfStreams() {
        assertThat(StreamsNames.CLIENT_PREFIXES).containsExactlyInAnyOrderElementsOf(List.of(
                StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
                StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX, StreamsConfig.CONSUMER_PREFIX,
                StreamsConfig.ADMIN_CLIENT_PREFIX));
    }
}
