package io.fleethealth.http;

/** The routes of one concern (sessions, hosts, metrics ...): a small class that adds them to the server's table. */
@FunctionalInterface
public interface RouteGroup {

    void addTo(Routes routes);
}
