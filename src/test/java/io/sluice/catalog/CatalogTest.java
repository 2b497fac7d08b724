package io.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sluice.event.SchemaDifference;
import io.sluice.event.SchemaDifference.Change;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;

class CatalogTest {

    private static TestDatabase template;
    private static Snapshot base;

    @BeforeAll
    static void buildTemplate() {
        template = PostgresServer.get().newDatabase();
        template.sql(script("every-kind.sql"));
        base = read(template, false);
    }

    static String script(String name) {
        try {
            return Files.readString(Path.of("src/test/resources/catalog", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Snapshot read(TestDatabase db, boolean privileges) {
        try (Connection connection = db.connect()) {
            return new CatalogReader("sluice", privileges).read(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyKind_isInTheSnapshot() {
        assertThat(base.objects()).extracting(DbObject::kind).containsAll(List.of(ObjectKind.values()));
        assertThat(base.find(ObjectKind.EXTENSION, "pg_trgm").attributes()).containsEntry("schema", "app");
        assertThat(base.objects()).as("objects of extensions are not the schema's")
                .noneMatch(object -> object.name().startsWith("app.similarity"));
        assertThat(base.find(ObjectKind.COLUMN, "app.customers.email_lower").attributes())
                .containsEntry("generated", "lower(email)").containsEntry("type", "text");
        assertThat(base.find(ObjectKind.COLUMN, "app.customers.id").attributes()).containsEntry("identity", "always");
        assertThat(base.find(ObjectKind.COLUMN, "app.customers.name").attributes()).containsEntry("collation", "pg_catalog.\"C\"");
        assertThat(base.find(ObjectKind.TABLE, "app.events_2026").attributes()).containsEntry("partitionOf", "app.events");
        assertThat(base.find(ObjectKind.INDEX, "app.orders_placed_idx").attribute("definition")).contains("WHERE (total > (0)::numeric)");
        assertThat(base.find(ObjectKind.SEQUENCE, "app.orders_id_seq").attributes()).containsEntry("ownedBy", "app.orders.id");
        assertThat(base.find(ObjectKind.ENUM, "app.mood").attribute("labels")).isEqualTo("'sad', 'ok', 'happy'");
        assertThat(base.objects()).noneMatch(object -> object.name().contains("flyway_schema_history"));
    }

    @Test
    void sameSchemaBuiltInAnotherOrder_givesTheSameBytes() {
        TestDatabase twin = PostgresServer.get().newDatabase();
        twin.sql(script("every-kind-reordered.sql"));

        Snapshot reordered = read(twin, false);

        assertThat(SchemaDiff.between(base, reordered)).isEmpty();
        assertThat(reordered.toJson()).isEqualTo(base.toJson());
        assertThat(reordered.sha256()).isEqualTo(base.sha256());
        assertThat(Snapshot.fromJson(base.toJson()).toJson()).isEqualTo(base.toJson());
    }

    static Stream<Arguments> changesOutsideMigrations() {
        return Stream.of(
                change("CREATE SCHEMA extra", "schema", "extra", Change.ADDED),
                change("CREATE EXTENSION citext", "extension", "citext", Change.ADDED),
                change("DROP EXTENSION pg_trgm", "extension", "pg_trgm", Change.REMOVED),
                change("CREATE VIEW app.note_ids AS SELECT id FROM app.notes", "view", "app.note_ids", Change.ADDED),
                change("DROP VIEW app.event_days", "view", "app.event_days", Change.REMOVED),
                change("CREATE MATERIALIZED VIEW app.note_count AS SELECT count(*) FROM app.notes", "materialized view",
                        "app.note_count", Change.ADDED),
                change("DROP MATERIALIZED VIEW app.order_totals", "materialized view", "app.order_totals", Change.REMOVED),
                change("CREATE TRIGGER notes_touch BEFORE UPDATE ON app.notes FOR EACH ROW EXECUTE FUNCTION app.touch()", "trigger",
                        "app.notes.notes_touch", Change.ADDED),
                change("DROP TYPE app.level", "enum", "app.level", Change.REMOVED),
                change("DROP DOMAIN app.short_text", "domain", "app.short_text", Change.REMOVED),
                change("CREATE DOMAIN app.email AS text NOT NULL", "domain", "app.email", Change.ADDED),
                change("DROP TYPE app.money_pair", "composite type", "app.money_pair", Change.REMOVED),
                change("CREATE TYPE app.point3 AS (x int, y int, z int)", "composite type", "app.point3", Change.ADDED),
                change("DROP SEQUENCE app.spare_seq", "sequence", "app.spare_seq", Change.REMOVED),
                change("ALTER TABLE app.orders DROP CONSTRAINT orders_customer_id_fkey", "constraint",
                        "app.orders.orders_customer_id_fkey", Change.REMOVED),
                change("ALTER TABLE app.notes ADD CONSTRAINT notes_body_key UNIQUE (body)", "constraint", "app.notes.notes_body_key",
                        Change.ADDED),
                change("DROP SCHEMA app CASCADE", "schema", "app", Change.REMOVED),
                change("CREATE TABLE app.extra (id int)", "table", "app.extra", Change.ADDED),
                change("DROP TABLE app.notes", "table", "app.notes", Change.REMOVED),
                change("ALTER TABLE app.notes ADD COLUMN extra text", "column", "app.notes.extra", Change.ADDED),
                change("ALTER TABLE app.notes DROP COLUMN body", "column", "app.notes.body", Change.REMOVED),
                change("ALTER TABLE app.notes ALTER COLUMN body TYPE varchar(200)", "column", "app.notes.body", Change.CHANGED),
                change("ALTER TABLE app.orders ALTER COLUMN placed_at SET DEFAULT '2026-01-01'", "column", "app.orders.placed_at", Change.CHANGED),
                change("ALTER TABLE app.orders ALTER COLUMN placed_at DROP NOT NULL", "column", "app.orders.placed_at", Change.CHANGED),
                change("ALTER TABLE app.customers ALTER COLUMN id SET GENERATED BY DEFAULT", "column", "app.customers.id", Change.CHANGED),
                change("ALTER TABLE app.notes ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY", "column", "app.notes.id", Change.CHANGED),
                change("ALTER TABLE app.customers ALTER COLUMN name TYPE text COLLATE \"POSIX\"", "column", "app.customers.name", Change.CHANGED),
                change("ALTER TABLE app.customers DROP COLUMN email_lower, ADD COLUMN email_lower text GENERATED ALWAYS AS (upper(email)) STORED",
                        "column", "app.customers.email_lower", Change.CHANGED),
                change("ALTER TABLE app.customers DROP CONSTRAINT customers_email_key", "constraint", "app.customers.customers_email_key", Change.REMOVED),
                change("ALTER TABLE app.notes ADD CONSTRAINT body_short CHECK (length(body) < 100) NOT VALID", "constraint",
                        "app.notes.body_short", Change.ADDED),
                change("ALTER TABLE app.orders DROP CONSTRAINT orders_customer_id_fkey, ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY"
                        + " (customer_id) REFERENCES app.customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
                        "constraint", "app.orders.orders_customer_id_fkey", Change.CHANGED),
                change("ALTER TABLE app.orders DROP CONSTRAINT orders_total_check, ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID",
                        "constraint", "app.orders.orders_total_check", Change.CHANGED),
                change("ALTER TABLE app.orders DROP CONSTRAINT orders_no_overlap", "constraint", "app.orders.orders_no_overlap", Change.REMOVED),
                change("CREATE INDEX notes_body_idx ON app.notes (body)", "index", "app.notes_body_idx", Change.ADDED),
                change("DROP INDEX app.orders_placed_idx", "index", "app.orders_placed_idx", Change.REMOVED),
                change("DROP INDEX app.orders_placed_idx; CREATE INDEX orders_placed_idx ON app.orders (placed_at) WHERE total > 10",
                        "index", "app.orders_placed_idx", Change.CHANGED),
                change("DROP INDEX app.orders_double_total_idx; CREATE INDEX orders_double_total_idx ON app.orders USING hash ((total * 2))",
                        "index", "app.orders_double_total_idx", Change.CHANGED),
                change("CREATE TABLE app.events_2027 PARTITION OF app.events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')",
                        "table", "app.events_2027", Change.ADDED),
                change("DROP TABLE app.events_2026", "table", "app.events_2026", Change.REMOVED),
                change("CREATE OR REPLACE VIEW app.big_orders AS SELECT id, total FROM app.orders WHERE total > 1000", "view",
                        "app.big_orders", Change.CHANGED),
                // Columns reordered: CREATE OR REPLACE VIEW would refuse it; the view that reads it goes and comes back too.
                change("DROP VIEW app.big_orders CASCADE; CREATE VIEW app.big_orders AS SELECT total, id FROM app.orders WHERE total > 100",
                        "view", "app.big_orders", Change.CHANGED),
                change("DROP MATERIALIZED VIEW app.order_totals; CREATE MATERIALIZED VIEW app.order_totals AS SELECT customer_id,"
                        + " count(*) AS total FROM app.orders GROUP BY customer_id", "materialized view", "app.order_totals", Change.CHANGED),
                change("CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
                        "function", "app.touch()", Change.CHANGED),
                change("DROP PROCEDURE app.noop()", "function", "app.noop()", Change.REMOVED),
                change("CREATE FUNCTION app.two() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 2'", "function", "app.two()", Change.ADDED),
                change("DROP TRIGGER orders_touch ON app.orders", "trigger", "app.orders.orders_touch", Change.REMOVED),
                change("ALTER TABLE app.orders DISABLE TRIGGER orders_touch", "trigger", "app.orders.orders_touch", Change.CHANGED),
                change("ALTER SEQUENCE app.ticket_seq INCREMENT 10", "sequence", "app.ticket_seq", Change.CHANGED),
                change("CREATE SEQUENCE app.other_seq", "sequence", "app.other_seq", Change.ADDED),
                change("ALTER TYPE app.mood ADD VALUE 'ecstatic'", "enum", "app.mood", Change.CHANGED),
                change("ALTER DOMAIN app.positive_int ADD CONSTRAINT small CHECK (VALUE < 1000)", "domain", "app.positive_int", Change.CHANGED),
                change("ALTER TYPE app.money_pair ADD ATTRIBUTE note text", "composite type", "app.money_pair", Change.CHANGED),
                change("CREATE TYPE app.size AS ENUM ('s', 'm')", "enum", "app.size", Change.ADDED),
                change("CREATE POLICY notes_all ON app.notes USING (true)", "policy", "app.notes.notes_all", Change.ADDED),
                change("DROP POLICY customers_self ON app.customers", "policy", "app.customers.customers_self", Change.REMOVED),
                change("ALTER TABLE app.customers DISABLE ROW LEVEL SECURITY", "table", "app.customers", Change.CHANGED),
                change("ALTER TABLE app.notes SET UNLOGGED", "table", "app.notes", Change.CHANGED));
    }

    private static Arguments change(String sql, String kind, String name, Change change) {
        return Arguments.of(sql, kind, name, change, !NOT_RECONCILABLE.contains(sql));
    }

    /** Changes with no safe reverse statement: the difference must say so instead of offering SQL. */
    private static final List<String> NOT_RECONCILABLE = List.of(
            "ALTER TABLE app.customers DROP COLUMN email_lower, ADD COLUMN email_lower text GENERATED ALWAYS AS (upper(email)) STORED",
            "ALTER TYPE app.mood ADD VALUE 'ecstatic'",
            "ALTER DOMAIN app.positive_int ADD CONSTRAINT small CHECK (VALUE < 1000)",
            "ALTER TYPE app.money_pair ADD ATTRIBUTE note text");

    @ParameterizedTest(name = "{0}")
    @MethodSource("changesOutsideMigrations")
    void changeOutsideMigrations_isDetected_andItsReconcileSqlRestoresTheSchema(String sql, String kind, String name, Change change,
            boolean reconcilable) {
        TestDatabase db = PostgresServer.get().copyOf(template);
        db.sql(sql);

        List<SchemaDifference> differences = SchemaDiff.between(base, read(db, false));

        assertThat(differences).anySatisfy(difference -> {
            assertThat(difference.kind()).isEqualTo(kind);
            assertThat(difference.name()).isEqualTo(name);
            assertThat(difference.change()).isEqualTo(change);
        });
        if (!reconcilable) {
            assertThat(differences).anySatisfy(difference -> {
                assertThat(difference.reconcileSql()).isNull();
                assertThat(difference.note()).startsWith("no safe SQL");
            });
            return;
        }
        assertThat(differences).allSatisfy(difference -> assertThat(difference.reconcileSql() != null
                || difference.note().matches("(goes with|created with|belongs to) .*")).as(difference.toString()).isTrue());
        for (String statement : SchemaDiff.reconcileScript(differences).split("\n(?=(ALTER|CREATE|DROP) )")) {
            if (!statement.startsWith("--")) {
                db.sql(statement);
            }
        }
        assertThat(SchemaDiff.between(base, read(db, false))).as("after reconcile").isEmpty();
    }

    @Test
    void invalidIndex_isAChange() {
        TestDatabase db = PostgresServer.get().copyOf(template);
        db.superuserSql("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'app.orders_placed_idx'::regclass");

        assertThat(SchemaDiff.between(base, read(db, false))).singleElement().satisfies(difference -> {
            assertThat(difference.attributes()).containsOnlyKeys("valid");
            assertThat(difference.reconcileSql()).contains("DROP INDEX CONCURRENTLY IF EXISTS app.orders_placed_idx;")
                    .contains("CREATE INDEX CONCURRENTLY orders_placed_idx ON app.orders");
        });
    }

    @Test
    void grants_countOnlyWhenConfigured() {
        TestDatabase db = PostgresServer.get().copyOf(template);
        Snapshot before = read(db, true);
        db.sql("GRANT SELECT ON app.notes TO PUBLIC");

        assertThat(SchemaDiff.between(base, read(db, false))).isEmpty();
        assertThat(SchemaDiff.between(before, read(db, true))).singleElement().satisfies(difference -> {
            assertThat(difference.name()).isEqualTo("app.notes");
            assertThat(difference.attributes()).containsOnlyKeys("grants");
            assertThat(difference.note()).contains("grants differ");
        });
    }
}
