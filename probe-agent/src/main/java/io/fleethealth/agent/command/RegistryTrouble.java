package io.fleethealth.agent.command;

import io.fleethealth.serde.SchemaRegistryException;
import java.io.IOException;

/**
 * Tells a registry that is away (worth waiting for) from bytes that can never be decoded. Only the first is
 * transient: an unreachable registry, a timeout, a 5xx, 408 or 429. A schema id the registry answers it does not
 * know, bytes that are not the wire format, or a payload its schema cannot read are not.
 */
final class RegistryTrouble {

    private RegistryTrouble() {
    }

    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                int status = registry.httpStatus();
                return !registry.isNotFound()
                        && (status == SchemaRegistryException.NONE || status >= 500 || status == 408 || status == 429);
            }
            if (t instanceof IOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
