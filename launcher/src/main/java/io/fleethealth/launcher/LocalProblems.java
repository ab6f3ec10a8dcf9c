package io.fleethealth.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What keeps the main job from working, in words a first-time user can act on: an unreachable Docker engine,
 * Kafka or schema registry, a processor that does not get to RUNNING. Shown above the terminal view (and
 * printed once when there is no terminal), so that nobody has to find the log file to learn why every row is
 * UNKNOWN. Reads plain suppliers so that it can be tested without the services.
 */
final class LocalProblems {

    /** What the agent knows: whether its last round reached the engine, and what the engine said. */
    record EngineState(boolean roundDone, boolean reachable, Optional<String> error) {
    }

    /** Before this much time has passed, a component still starting is not a problem yet. */
    static final Duration STARTUP_GRACE = Duration.ofSeconds(30);

    private final Supplier<EngineState> engine;
    private final BooleanSupplier kafkaAcknowledges;
    private final BooleanSupplier processorRunning;
    private final Supplier<String> processorState;
    private final Supplier<Optional<String>> registryProblem;
    private final String dockerHost;
    private final String bootstrap;
    private final URI registry;
    private final Clock clock;
    private final Instant startedAt;

    LocalProblems(Supplier<EngineState> engine, BooleanSupplier kafkaAcknowledges, BooleanSupplier processorRunning,
                  Supplier<String> processorState, Supplier<Optional<String>> registryProblem, String dockerHost,
                  String bootstrap, URI registry, Clock clock) {
        this.engine = engine;
        this.kafkaAcknowledges = kafkaAcknowledges;
        this.processorRunning = processorRunning;
        this.processorState = processorState;
        this.registryProblem = registryProblem;
        this.dockerHost = dockerHost;
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** The problems now, most basic first; empty when all is well. */
    List<String> now() {
        List<String> out = new ArrayList<>();
        boolean pastGrace = clock.instant().isAfter(startedAt.plus(STARTUP_GRACE));
        EngineState state = engine.get();
        if (state.roundDone() && !state.reachable()) {
            out.add("Docker engine unreachable at " + dockerHost + state.error().map(e -> " (" + e + ")").orElse("")
                    + ": start it, or point DOCKER_HOST at a running engine. Sessions stay UNKNOWN until it answers.");
        }
        registryProblem.get().ifPresent(problem -> out.add("Schema registry not reachable at " + registry + " ("
                + problem + "): nothing can be written or read. Check SCHEMA_REGISTRY_URL."));
        if (pastGrace && !kafkaAcknowledges.getAsBoolean()) {
            out.add("Kafka not reachable at " + bootstrap + ": the agent's results are not acknowledged."
                    + " Check KAFKA_BOOTSTRAP_SERVERS and that the brokers run.");
        }
        if (pastGrace && !processorRunning.getAsBoolean()) {
            out.add("health-processor still " + processorState.get() + " after " + STARTUP_GRACE.toSeconds()
                    + " s: is Kafka reachable at " + bootstrap + "?");
        }
        return out;
    }

    /** A GET of the registry's subject list with a short timeout: empty when it answers 200. */
    static Supplier<Optional<String>> httpProbe(URI registry) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI subjects = URI.create(registry.toString().replaceAll("/+$", "") + "/subjects");
        return () -> {
            try {
                int status = http.send(HttpRequest.newBuilder(subjects).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                return status == 200 ? Optional.empty() : Optional.of("HTTP " + status);
            } catch (java.io.IOException e) {
                return Optional.of(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        };
    }
}
