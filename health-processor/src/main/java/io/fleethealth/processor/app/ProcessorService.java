package io.fleethealth.processor.app;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.start.StartedParts;
import io.fleethealth.contract.start.StartupException;
import io.fleethealth.processor.api.AlertForwarder;
import io.fleethealth.processor.api.AlertLinks;
import io.fleethealth.processor.metrics.KafkaClientMetrics;
import io.fleethealth.processor.api.FleetQueries;
import io.fleethealth.processor.api.ApiTls;
import io.fleethealth.processor.api.HttpApi;
import io.fleethealth.processor.api.PeerSignature;
import io.fleethealth.processor.api.HttpApiSettings;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.health.ProcessorHealth;
import io.fleethealth.processor.health.StreamsHealthProbe;
import io.fleethealth.processor.metrics.SessionGauges;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.SchemaRegistryClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole health-processor: the Streams app, the operators' HTTP API over its stores, the alert feed
 * and the optional alert forwarder. Started by {@code ProcessorMain}, or in-process by the local launcher.
 */
public final class ProcessorService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessorService.class);
    /** The counts are kept as decisions are made; one snapshot serves all the gauges of a scrape. */
    private static final Duration SESSION_COUNT_MAX_AGE = Duration.ofSeconds(1);

    private final StartedParts parts;
    private final HealthProcessorApp app;
    private final StoreQueries queries;
    private final HttpApi api;

    private ProcessorService(StartedParts parts, HealthProcessorApp app, StoreQueries queries, HttpApi api) {
        this.parts = parts;
        this.app = app;
        this.queries = queries;
        this.api = api;
    }

    /**
     * Starts everything, all or nothing: each part is built in order and, if a later one fails (the HTTP port is
     * taken, say), the ones already built are closed in reverse before the failure is rethrown. The settings were
     * all validated before (in {@link ProcessorConfig}), so nothing here fails on a bad value. The HTTP API answers
     * (503 DOWN) before Streams is RUNNING, so a probe can watch it come up.
     *
     * @param env the environment, for the API's TLS and peer signature
     * @throws StartupException when the HTTP API cannot bind its address
     */
    public static ProcessorService start(ProcessorConfig config, KafkaClientSettings kafka, SchemaRegistryClient registry,
                                         Map<String, String> env) {
        // Read first: a bad TLS setting must stop the start before anything runs.
        HttpApiSettings apiSettings = new HttpApiSettings(config.httpHost(), config.httpPort(), config.adminToken())
                .withSecurity(ApiTls.fromEnv(env), PeerSignature.fromEnv(env, config.adminToken()));
        StartedParts parts = new StartedParts("health-processor");
        try {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            meters.config().meterFilter(KafkaClientMetrics.filter(config.kafkaMetrics()));
            parts.add("meters", meters::close);
            EventSerdes serdes = new EventSerdes(registry);
            HealthProcessorApp app = parts.add("Kafka Streams",
                    new HealthProcessorApp(config, kafka, registry, meters));
            StreamsHealthProbe health = new StreamsHealthProbe(app.streams(),
                    new ProcessorHealth(config.healthMaxLag(), config.healthCommitStall()), Clock.systemUTC());
            StoreQueries queries = new StoreQueries(app.streams(),
                    new HostInfo(config.advertisedHost(), config.httpPort()), app.metrics(), app.counts(),
                    health::assess);
            SessionGauges.register(meters, queries::sessionCounts, Clock.systemUTC(), SESSION_COUNT_MAX_AGE);
            KafkaSessionControls controls = parts.add("session controls",
                    new KafkaSessionControls(kafka, serdes, Clock.systemUTC()));
            HttpApi api = parts.add("HTTP API", bindApi(config, apiSettings, queries, controls, meters));
            AlertLinks links = new AlertLinks(config.publicUrl(), config.runbookUrl());
            Optional<AlertForwarder> forwarder = config.alertForwarder().map(settings -> new AlertForwarder(settings, links));
            forwarder.ifPresent(f -> f.bindTo(meters));
            // The feed delivers each poll through the forwarder on its own thread and commits only what was delivered.
            AlertFeed feed = parts.add("alert feed", new AlertFeed(kafka, config.applicationId() + "-alert-feed", serdes,
                    queries::remember, alerts -> forwarder.isEmpty() || !forwarder.get().deliver(alerts).retryLater()));
            app.start();
            feed.start();
            log.info("health-processor API on {}", api.uri());
            return new ProcessorService(parts, app, queries, api);
        } catch (RuntimeException | Error e) {
            parts.close();
            throw e;
        }
    }

    private static HttpApi bindApi(ProcessorConfig config, HttpApiSettings apiSettings, StoreQueries queries,
                                   KafkaSessionControls controls, PrometheusMeterRegistry meters) {
        try {
            return new HttpApi(apiSettings, queries, controls, meters);
        } catch (IOException e) {
            throw StartupException.because("cannot serve the HTTP API on " + config.httpHost() + ":" + config.httpPort()
                    + " (" + ProcessorConfig.HTTP_HOST.key() + " / " + ProcessorConfig.HTTP_PORT.key() + ")", e);
        }
    }

    public HealthProcessorApp app() {
        return app;
    }

    /** What the API reads: this instance's view of the fleet. */
    public FleetQueries queries() {
        return queries;
    }

    public URI apiUri() {
        return api.uri();
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return app.awaitRunning(timeout);
    }

    /** Closes every part in the reverse order of the start: alert feed, HTTP API, controls, Streams. */
    @Override
    public void close() {
        parts.close();
    }
}
