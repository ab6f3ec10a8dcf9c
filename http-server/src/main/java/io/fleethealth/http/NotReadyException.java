package io.fleethealth.http;

/**
 * The answer exists but cannot be read yet (e.g. Kafka Streams starts or rebalances and its stores are not
 * queryable): 503, the caller should retry. Distinct from a bug, which is 500 and logged at ERROR.
 */
public class NotReadyException extends ApiException {

    private static final long serialVersionUID = 1L;

    public NotReadyException(String why) {
        super(503, "state not available yet, retry shortly: " + why);
    }

    public NotReadyException(String why, Throwable cause) {
        this(why);
        initCause(cause);
    }
}
