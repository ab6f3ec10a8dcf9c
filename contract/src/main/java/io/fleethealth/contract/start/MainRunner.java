package io.fleethealth.contract.start;

import io.fleethealth.contract.kafka.KafkaPreflight;
import io.fleethealth.contract.settings.ConfigException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a runnable's {@code main} starts and stops: all or nothing. Bad settings exit 2, Kafka not
 * answering (or refusing the credentials) exits 3, another expected failure to start (port in use, registry
 * unreachable) exits 1, each with one line on stderr and no stack trace; an unexpected failure exits 1 with its stack trace in the log. Once started, SIGTERM closes it.
 */
public final class MainRunner {

    /** Exit status of bad settings. */
    public static final int BAD_SETTINGS = 2;
    /** Exit status when the Kafka cluster does not answer (or refuses the credentials) within the deadline. */
    public static final int KAFKA_UNAVAILABLE = 3;
    /** Exit status of any other failure to start. */
    public static final int START_FAILED = 1;

    private static final Logger log = LoggerFactory.getLogger(MainRunner.class);

    /** Builds the runnable; everything it built must be closed again if it throws. */
    @FunctionalInterface
    public interface Start {
        AutoCloseable start() throws Exception;
    }

    private MainRunner() {
    }

    /** Starts, then blocks until the JVM is asked to stop; exits the JVM when the start fails. */
    public static void run(String name, Start start) {
        AutoCloseable running;
        try {
            running = start.start();
        } catch (ConfigException e) {
            System.err.println(name + ": bad settings: " + e.getMessage());
            System.exit(BAD_SETTINGS);
            return;
        } catch (KafkaPreflight.KafkaUnavailableException e) {
            System.err.println(name + ": " + e.getMessage());
            System.exit(KAFKA_UNAVAILABLE);
            return;
        } catch (StartupException e) {
            System.err.println(name + ": cannot start: " + e.getMessage());
            System.exit(START_FAILED);
            return;
        } catch (Exception | Error e) {
            log.error("{} failed to start", name, e);
            System.err.println(name + ": cannot start: " + e);
            System.exit(START_FAILED);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                log.warn("{}: error while stopping", name, e);
            } finally {
                stopped.countDown();
            }
        }, name + "-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
