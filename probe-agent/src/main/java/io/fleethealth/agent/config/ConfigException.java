package io.fleethealth.agent.config;

/** A setting from the environment that the agent cannot start with; the message names the variable and the value. */
public final class ConfigException extends RuntimeException {

    private final String variable;

    public ConfigException(String variable, String value, String accepted) {
        super(variable + "='" + value + "' is not valid: expected " + accepted);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
