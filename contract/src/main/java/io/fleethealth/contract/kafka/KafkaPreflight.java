package io.fleethealth.contract.kafka;

import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.SharedSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.KafkaException;

/**
 * Checks at start that the cluster answers with the configured security, so that a wrong password or a wrong
 * {@code security.protocol} stops a runnable at once with one clear line instead of clients retrying forever.
 * A plaintext client against a TLS or SASL listener sees nothing but closed connections, so "no answer within
 * the deadline" is reported with that likely cause.
 */
public final class KafkaPreflight {

    /** Declared once with the other shared settings. */
    public static final Setting<Duration> STARTUP_TIMEOUT = SharedSettings.START_TIMEOUT;
    public static final Duration DEFAULT_DEADLINE = STARTUP_TIMEOUT.defaultValue().apply(null);

    private KafkaPreflight() {
    }

    /** Why the cluster could not be used; the message is one line and never holds a secret. */
    public static final class KafkaUnavailableException extends RuntimeException {
        public KafkaUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The deadline of {@link #STARTUP_TIMEOUT} from {@code env}. */
    public static Duration deadline(Map<String, String> env) {
        return STARTUP_TIMEOUT.resolve(env.get(STARTUP_TIMEOUT.key()), null);
    }

    /**
     * Asks the cluster to describe itself within {@code deadline}.
     *
     * @throws KafkaUnavailableException when the credentials are refused or nothing answers in time
     */
    public static void check(KafkaClientSettings kafka, Duration deadline) {
        Map<String, Object> props = kafka.clientProperties();
        int ms = (int) Math.max(1, deadline.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "fleet-health-preflight");
        String where = "Kafka at " + kafka.bootstrapServers() + " (security.protocol=" + kafka.securityProtocol()
                + mechanism(kafka) + ")";
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes()
                    .get(deadline.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw explain(where, deadline, e.getCause());
        } catch (TimeoutException e) {
            throw explain(where, deadline, e);
        } catch (KafkaException e) {
            // Raised by Admin.create: an unusable ssl.* or sasl.* setting (missing key store, bad JAAS text).
            throw new KafkaUnavailableException(where + ": the client cannot be built from its settings: "
                    + oneLine(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while checking " + where, e);
        }
    }

    private static KafkaUnavailableException explain(String where, Duration deadline, Throwable cause) {
        if (cause instanceof AuthenticationException) {
            return new KafkaUnavailableException(where + " refused the client's credentials: " + oneLine(cause)
                    + " (check the user name, password or certificate)", cause);
        }
        if (cause instanceof AuthorizationException) {
            return new KafkaUnavailableException(where + " denied this principal: " + oneLine(cause), cause);
        }
        return new KafkaUnavailableException(where + " did not answer within " + deadline.toSeconds() + " s: the"
                + " cluster is unreachable, or its listener expects another security.protocol (a plaintext client"
                + " against a TLS or SASL listener only sees closed connections)", cause);
    }

    private static String mechanism(KafkaClientSettings kafka) {
        Object m = kafka.clientProperties().get("sasl.mechanism");
        return kafka.securityProtocol().startsWith("SASL") ? ", sasl.mechanism=" + (m == null ? "GSSAPI" : m) : "";
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }
}
