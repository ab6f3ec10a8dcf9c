package io.fleethealth.contract.logging;

import org.slf4j.LoggerFactory;

/**
 * One logging configuration per runnable. No jar ships a {@code logback.xml} (each would be found on the class
 * path of every runnable built on it, and logback then prints its own status lines about the duplicates): each
 * runnable names its own configuration, e.g. {@code health-processor-logback.xml}, and applies it first thing.
 */
public final class RunnableLogging {

    static final String CONFIGURATION_FILE = "logback.configurationFile";
    private static final String TEST_CONFIGURATION = "logback-test.xml";

    private RunnableLogging() {
    }

    /**
     * Selects this runnable's configuration (a class-path resource) and initialises logging with it, before the
     * first logger is made; call it from a static block that precedes the main class's logger. A configuration the
     * user named with {@code -Dlogback.configurationFile}, or a test's {@code logback-test.xml}, wins, as in
     * logback's own order. Initialising at once makes a broken configuration show at start, not mid-run.
     */
    public static void configure(String resource) {
        if (System.getProperty(CONFIGURATION_FILE) == null
                && RunnableLogging.class.getClassLoader().getResource(TEST_CONFIGURATION) == null) {
            System.setProperty(CONFIGURATION_FILE, resource);
        }
        LoggerFactory.getILoggerFactory();
    }
}
