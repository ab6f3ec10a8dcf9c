package io.fleethealth.processor.api;

import io.fleethealth.events.HealthStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the HTTP API reads, implemented over the Kafka Streams state stores (interactive queries).
 * Every method is called on an HTTP worker thread and must not block for long; implementations answer
 * from local stores and throw {@link io.fleethealth.http.NotReadyException} while stores are not queryable
 * (Kafka Streams starting or rebalancing), which the API answers with 503. Any other exception is a bug (500).
 */
public interface FleetQueries {

    /** The session with its recent history, if this instance holds it. */
    Optional<SessionView> session(String sessionId);

    /** The sessions this instance knows of, only those in {@code status} when given; history may be empty. */
    List<SessionView> sessions(Optional<HealthStatus> status);

    /**
     * One page of the sessions this instance holds, in session-id order, only those in {@code status} when given,
     * starting after {@code afterSessionId} when given, at most {@code limit}; history empty.
     */
    SessionPage sessions(Optional<HealthStatus> status, Optional<String> afterSessionId, int limit);

    /** Number of sessions per status, kept as decisions are made (no store scan); statuses without sessions may be absent. */
    Map<HealthStatus, Long> countsByStatus();

    HostsView hosts();

    StatsView stats();

    /** KafkaStreams.State name, e.g. RUNNING, REBALANCING, ERROR. */
    String streamsState();

    /**
     * True while the processor does its work (Streams running, input not lagging beyond the bound, commits
     * going through): {@code GET /health} says UP.
     */
    boolean running();

    /** Why {@link #running()} is false; empty when it is true. */
    default List<String> healthReasons() {
        return List.of();
    }

    /** The latest changes of alerts (fired, changed, resolved), newest first, at most {@code limit}. */
    List<AlertView> recentAlerts(int limit);

    /** The alerts firing now, one per fingerprint, most urgent first. */
    List<AlertView> activeAlerts();

    /**
     * The other instance whose stores hold this session's key (from {@code KafkaStreams.queryMetadataForKey}),
     * or empty when this instance holds it or nobody is known to: then the API answers locally.
     */
    Optional<RemoteOwner> ownerOf(String sessionId);
}
