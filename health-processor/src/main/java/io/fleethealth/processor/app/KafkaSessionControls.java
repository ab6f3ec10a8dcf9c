package io.fleethealth.processor.app;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.events.ControlAction;
import io.fleethealth.events.SessionControl;
import io.fleethealth.processor.api.SessionControls;
import io.fleethealth.processor.brake.BrakeSignal;
import io.fleethealth.processor.brake.GroupKey;
import io.fleethealth.processor.state.JsonSerde;
import io.fleethealth.processor.topology.BrakeTopology;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Operators' actions become {@link SessionControl} records on their topic; the session's own task
 * applies them in order with its checks, so an action is never lost in a race with a decision.
 */
public final class KafkaSessionControls implements SessionControls, AutoCloseable {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<String, SessionControl> producer;
    private final Clock clock;
    private final KafkaProducer<String, BrakeSignal> brakeProducer;

    public KafkaSessionControls(KafkaClientSettings kafka, EventSerdes serdes, Clock clock) {
        Properties props = kafka.asProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "health-processor-controls");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), serdes.valueSerializer(Topics.SESSION_CONTROL));
        this.clock = clock;
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "health-processor-brake-controls");
        this.brakeProducer = new KafkaProducer<>(props, new StringSerializer(), new JsonSerde<>(BrakeSignal.class).serializer());
    }

    /** The release goes on the brake's own partition, in order with the signals it decides on. */
    @Override
    public void releaseIncident(String group, String actor) {
        BrakeSignal release = BrakeSignal.release(GroupKey.parse(group), actor, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        try {
            brakeProducer.send(new ProducerRecord<>(BrakeTopology.SIGNALS_TOPIC, 0, "fleet", release))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while releasing the incident of " + group, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not send the release of " + group + " to "
                    + BrakeTopology.SIGNALS_TOPIC, e);
        }
    }

    @Override
    public void reset(String sessionId, String actor, String reason) {
        send(sessionId, ControlAction.RESET, actor, reason);
    }

    @Override
    public void pause(String sessionId, boolean paused, String actor, String reason) {
        send(sessionId, paused ? ControlAction.PAUSE : ControlAction.RESUME, actor, reason);
    }

    /** Produces one control and waits until the broker has it, so a 202 means it is durable. */
    public void send(String sessionId, ControlAction action, String actor, String reason) {
        SessionControl control = SessionControl.newBuilder()
                .setControlId(UUID.randomUUID().toString())
                .setSessionId(sessionId)
                .setAction(action)
                .setActor(actor)
                .setReason(reason)
                .setRequestedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build();
        try {
            producer.send(new ProducerRecord<>(Topics.SESSION_CONTROL.name(), sessionId, control))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + action + " for session " + sessionId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not send " + action + " for session " + sessionId + " to "
                    + Topics.SESSION_CONTROL.name(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        brakeProducer.close(Duration.ofSeconds(5));
    }
}
