package io.fleethealth.agent.publish;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One record waiting to be published. The value is serialized only when it is sent, so that a record waiting out a
 * registry outage is not lost.
 *
 * @param what a short description for logs, e.g. {@code check host-a/run1/7}
 */
public record Outbound(String topic, String key, Supplier<byte[]> value, String what) {

    public Outbound {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(what, "what");
    }
}
