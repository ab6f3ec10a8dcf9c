package io.fleethealth.processor.api;

import io.fleethealth.events.HealthStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the HTTP API reads, implemented over the Kafka Streams state stores (interactive queries).
 * Every method is called on an HTTP worker thread and must not block for long; implementations answer
 * from local stores and may throw {@link IllegalStateException} while stores are not queryable
 * (rebalancing), which the API turns into 503.
 */
public interface FleetQueries {

    /** The session with its recent history, if this instance holds it. */
    Optional<SessionView> session(String sessionId);

    /** The sessions this instance knows of, only those in {@code status} when given; history may be empty. */
    List<SessionView> sessions(Optional<HealthStatus> status);

    /** Number of sessions per status; statuses without sessions may be absent. */
    Map<HealthStatus, Long> countsByStatus();

    HostsView hosts();

    StatsView stats();

    /** KafkaStreams.State name, e.g. RUNNING, REBALANCING, ERROR. */
    String streamsState();

    /** True while the Streams application runs (RUNNING or REBALANCING): {@code GET /health} says UP. */
    boolean running();

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
