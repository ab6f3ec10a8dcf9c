package io.fleethealth.contract.start;

import io.fleethealth.serde.RegistryAccess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits, at start, for the schema registry within a deadline (the Kafka cluster is checked, with its security
 * settings, by {@code KafkaPreflight}): a runnable that cannot reach it fails at once with one line instead of
 * running half-started.
 */
public final class Reachability {

    private Reachability() {
    }

    /**
     * Returns when the schema registry answers HTTP (any status below 500: the Confluent API root may answer 404,
     * and a credential problem is the registry client's to report).
     *
     * @param shownUrl the URL as it may be printed (credentials masked)
     * @throws StartupException when it does not answer within {@code deadline}
     */
    public static void awaitRegistry(URI registryUrl, String shownUrl, RegistryAccess access, Duration deadline,
                                     String settingKey) {
        Instant end = Instant.now().plus(deadline);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        access.sslContext().ifPresent(builder::sslContext);
        HttpClient http = builder.build();
        URI subjects = URI.create(registryUrl.toString().replaceAll("/+$", "") + "/subjects");
        String lastProblem = "no answer";
        while (true) {
            Duration left = Duration.between(Instant.now(), end);
            if (left.isNegative() || left.isZero()) {
                throw new StartupException("schema registry at " + shownUrl + " (" + settingKey + ") is not reachable within "
                        + deadline.toSeconds() + " s: " + lastProblem);
            }
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(subjects).timeout(min(left, Duration.ofSeconds(5))).GET();
                access.authorization().ifPresent(value -> request.header("Authorization", value));
                int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
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
