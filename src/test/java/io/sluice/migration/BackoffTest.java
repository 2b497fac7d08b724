package io.sluice.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.error.LockTimeout;
import io.sluice.event.SchemaName;
import io.sluice.testing.MigrateSettings;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;

/** The arithmetic of every wait loop, checked with a sleeper that records instead of sleeping. */
class BackoffTest {

    private final List<Duration> slept = new ArrayList<>();
    private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), slept::add);

    @Test
    void delay_doublesFromTheInitialPause_andStopsAtTheMaximum() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 60)).map(backoff::delay).containsExactly(Duration.ofMillis(50),
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void interruptedSleep_endsTheWaitAsLockTimeout_andKeepsTheInterruptFlag() {
        Backoff interrupted = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), pause -> {
            throw new InterruptedException();
        });

        assertThatThrownBy(() -> interrupted.sleep(Duration.ofMillis(1))).isInstanceOf(LockTimeout.class)
                .hasMessageStartingWith("interrupted while waiting for a lock");
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void lockTimeoutOfTry_startsShort_andDoublesUpToTheConfiguredLockTimeout() {
        RetryPolicy policy = RetryPolicy.of(MigrateSettings.defaults(), Duration.ofMillis(700), slept::add);

        assertThat(List.of(1, 2, 3, 4, 5)).map(policy::lockTimeoutOfTry).containsExactly(Duration.ofMillis(100),
                Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(700), Duration.ofMillis(700));
        assertThat(RetryPolicy.of(MigrateSettings.defaults(), Duration.ofMillis(30), slept::add).lockTimeoutOfTry(1))
                .as("an event's lock timeout below the first try's wins").isEqualTo(Duration.ofMillis(30));
    }

    @Test
    void migrationLockHeldByAnother_isPolledWithTheBackoffsPauses_untilTheWaitEnds() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        try (Connection holder = db.connect(); Connection waiter = db.connect()) {
            MigrationLock.acquire(holder, SchemaName.PUBLIC, Duration.ZERO, backoff);

            assertThatThrownBy(() -> MigrationLock.acquire(waiter, SchemaName.PUBLIC, Duration.ofMillis(500), backoff))
                    .isInstanceOf(LockTimeout.class);
        }
        // Recorded pauses take no time: the loop stops at the first pause that would end after the 500 ms wait.
        assertThat(slept).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(400));
    }
}
