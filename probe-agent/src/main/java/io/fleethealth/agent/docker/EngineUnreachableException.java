package io.fleethealth.agent.docker;

/** The engine did not answer at all (socket missing, connection refused or reset): worth retrying later. */
public final class EngineUnreachableException extends EngineException {

    public EngineUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
