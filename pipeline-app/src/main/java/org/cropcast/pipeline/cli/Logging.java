package org.cropcast.pipeline.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Log levels from {@code -v}/{@code -q}: by default cropcast logs warnings and errors (to stderr,
 * see logback.xml); {@code --verbose} shows cropcast's debug lines and third-party info;
 * {@code --quiet} shows errors only. java.util.logging (the MLflow client's shaded HTTP client)
 * is bridged to SLF4J.
 */
final class Logging {
    private Logging() {}

    static void configure(boolean verbose, boolean quiet) {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger cropcast = context.getLogger("org.cropcast");
        if (verbose) {
            root.setLevel(Level.INFO);
            cropcast.setLevel(Level.DEBUG);
        } else if (quiet) {
            root.setLevel(Level.ERROR);
            cropcast.setLevel(Level.ERROR);
        } else {
            root.setLevel(Level.WARN);
            cropcast.setLevel(Level.WARN);
        }
    }
}
