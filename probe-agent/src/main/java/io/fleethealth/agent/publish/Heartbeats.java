package io.fleethealth.agent.publish;

import io.fleethealth.agent.probe.AgentIdentity;
import io.fleethealth.agent.probe.RoundReport;
import io.fleethealth.events.AgentHeartbeat;
import io.fleethealth.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;

/** Builds the per-interval heartbeat from the last round and publishes it keyed by host id. */
public final class Heartbeats implements Runnable {

    private final AgentIdentity identity;
    private final Duration interval;
    private final Supplier<Optional<RoundReport>> lastRound;
    private final Supplier<Optional<String>> engineVersion;
    private final KafkaPublisher publisher;
    private final Serializer<AgentHeartbeat> serializer;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param engineVersion the engine's version when it answers, empty otherwise (asked once per heartbeat)
     */
    public Heartbeats(AgentIdentity identity, Duration interval, Supplier<Optional<RoundReport>> lastRound,
                      Supplier<Optional<String>> engineVersion, KafkaPublisher publisher,
                      Serializer<AgentHeartbeat> serializer, Clock clock) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.lastRound = Objects.requireNonNull(lastRound, "lastRound");
        this.engineVersion = Objects.requireNonNull(engineVersion, "engineVersion");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public AgentHeartbeat next() {
        Optional<RoundReport> round = lastRound.get();
        Optional<String> version = engineVersion.get();
        return AgentHeartbeat.newBuilder()
                .setHostId(identity.hostId())
                .setAgentVersion(identity.agentVersion())
                .setSentAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setSequence(sequence.incrementAndGet())
                .setContainersMonitored(round.map(RoundReport::containersMonitored).orElse(0))
                .setEngineReachable(version.isPresent())
                .setEngineVersion(version.orElse(null))
                .setLastRoundAt(round.map(r -> r.startedAt().truncatedTo(ChronoUnit.MILLIS)).orElse(null))
                .setLastRoundDurationMs(round.map(r -> r.duration().toMillis()).orElse(null))
                .setIntervalSeconds((int) interval.toSeconds())
                .build();
    }

    @Override
    public void run() {
        AgentHeartbeat heartbeat = next();
        String topic = Topics.AGENT_HEARTBEATS.name();
        publisher.publish(new Outbound(topic, identity.hostId(), () -> serializer.serialize(topic, heartbeat),
                "heartbeat " + heartbeat.getSequence()));
    }
}
