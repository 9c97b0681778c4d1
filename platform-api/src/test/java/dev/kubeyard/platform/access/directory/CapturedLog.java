package dev.kubeyard.platform.access.directory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log lines of the directory package (System.Logger goes to java.util.logging), formatted as they would be
 * printed, with the text of any attached exception: what a secret must never be part of.
 */
final class CapturedLog implements AutoCloseable {

    private static final Formatter MESSAGE = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record);
        }
    };

    private final Logger logger;
    private final Level previousLevel;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private CapturedLog(String name) {
        this.logger = Logger.getLogger(name);
        this.previousLevel = logger.getLevel();
        handler.setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    static CapturedLog ofDirectory() {
        return new CapturedLog(LdapDirectory.class.getPackageName());
    }

    /** Every captured line: level, message with its arguments, and the attached exception's text if any. */
    List<String> lines() {
        return records.stream()
                .map(r -> r.getLevel() + " " + MESSAGE.format(r) + (r.getThrown() == null ? "" : " " + r.getThrown()))
                .toList();
    }

    List<String> lines(Level level) {
        return records.stream()
                .filter(r -> r.getLevel().equals(level))
                .map(MESSAGE::format)
                .toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }
}
