package io.fleethealth.contract.start;

/**
 * An expected reason not to start (a port in use, Kafka or the registry not reachable in time): reported as
 * one line without a stack trace, exit status 1. A bug is not a StartupException.
 */
public final class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message, null, false, false);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** "{@code what}: {@code the innermost cause's message}", e.g. "cannot serve ...: Address already in use". */
    public static StartupException because(String what, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new StartupException(what + ": " + (root.getMessage() != null ? root.getMessage() : root.toString()), cause);
    }
}
