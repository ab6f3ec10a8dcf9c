package io.fleethealth.http;

import java.util.Map;

/**
 * A request the server answers with an error status and a JSON body {@code {"status": n, "error": "...", ...details}}:
 * the caller's mistake (4xx) or a known, expected condition (502, 503). Never logged as an error.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, Object> details;

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiException(int status, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.details = Map.copyOf(details);
    }

    public int status() {
        return status;
    }

    public Map<String, Object> details() {
        return details;
    }
}
