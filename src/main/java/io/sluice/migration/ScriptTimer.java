package io.sluice.migration;

import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * Records when each script starts and ends, as Flyway runs it: the source of durations and lock waits. Each start and
 * end is a debug line of this class's logger ({@code sluice migrate}'s progress).
 */
final class ScriptTimer extends ScriptCallback {

    private static final Logger LOG = Logger.getLogger(ScriptTimer.class);

    ScriptTimer() {
        super("sluice-script-timer", Event.BEFORE_EACH_MIGRATE, Event.AFTER_EACH_MIGRATE, Event.AFTER_EACH_MIGRATE_ERROR);
    }

    /** A script that finished: which one and how long it ran. */
    record Finished(MigrationInfo info, long millis) {
    }

    private final List<Finished> finished = new ArrayList<>();
    private long startedAt;
    private MigrationInfo running;
    private Span span = Span.getInvalid();

    @Override
    public void handle(Event event, Context context) {
        if (event == Event.BEFORE_EACH_MIGRATE) {
            running = context.getMigrationInfo();
            startedAt = System.nanoTime();
            span = Spans.script("migrate", running.getScript(), running.getVersion() == null ? null : running.getVersion().getVersion());
            LOG.debugf("applying %s", running.getScript());
        } else if (event == Event.AFTER_EACH_MIGRATE) {
            finished.add(new Finished(context.getMigrationInfo(), elapsedMillis()));
            LOG.debugf("applied %s in %d ms", context.getMigrationInfo().getScript(), elapsedMillis());
            running = null;
            span.end();
        } else if (event == Event.AFTER_EACH_MIGRATE_ERROR) {
            span.setStatus(StatusCode.ERROR, "the script failed or was rolled back (a lock wait is retried)");
            LOG.debugf("rolled back %s after %d ms", context.getMigrationInfo().getScript(), elapsedMillis());
            span.end();
        }
    }

    /** Milliseconds since the running (or last failed) script started. */
    long elapsedMillis() {
        return (System.nanoTime() - startedAt) / 1_000_000;
    }

    /** Scripts finished since the last call, in order. */
    List<Finished> drainFinished() {
        List<Finished> drained = List.copyOf(finished);
        finished.clear();
        return drained;
    }
}
