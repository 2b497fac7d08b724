package io.sluice.testing;

import java.time.Duration;

import io.sluice.event.DatabaseTarget;
import io.sluice.event.MigrateReport;
import io.sluice.event.MigrationSource;

/**
 * A migrate in a JVM of its own, so that a test can send it a real SIGTERM. Arguments: JDBC URL, folder. Prints the
 * report's status and stop reason on one line.
 */
public final class MigrateInAnotherProcess {

    private MigrateInAnotherProcess() {
    }

    public static void main(String[] args) {
        DatabaseTarget target = new DatabaseTarget(args[0], PostgresServer.APP_USER, PostgresServer.APP_PASSWORD);
        MigrateReport report = Sluice.migrate().run(MigrateEvent.against(target).migrations(MigrationSource.parse("filesystem:" + args[1])).build(),
                Duration.ofMinutes(5));
        System.out.println("RESULT " + report.status() + " " + report.versionAfter() + " " + report.stopReason());
    }
}
