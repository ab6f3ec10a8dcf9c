package io.fleethealth.processor.state;

import io.fleethealth.processor.decision.SessionState;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The session store's value serde: the decision's own codec, so the store and replays agree on the bytes. */
public final class SessionStateSerde implements Serde<SessionState> {

    private final SessionStateCodec codec = new SessionStateCodec();

    @Override
    public Serializer<SessionState> serializer() {
        return (topic, state) -> state == null ? null : codec.encode(state);
    }

    @Override
    public Deserializer<SessionState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : codec.decode(bytes);
    }
}
