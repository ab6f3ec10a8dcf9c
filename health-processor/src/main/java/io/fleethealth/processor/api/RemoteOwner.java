package io.fleethealth.processor.api;

import java.net.URI;
import java.util.Objects;

/** Another processor instance (its {@code application.server}) whose state stores hold a session. */
public record RemoteOwner(String host, int port) {

    public RemoteOwner {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
    }

    URI uri(String rawPathAndQuery) {
        return uri("http", rawPathAndQuery);
    }

    URI uri(String scheme, String rawPathAndQuery) {
        String authority = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create(scheme + "://" + authority + ":" + port + rawPathAndQuery);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
