package io.sluice.cli;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each script as it starts and ends, with its time, while a migration runs: {@code -> V3__add_status.sql} when it
 * starts, {@code    applied in 412 ms} (or {@code rolled back after ...}, before a lock retry) when it ends. Read from
 * the debug lines the migration's script timer writes; attached for the command's duration only.
 */
final class MigrateProgress extends Handler implements AutoCloseable {

    private static final Pattern LINE = Pattern.compile("^(applying|applied|rolled back) (\\S+)(?: (?:in|after) (\\d+) ms)?$");
    private static final String TIMER = "io.sluice.migration.ScriptTimer";

    private final PrintStream out;
    private final Logger logger;
    private final Level before;

    private MigrateProgress(PrintStream out) {
        this.out = out;
        this.logger = Logger.getLogger(TIMER);
        this.before = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(this);
    }

    static MigrateProgress attach(PrintStream out) {
        return new MigrateProgress(out);
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (message == null) {
            return;
        }
        Matcher line = LINE.matcher(message);
        if (!line.matches()) {
            return;
        }
        switch (line.group(1)) {
            case "applying" -> out.println("-> " + line.group(2));
            case "applied" -> out.println("   applied in " + line.group(3) + " ms");
            default -> out.println("   rolled back after " + line.group(3) + " ms");
        }
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(before);
    }
}
