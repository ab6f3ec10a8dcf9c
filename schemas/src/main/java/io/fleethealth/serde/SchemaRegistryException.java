package io.fleethealth.serde;

import java.net.URI;
import java.util.Optional;

/**
 * The schema registry refused a request or could not be reached. Carries what an operator needs to find
 * the cause: the HTTP status and Confluent error code when the registry answered, the subject and the URL.
 */
public final class SchemaRegistryException extends RuntimeException {

    /** Value of {@link #httpStatus()} and {@link #errorCode()} when the registry gave none. */
    public static final int NONE = -1;

    /** Confluent error code: no schema has the requested id. */
    public static final int SCHEMA_NOT_FOUND = 40403;

    private final int httpStatus;
    private final int errorCode;
    private final String subject;
    private final URI url;

    public SchemaRegistryException(String message, int httpStatus, int errorCode, String subject, URI url,
                                   Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.subject = subject;
        this.url = url;
    }

    /** HTTP status of the registry's answer, or {@link #NONE} when there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent {@code error_code} of the answer (e.g. 40403, 409, 42201), or {@link #NONE}. */
    public int errorCode() {
        return errorCode;
    }

    /** Subject of the request; empty for look-ups by id. */
    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    /** URL of the request. */
    public URI url() {
        return url;
    }

    /** The registry answered that what was asked for does not exist (unknown schema id or subject). */
    public boolean isNotFound() {
        return httpStatus == 404;
    }

    /**
     * Trying again later may succeed: the registry was unreachable, timed out, or failed on its side.
     * A refusal (incompatible or invalid schema, unknown id) is not retriable.
     */
    public boolean isRetriable() {
        return httpStatus == NONE || httpStatus == 408 || httpStatus == 429 || httpStatus >= 500;
    }
}
