package io.sluice.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.event.SchemaName;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;

/** What a lock wait looks for: the relations a script names, and the old transactions holding locks on them. */
class LockHoldersTest {

    @Test
    void relations_areTheTablesAndIndexTablesAScriptNames_whateverElseItSays() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        db.sql("CREATE SCHEMA app; CREATE TABLE app.orders (id int PRIMARY KEY, total int); CREATE TABLE \"Order Lines\" (id int);"
                + " CREATE TABLE public.customers (id int); CREATE INDEX customers_id_idx ON public.customers (id);"
                + " CREATE TABLE untouched (id int)");
        String script = """
                UPDATE app.orders SET total = 0 FROM "Order Lines" WHERE app.orders.id = "Order Lines".id; -- untouched
                DROP INDEX customers_id_idx;
                SELECT 'untouched', $$ untouched $$;
                """;

        try (Connection connection = db.connect()) {
            List<Long> relations = LockHolders.relations(connection, SchemaName.PUBLIC, script);

            assertThat(db.rows("SELECT relname FROM pg_class WHERE oid IN (" + String.join(",", relations.stream().map(String::valueOf)
                    .toList()) + ") ORDER BY 1")).containsExactly("Order Lines", "customers", "customers_id_idx", "orders");
        }
    }

    @Test
    void olderThan_findsTheOldTransactionHoldingALock_andNotTheFreshOnes() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        db.sql("CREATE TABLE accounts (id int)");
        try (Connection old = db.connect(); Connection fresh = db.connect(); Connection looking = db.connect()) {
            old.setAutoCommit(false);
            old.createStatement().execute("SELECT count(*) FROM accounts");
            Thread.sleep(300);
            fresh.setAutoCommit(false);
            fresh.createStatement().execute("SELECT count(*) FROM accounts");
            List<Long> relations = LockHolders.relations(looking, SchemaName.PUBLIC, "ALTER TABLE accounts ADD COLUMN note text");

            List<LockHolders.Holder> holders = LockHolders.olderThan(looking, relations, Duration.ofMillis(200));

            assertThat(holders).singleElement().satisfies(holder -> {
                assertThat(holder.query()).isEqualTo("SELECT count(*) FROM accounts");
                assertThat(holder.state()).isEqualTo("idle in transaction");
            });
        }
    }
}
