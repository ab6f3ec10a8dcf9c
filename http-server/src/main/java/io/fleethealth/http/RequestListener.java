package io.fleethealth.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Told of every answered request: the route's name ("unmatched" when none) and the status sent. */
@FunctionalInterface
public interface RequestListener {

    void answered(String route, int status);

    RequestListener NONE = (route, status) -> { };

    /** Counts requests in {@code registry} as {@code name{route, status}}. */
    static RequestListener counting(MeterRegistry registry, String name, String description) {
        return (route, status) -> Counter.builder(name)
                .description(description)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
    }
}
