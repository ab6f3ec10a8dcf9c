package io.fleethealth.contract.settings;

/**
 * A setting has a value the processor cannot run with. Fatal at start: the message names the variable,
 * the bad value (never for a secret) and what would have been accepted.
 */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The environment variable at fault (the first one, for a cross-check between two). */
    public String key() {
        return key;
    }
}
