package io.sluice.migration;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Stops a migrate between two scripts, never inside one: when the time budget has run out (the Lambda deadline less
 * the reserve) or the process was asked to stop (SIGTERM). The run then reports {@code IN_PROGRESS} with what it
 * applied, and the next invocation goes on from there. A JVM shutdown hook (SIGTERM) raises the flag and waits, up
 * to {@link #SHUTDOWN_GRACE}, for running migrations to reach their next boundary and release their locks.
 */
public final class StopSignal extends ScriptCallback {

    /** How long a SIGTERM waits for running migrations to stop at a script boundary (Lambda gives 2 s after SIGTERM, ECS 30 s). */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private static final AtomicBoolean SHUTDOWN = new AtomicBoolean();
    private static final AtomicInteger RUNNING = new AtomicInteger();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private final Instant deadline;

    /** Thrown from the callback to end Flyway's run before the next script; never leaves the migrator. */
    static final class Stop extends RuntimeException {
        private final transient String reason;

        Stop(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    public StopSignal(Instant deadline) {
        super("sluice-stop-signal", Event.BEFORE_EACH_MIGRATE);
        this.deadline = deadline;
    }

    /** Asks every running migration to stop at its next script boundary, as SIGTERM does. */
    public static void requestShutdown() {
        SHUTDOWN.set(true);
    }

    /** Whether a SIGTERM (or a test) asked running migrations to stop at their next boundary. */
    public static boolean shutdownRequested() {
        return SHUTDOWN.get();
    }

    /** Forgets a shutdown request (tests that simulate one). */
    public static void clearShutdown() {
        SHUTDOWN.set(false);
    }

    /** A migration began: a SIGTERM from now on waits for {@link #finished()} (bounded by the grace). */
    public static void started() {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(StopSignal::onShutdown, "sluice-stop-between-scripts"));
        }
        RUNNING.incrementAndGet();
    }

    /** The migration is done, its snapshot recorded and its locks released. */
    public static void finished() {
        RUNNING.decrementAndGet();
    }

    private static void onShutdown() {
        requestShutdown();
        Instant giveUp = Instant.now().plus(SHUTDOWN_GRACE);
        while (RUNNING.get() > 0 && Instant.now().isBefore(giveUp)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void handle(Event event, Context context) {
        MigrationInfo next = context.getMigrationInfo();
        String script = next == null ? "the next script" : next.getScript();
        if (SHUTDOWN.get()) {
            throw new Stop("the process is shutting down (SIGTERM); stopped before " + script);
        }
        if (Instant.now().isAfter(deadline)) {
            throw new Stop("the time budget ran out (the Lambda deadline less sluice.migrate.deadline-reserve); stopped before "
                    + script);
        }
    }
}
