package io.spendshift;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects the log lines the service writes while it is attached (a java.util.logging handler on a logger,
 * the root by default, which is where Quarkus' JBoss LogManager sends everything): each line is the logger
 * name, the formatted message and the stack trace of any exception. Close it to detach.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    private LogCapture(String loggerName) {
        this.logger = Logger.getLogger(loggerName);
        logger.addHandler(this);
    }

    /** Everything logged anywhere in the service. */
    public static LogCapture root() {
        return new LogCapture("");
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    @Override
    public void publish(LogRecord r) {
        String message = r instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                : formatter.formatMessage(r);
        StringBuilder line = new StringBuilder(r.getLevel() + " [" + r.getLoggerName() + "] " + message);
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** All captured lines as one text. */
    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
