package io.sluice.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.error.InvalidRequest;
import io.sluice.event.SchemaName;
import io.sluice.function.EventCodec;
import io.sluice.function.FunctionBoundary;
import io.sluice.function.ValidateFunction;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * The plan check through the real {@code validate} handler, as JSON, on a real PostgreSQL 18 whose live database holds
 * 300,000 rows: the live statistics arrive in the scratch database, each kind of regression is caught with the script
 * that caused it, a harmless release is clean, and PostgreSQL 17 (the main test server) is skipped, saying why.
 */
class PlanCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String V1 = """
            CREATE TABLE customers (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              email text NOT NULL UNIQUE,
              region text NOT NULL,
              created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE orders (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              customer_id bigint NOT NULL REFERENCES customers (id),
              total numeric(12, 2) NOT NULL CHECK (total >= 0),
              status text NOT NULL DEFAULT 'new',
              placed_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX orders_customer_idx ON orders (customer_id);
            CREATE FUNCTION touch_order() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.placed_at := now(); RETURN NEW; END $$;
            CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_order();
            """;

    /** The running application's hot queries: a lookup by customer, a join to the customer by key, a report. */
    private static final List<String> QUERIES = List.of(
            "SELECT id, total, status FROM orders WHERE customer_id = $1",
            "SELECT c.email, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = $1",
            "SELECT status, count(*) FROM orders GROUP BY status");

    private static TestDatabase live;

    private ScriptFolder scripts;
    private ValidateFunction validate;

    @BeforeAll
    static void liveDatabaseWithData(@TempDir Path dir) {
        live = PostgresServer.version18().newDatabase();
        ScriptFolder current = new ScriptFolder(dir.resolve("migrations")).with("V1__customers_and_orders.sql", V1);
        Sluice.migrate().run(MigrateEvent.against(live.target()).migrations(current.source()).build(), Duration.ofMinutes(1));
        live.sql("INSERT INTO customers (email, region) SELECT 'c' || i || '@example.com', (ARRAY['eu', 'us', 'ap'])[1 + i % 3]"
                + " FROM generate_series(1, 50000) i");
        live.sql("INSERT INTO orders (customer_id, total, status) SELECT 1 + (i::bigint * 7919) % 50000, (i % 500) + 0.99,"
                + " CASE WHEN i % 10 = 0 THEN 'open' ELSE 'done' END FROM generate_series(1, 300000) i");
        live.sql("ANALYZE customers; ANALYZE orders");
    }

    @BeforeEach
    void release(@TempDir Path dir) {
        scripts = new ScriptFolder(dir.resolve("migrations")).with("V1__customers_and_orders.sql", V1);
        validate = new ValidateFunction(Sluice.validate(), new FunctionBoundary(new EventCodec()));
    }

    private JsonNode preflight(TestDatabase database, ObjectNode plans) throws Exception {
        ObjectNode event = JSON.createObjectNode().put("mode", "preflight").put("migrations", scripts.source().location());
        event.set("database", JSON.readTree(database.targetJson()));
        event.set("plans", plans);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        validate.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private static ObjectNode plans(List<String> queries) {
        ObjectNode plans = JSON.createObjectNode();
        queries.forEach(plans.putArray("queries")::add);
        return plans;
    }

    private static List<String> regressions(JsonNode report) {
        List<String> found = new ArrayList<>();
        report.path("plans").path("regressions").forEach(regression -> found.add(regression.path("source").asText() + " by "
                + regression.path("script").asText() + " on " + regression.path("relation").asText() + ": "
                + regression.path("before").asText() + " → " + regression.path("after").asText()));
        return found;
    }

    private static List<String> findings(JsonNode report) {
        List<String> found = new ArrayList<>();
        report.path("findings").forEach(finding -> {
            if (finding.path("code").asText().equals("PLAN_REGRESSION")) {
                found.add(finding.path("severity").asText() + " " + finding.path("script").asText() + ": "
                        + finding.path("message").asText());
            }
        });
        return found;
    }

    @Test
    void theLiveStatisticsArrive_reltuplesAndPgStatsEqualTheLiveOnes_andTheScratchPlansAsTheLiveDatabaseDoes() throws Exception {
        TestDatabase scratch = PostgresServer.version18().newDatabase();
        scratch.sql(V1);
        List<String> notes = new ArrayList<>();
        try (Connection liveConnection = live.connect(); Connection scratchConnection = scratch.connect()) {
            PlannerStatistics.Read read = PlannerStatistics.read(liveConnection, SchemaName.PUBLIC);
            assertThat(read.unavailable()).isNull();
            int columns = PlannerStatistics.restoreColumns(scratchConnection, SchemaName.PUBLIC, read.snapshot(), notes);
            int relations = PlannerStatistics.restoreRelations(scratchConnection, SchemaName.PUBLIC, read.snapshot(), notes);
            assertThat(columns).isEqualTo(9);
            assertThat(relations).isEqualTo(6);
        }
        assertThat(notes).isEmpty();
        String relationStats = "SELECT relname, reltuples FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                + " AND relkind IN ('r', 'i') AND relname NOT LIKE 'flyway%' ORDER BY relname";
        assertThat(scratch.rows(relationStats)).isEqualTo(live.rows(relationStats)).contains("orders|300000", "customers|50000");
        String columnStats = "SELECT tablename, attname, null_frac, avg_width, n_distinct, most_common_vals::text,"
                + " most_common_freqs::text, histogram_bounds::text, correlation FROM pg_stats WHERE schemaname = 'public'"
                + " AND tablename IN ('customers', 'orders') ORDER BY tablename, attname";
        assertThat(scratch.rows(columnStats)).hasSize(9).isEqualTo(live.rows(columnStats));
        // The planner scales reltuples by the pages a table has: the scratch tables were given theirs, so the estimates match.
        for (String query : List.of("SELECT * FROM orders WHERE customer_id = 42", "SELECT * FROM orders WHERE status = 'open'",
                "SELECT * FROM customers WHERE region = 'eu'", "SELECT count(*) FROM orders")) {
            assertThat(rows(scratch, query)).as(query).isEqualTo(rows(live, query));
        }
        // It holds no row: its pages hold only the dead rows of a rolled-back transaction.
        assertThat(scratch.rows("SELECT count(*) FROM orders")).containsExactly("0");
        assertThat(scratch.rows("SELECT pg_relation_size('orders')")).isEqualTo(live.rows("SELECT pg_relation_size('orders')"));
    }

    /** The planner's row estimate for {@code query}. */
    private static double rows(TestDatabase database, String query) throws Exception {
        return JSON.readTree(String.join("\n", database.rows("EXPLAIN (FORMAT JSON) " + query))).path(0).path("Plan").path("Plan Rows")
                .asDouble();
    }

    @Test
    void droppingTheIndexAHotQueryUses_isARegression_namingTheQueryTheRelationAndTheScript() throws Exception {
        scripts.with("V2__add_note.sql", "ALTER TABLE orders ADD COLUMN note text;")
                .with("V3__drop_customer_index.sql", "DROP INDEX CONCURRENTLY orders_customer_idx;")
                .with("V4__index_region.sql", "CREATE INDEX CONCURRENTLY customers_region_idx ON customers (region);");

        JsonNode report = preflight(live, plans(QUERIES));

        assertThat(report.path("valid").asBoolean()).as(report.toString()).isTrue();
        assertThat(regressions(report)).singleElement().asString()
                .startsWith("queries[0] by V3__drop_customer_index.sql on orders: Bitmap Heap Scan using orders_customer_idx on orders (")
                .contains(" → Parallel Seq Scan on orders (");
        JsonNode regression = report.path("plans").path("regressions").get(0);
        assertThat(regression.path("ratio").asDouble()).isGreaterThan(20.0);
        assertThat(regression.path("query").asText()).isEqualTo("SELECT id, total, status FROM orders WHERE customer_id = $1");
        assertThat(findings(report)).singleElement().asString()
                .startsWith("WARNING V3__drop_customer_index.sql: the query (queries[0]) SELECT id, total, status FROM orders WHERE"
                        + " customer_id = $1 plans worse after V3__drop_customer_index.sql, with the live database's statistics: cost ")
                .contains("limit 2.0); orders: Bitmap Heap Scan using orders_customer_idx on orders (");
        assertThat(report.path("plans").path("checked").asInt()).isEqualTo(3);
        assertThat(report.path("plans").path("statistics").asText()).isEqualTo("copied from the live database (6 relations, 9 columns)");
        assertThat(report.path("plans").path("notes").toString()).contains("index customers_region_idx", "column orders.note");
        assertThat(live.rows("SELECT count(*) FROM pg_database WHERE datname LIKE 'sluice\\_scratch\\_%'")).containsExactly("0");
    }

    @Test
    void changingAKeyColumnsType_losesTheJoinsIndex_andIsCaughtWithItsScript() throws Exception {
        scripts.with("V2__customer_id_numeric.sql", "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;\n"
                + "ALTER TABLE orders ALTER COLUMN customer_id TYPE numeric;");

        JsonNode report = preflight(live, plans(QUERIES));

        assertThat(regressions(report)).filteredOn(regression -> regression.startsWith("queries[1] ")).singleElement().asString()
                .startsWith("queries[1] by V2__customer_id_numeric.sql on customers: Index Scan using customers_pkey on customers (1 rows)"
                        + " → Seq Scan on customers (");
        assertThat(report.path("plans").path("regressions").findValues("changes").toString()).as(report.path("plans").toString())
                .contains("customers_pkey");
        // The retyped column lost its statistics, as on the live database until ANALYZE.
        assertThat(report.path("plans").path("notes").toString()).contains("column orders.customer_id");
    }

    @Test
    void aHarmlessRelease_flagsNothing() throws Exception {
        scripts.with("V2__add_note.sql", "ALTER TABLE orders ADD COLUMN note text;")
                .with("V3__index_placed_at.sql", "CREATE INDEX CONCURRENTLY orders_placed_at_idx ON orders (placed_at);");

        JsonNode report = preflight(live, plans(QUERIES));

        assertThat(report.path("valid").asBoolean()).isTrue();
        assertThat(report.path("plans").path("regressions")).as(report.path("plans").toString()).isEmpty();
        assertThat(report.path("plans").path("improved")).isEmpty();
        assertThat(report.path("plans").path("checked").asInt()).as(report.path("plans").toString()).isEqualTo(3);
        assertThat(findings(report)).isEmpty();
    }

    @Test
    void failOnRegression_makesItAnError_andPreflightInvalid() throws Exception {
        scripts.with("V2__drop_customer_index.sql", "DROP INDEX CONCURRENTLY orders_customer_idx;");
        ObjectNode plans = plans(QUERIES).put("failOnRegression", true).put("maxCostRatio", 5.0);

        JsonNode report = preflight(live, plans);

        assertThat(report.path("valid").asBoolean()).isFalse();
        assertThat(findings(report)).singleElement().asString().startsWith("ERROR V2__drop_customer_index.sql: the query (queries[0])")
                .contains("limit 5.0)");
        assertThat(report.path("findings").get(0).path("code").asText()).as("errors first").isEqualTo("PLAN_REGRESSION");
    }

    @Test
    void addingTheIndexBack_isAnImprovement_notARegression() throws Exception {
        scripts.with("V2__drop_customer_index.sql", "DROP INDEX CONCURRENTLY orders_customer_idx;")
                .with("V3__index_again.sql", "CREATE INDEX CONCURRENTLY orders_customer_again_idx ON orders (customer_id);");

        JsonNode report = preflight(live, plans(QUERIES));

        assertThat(regressions(report)).isEmpty();
        assertThat(findings(report)).isEmpty();
    }

    @Test
    void onPostgres17_theCheckSaysItCannotCopyStatistics_andFindsNothing() throws Exception {
        TestDatabase seventeen = PostgresServer.get().newDatabase();
        Sluice.migrate().run(MigrateEvent.against(seventeen.target()).migrations(scripts.source()).build(), Duration.ofMinutes(1));
        scripts.with("V2__drop_customer_index.sql", "DROP INDEX CONCURRENTLY orders_customer_idx;");

        JsonNode report = preflight(seventeen, plans(QUERIES));

        assertThat(report.path("plans").path("skipped").asText()).startsWith("the live server runs PostgreSQL 17.")
                .endsWith("copying planner statistics into a scratch database needs PostgreSQL 18 (pg_restore_relation_stats,"
                        + " pg_restore_attribute_stats), and plans compared without them would be meaningless");
        assertThat(report.path("plans").has("checked")).isFalse();
        assertThat(report.path("plans").has("regressions")).isFalse();
        assertThat(findings(report)).isEmpty();
        // A query folder outside the file roots is refused all the same.
        assertThatThrownBy(() -> preflight(seventeen, JSON.createObjectNode().put("queriesFrom", "filesystem:/etc")))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("plans.queriesFrom");
    }

    @Test
    void aRoleThatMayNotReadAllColumns_isSkipped_sayingWhichAndWhy() throws Exception {
        PostgresServer server = PostgresServer.version18();
        live.superuserSql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'plan_reader') THEN"
                + " CREATE ROLE plan_reader LOGIN CREATEDB PASSWORD 'Reader-pw-1'; END IF; END $$");
        live.superuserSql("GRANT SELECT ON flyway_schema_history, customers TO plan_reader; GRANT SELECT (id, status) ON orders TO"
                + " plan_reader");
        TestDatabase asReader = server.as(live, "plan_reader", "Reader-pw-1");
        scripts.with("V2__drop_customer_index.sql", "DROP INDEX CONCURRENTLY orders_customer_idx;");

        JsonNode report = preflight(asReader, plans(QUERIES));

        assertThat(report.path("plans").path("skipped").asText()).isEqualTo("role plan_reader may not read the statistics of 3"
                + " column(s) of 1 table(s) (first: orders.customer_id): pg_stats shows only the columns a role may SELECT. Run"
                + " preflight as the tables' owner (such as the RDS master user that ran the migrations), or grant SELECT on them or"
                + " the role pg_read_all_data");
        assertThat(findings(report)).isEmpty();

        // pg_read_all_data opens pg_stats; pg_read_all_stats (what pgStatStatements needs) does not.
        live.superuserSql("GRANT pg_read_all_stats TO plan_reader");
        assertThat(preflight(asReader, plans(QUERIES)).path("plans").path("skipped").asText()).startsWith("role plan_reader may not"
                + " read the statistics of 3 column(s)");
        live.superuserSql("GRANT pg_read_all_data TO plan_reader");
        JsonNode granted = preflight(asReader, plans(QUERIES));
        assertThat(granted.path("plans").has("skipped")).isFalse();
        assertThat(regressions(granted)).singleElement().asString().startsWith("queries[0] by V2__drop_customer_index.sql on orders:");
        live.superuserSql("REVOKE pg_read_all_data, pg_read_all_stats FROM plan_reader");
    }

    @Test
    void queriesThatWouldWrite_areOnlyPlannedInScratch_andTheLiveDatabaseIsUntouched() throws Exception {
        scripts.with("V2__add_note.sql", "ALTER TABLE orders ADD COLUMN note text;");
        List<String> before = live.rows("SELECT relname, reltuples, relpages FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                + " ORDER BY relname");

        JsonNode report = preflight(live, plans(List.of(
                "WITH gone AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM gone",
                "UPDATE customers SET region = 'xx' WHERE id = $1")));

        assertThat(report.path("plans").path("checked").asInt()).isEqualTo(2);
        assertThat(live.rows("SELECT count(*) FROM orders")).containsExactly("300000");
        assertThat(live.rows("SELECT count(*) FROM customers WHERE region = 'xx'")).containsExactly("0");
        assertThat(live.rows("SELECT relname, reltuples, relpages FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                + " ORDER BY relname")).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1 AS €$$; DELETE FROM orders; SELECT 1 AS €$$", "ANALYZE SELECT * FROM orders",
        "EXECUTE \"S_3\"(query_to_xml('SELECT pg_terminate_backend(pid) FROM pg_stat_activity', true, true, '')::text)",
        "EXPLAIN ANALYZE DELETE FROM orders"})
    void aQueryThatIsNoQuery_orHidesASecondStatement_isRefusedNamingIt_andNothingRuns(String query) {
        scripts.with("V2__add_note.sql", "ALTER TABLE orders ADD COLUMN note text;");

        assertThatThrownBy(() -> preflight(live, plans(List.of("SELECT count(*) FROM orders", query))))
                .isInstanceOf(InvalidRequest.class).hasMessageStartingWith("field 'plans.queries[1]': ");
        assertThat(live.rows("SELECT count(*) FROM orders")).containsExactly("300000");
    }

    @Test
    void aCostRatioThatIsNoRatio_isRefused() {
        assertThatThrownBy(() -> preflight(live, plans(QUERIES).put("maxCostRatio", 0.5)))
                .isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("field 'plans.maxCostRatio' must be above 1 and at most 1000 (after/before cost), got 0.5");
    }

    @Test
    void aFolderOfQueries_isReadUnderTheFileRootsOnly(@TempDir Path queries) throws Exception {
        Files.writeString(queries.resolve("by_customer.sql"), "SELECT id FROM orders WHERE customer_id = $1;\n");
        scripts.with("V2__drop_customer_index.sql", "DROP INDEX CONCURRENTLY orders_customer_idx;");

        JsonNode report = preflight(live, JSON.createObjectNode().put("queriesFrom", "filesystem:" + queries));

        assertThat(regressions(report)).singleElement().asString().startsWith("queriesFrom:by_customer.sql by"
                + " V2__drop_customer_index.sql on orders:");
        assertThatThrownBy(() -> preflight(live, JSON.createObjectNode().put("queriesFrom", "filesystem:/etc")))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("plans.queriesFrom");
    }
}
