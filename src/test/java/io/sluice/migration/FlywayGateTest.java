package io.sluice.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.event.Finding;
import io.sluice.event.FindingCode;
import io.sluice.event.MigrationSource;
import io.sluice.event.ReversibilityCheck;
import io.sluice.event.ValidateReport;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;

/**
 * Flyway runs what lint read and the approvers saw, and nothing else: the attacks an attacker review found, in a
 * release's folder. A callback script ({@code afterConnect.sql}) ran on the live database as validate connected to
 * it; {@code ${flyway:filename}} spliced a file's name, SQL and all, into the statement lint had read as one string.
 */
class FlywayGateTest {

    private static final String PAYLOAD = "CREATE TABLE callback_ran (id bigint);\nDELETE FROM orders;\n";
    private static final String NAME = "x';DROP VIEW customer_order_totals;CREATE TABLE placeholder_ran (id int);--";

    private TestDatabase db;

    @BeforeEach
    void liveDatabase() {
        db = PostgresServer.get().newDatabase();
        Sluice.migrate().run(MigrateEvent.against(db.target()).build(), Duration.ofMinutes(1));
        db.sql("INSERT INTO customers (email, full_name) VALUES ('a@example.com', 'A')");
        db.sql("INSERT INTO orders (customer_id, total) SELECT id, 10 FROM customers");
    }

    private static MigrationSource release(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src", "main", "resources", "db", "migration"))) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        for (String callback : new String[] {"afterConnect", "beforeInfo", "afterInfo", "beforeValidate", "beforeMigrate",
            "beforeEachMigrate", "afterEachMigrate", "afterMigrate", "afterVersioned", "beforeConnect"}) {
            Files.writeString(dir.resolve(callback + ".sql"), PAYLOAD);
        }
        Files.writeString(dir.resolve("V5__" + NAME + ".sql"), "SELECT '${flyway:filename}';\n");
        Files.writeString(dir.resolve("U5__" + NAME + ".sql"), "SELECT 1;\n");
        Files.writeString(dir.resolve("V6__where.sql"), "CREATE TABLE \"${flyway:workingDirectory}\" (id bigint PRIMARY KEY);\n");
        Files.writeString(dir.resolve("U6__where.sql"), "DROP TABLE \"${flyway:workingDirectory}\";\n");
        return MigrationSource.parse("filesystem:" + dir);
    }

    @Test
    void callbackScriptsRunNowhere_andPlaceholdersStayText_inPreflightAndInMigrate(@TempDir Path dir) throws Exception {
        MigrationSource release = release(dir);

        ValidateReport report = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(release).proveReversible().preflight());
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(release).build(), Duration.ofMinutes(1));

        assertThat(report.findings()).filteredOn(finding -> finding.code() == FindingCode.UNRECOGNISED_NAME).extracting(Finding::script)
                .contains("afterConnect.sql", "beforeMigrate.sql", "afterMigrate.sql");
        assertThat(report.reversibility()).extracting(ReversibilityCheck::reversible).containsExactly(true, true);
        assertThat(db.rows("SELECT count(*) FROM orders")).as("the callbacks' DELETE").containsExactly("1");
        assertThat(db.rows("SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname IN ('callback_ran',"
                + " 'placeholder_ran', 'customer_order_totals', '${flyway:workingDirectory}')"))
                .containsExactly("${flyway:workingDirectory},customer_order_totals");
        assertThat(db.rows("SELECT max(version) FROM flyway_schema_history")).containsExactly("6");
    }
}
