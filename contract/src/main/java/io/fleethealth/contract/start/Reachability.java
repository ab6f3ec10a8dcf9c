package io.fleethealth.contract.start;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Waits, at start, for the services a runnable cannot work without, within a deadline: a runnable that
 * cannot reach them fails at once with one line instead of running half-started.
 */
public final class Reachability {

    private Reachability() {
    }

    /**
     * Returns when the Kafka cluster answers a metadata request.
     *
     * @throws StartupException when it does not answer within {@code deadline}
     */
    public static void awaitKafka(String bootstrapServers, Duration deadline, String settingKey) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, deadline.toMillis()));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis, 5_000));
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "fleet-health-start-check");
        Admin admin = Admin.create(props);
        try {
            admin.describeCluster().clusterId().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for Kafka at " + bootstrapServers);
        } catch (ExecutionException | TimeoutException e) {
            throw new StartupException("Kafka at " + bootstrapServers + " (" + settingKey + ") is not reachable within "
                    + deadline.toSeconds() + " s");
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    /**
     * Returns when the schema registry answers HTTP (any status below 500: the Confluent API root may answer 404).
     *
     * @param shownUrl the URL as it may be printed (credentials masked)
     * @throws StartupException when it does not answer within {@code deadline}
     */
    public static void awaitRegistry(URI registryUrl, String shownUrl, Duration deadline, String settingKey) {
        Instant end = Instant.now().plus(deadline);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI subjects = URI.create(registryUrl.toString().replaceAll("/+$", "") + "/subjects");
        String lastProblem = "no answer";
        while (true) {
            Duration left = Duration.between(Instant.now(), end);
            if (left.isNegative() || left.isZero()) {
                throw new StartupException("schema registry at " + shownUrl + " (" + settingKey + ") is not reachable within "
                        + deadline.toSeconds() + " s: " + lastProblem);
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(subjects).timeout(min(left, Duration.ofSeconds(5))).GET().build();
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status < 500) {
                    return;
                }
                lastProblem = "HTTP " + status;
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("interrupted while waiting for the schema registry at " + shownUrl);
            }
            try {
                Thread.sleep(Math.min(250, Math.max(1, Duration.between(Instant.now(), end).toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("interrupted while waiting for the schema registry at " + shownUrl);
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
