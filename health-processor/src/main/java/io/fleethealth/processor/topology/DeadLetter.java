package io.fleethealth.processor.topology;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Why an input record could not be processed. It travels to the dead-letter topic as headers beside
 * the untouched original bytes, so that nothing is lost and the record can be repaired and replayed.
 */
public record DeadLetter(String reason, String detail) {

    public static final String REASON_HEADER = "fleet.dlq.reason";
    public static final String DETAIL_HEADER = "fleet.dlq.detail";
    public static final String SOURCE_TOPIC_HEADER = "fleet.dlq.source.topic";
    public static final String SOURCE_PARTITION_HEADER = "fleet.dlq.source.partition";
    public static final String SOURCE_OFFSET_HEADER = "fleet.dlq.source.offset";

    /** Reasons, stable strings that a consumer of the dead-letter topic can switch on. */
    public static final String UNDESERIALIZABLE = "undeserializable";
    public static final String INVALID = "invalid";
    /** The schema registry could not be asked (or failed): the record itself may be fine; replay it later. */
    public static final String REGISTRY_ERROR = "registry-error";
    /** What the record's decision emits could not be encoded: nothing of the decision was kept. */
    public static final String OUTPUT_UNENCODABLE = "output-unencodable";

    public Headers toHeaders(Optional<RecordMetadata> source) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, bytes(reason));
        headers.add(DETAIL_HEADER, bytes(detail));
        source.ifPresent(meta -> {
            headers.add(SOURCE_TOPIC_HEADER, bytes(meta.topic()));
            headers.add(SOURCE_PARTITION_HEADER, bytes(Integer.toString(meta.partition())));
            headers.add(SOURCE_OFFSET_HEADER, bytes(Long.toString(meta.offset())));
        });
        return headers;
    }

    private static byte[] bytes(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
