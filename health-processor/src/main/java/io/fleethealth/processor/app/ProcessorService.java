package io.fleethealth.processor.app;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.processor.api.AlertForwarder;
import io.fleethealth.processor.api.AlertForwarderSettings;
import io.fleethealth.processor.api.AlertLinks;
import io.fleethealth.processor.api.FleetQueries;
import io.fleethealth.processor.api.ApiTls;
import io.fleethealth.processor.api.HttpApi;
import io.fleethealth.processor.api.PeerSignature;
import io.fleethealth.processor.api.HttpApiSettings;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.metrics.KafkaClientMetrics;
import io.fleethealth.processor.metrics.SessionGauges;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.SchemaRegistryClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private final HealthProcessorApp app;
    private final StoreQueries queries;
    private final KafkaSessionControls controls;
    private final HttpApi api;
    private final AlertFeed alertFeed;
    private final Optional<AlertForwarder> forwarder;

    private ProcessorService(HealthProcessorApp app, StoreQueries queries, KafkaSessionControls controls, HttpApi api, AlertFeed alertFeed,
                             Optional<AlertForwarder> forwarder) {
        this.app = app;
        this.queries = queries;
        this.controls = controls;
        this.api = api;
        this.alertFeed = alertFeed;
        this.forwarder = forwarder;
    }

    /**
     * Starts everything; the HTTP API answers (503 DOWN) before Streams is RUNNING, so a probe can watch it come up.
     *
     * @param env the environment, for the alert forwarder's settings
     */
    public static ProcessorService start(ProcessorConfig config, KafkaClientSettings kafka, SchemaRegistryClient registry,
                                         Map<String, String> env) {
        // Read first: a bad TLS setting must stop the start before anything runs.
        HttpApiSettings apiSettings = new HttpApiSettings(config.httpHost(), config.httpPort(), config.adminToken())
                .withSecurity(ApiTls.fromEnv(env), PeerSignature.fromEnv(env, config.adminToken()));
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.config().meterFilter(KafkaClientMetrics.filter(config.kafkaMetrics()));
        EventSerdes serdes = new EventSerdes(registry);
        HealthProcessorApp app = new HealthProcessorApp(config, kafka, registry, meters);
        StoreQueries queries = new StoreQueries(app.streams(), new HostInfo(config.advertisedHost(), config.httpPort()),
                app.metrics(), app.counts());
        SessionGauges.register(meters, queries::sessionCounts, Clock.systemUTC(), SESSION_COUNT_MAX_AGE);
        KafkaSessionControls controls = new KafkaSessionControls(kafka, serdes, Clock.systemUTC());
        HttpApi api;
        try {
            api = new HttpApi(apiSettings, queries, controls, meters);
        } catch (IOException e) {
            controls.close();
            app.close();
            throw new UncheckedIOException("cannot serve the HTTP API on " + config.httpHost() + ":"
                    + config.httpPort() + " (PROCESSOR_HTTP_HOST / PROCESSOR_HTTP_PORT)", e);
        }
        AlertLinks links = new AlertLinks(config.publicUrl(), config.runbookUrl());
        Optional<AlertForwarder> forwarder = AlertForwarderSettings.fromEnvironment(env)
                .map(settings -> new AlertForwarder(settings, links));
        forwarder.ifPresent(f -> f.bindTo(meters));
        AlertFeed feed = new AlertFeed(kafka, config.applicationId() + "-alert-feed", serdes,
                queries::remember, alerts -> forwarder.isEmpty() || !forwarder.get().deliver(alerts).retryLater());
        app.start();
        feed.start();
        log.info("health-processor API on {}", api.uri());
        return new ProcessorService(app, queries, controls, api, feed, forwarder);
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

    @Override
    public void close() {
        api.close();
        try {
            alertFeed.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.close();
        controls.close();
    }
}
