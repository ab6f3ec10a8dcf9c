package io.fleethealth.agent.publish;

import io.fleethealth.agent.probe.ProbeResultSink;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.topics.Topics;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;

/** Hands probe results to the publisher, keyed by session id on {@code fleet.health.checks}. */
public final class HealthCheckPublisher implements ProbeResultSink {

    private final KafkaPublisher publisher;
    private final Serializer<HealthCheckResult> serializer;

    public HealthCheckPublisher(KafkaPublisher publisher, Serializer<HealthCheckResult> serializer) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    @Override
    public void accept(HealthCheckResult result) {
        String topic = Topics.HEALTH_CHECKS.name();
        publisher.publish(new Outbound(topic, result.getSessionId(), () -> serializer.serialize(topic, result),
                "check " + result.getCheckId()));
    }
}
