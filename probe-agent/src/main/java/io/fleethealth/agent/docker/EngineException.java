package io.fleethealth.agent.docker;

/** The engine answered with an error (a conflict, a server error): the message is the engine's own words. */
public class EngineException extends RuntimeException {

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
