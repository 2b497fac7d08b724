package io.sluice.schemafile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sluice.event.Phase;
import io.sluice.event.PreflightRequest;
import io.sluice.lint.LintPolicy;
import io.sluice.lint.Linter;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;
import io.sluice.scratch.ReversibilityProver;
import io.sluice.testing.MigrateSettings;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;

/**
 * Migrations generated from twenty hand-made edits of a desired schema file (add, drop and alter of columns, indexes,
 * constraints, views, functions, a table, a possible rename), on a real PostgreSQL: every generated pair is proven
 * reversible in a scratch database (apply, undo, compare, re-apply), lints without an error, and reaches the desired
 * schema; and each edit takes the form lint asks for.
 */
class MigrationGeneratorTest {

    private static ScriptFolder history;
    private static ScriptSet scripts;
    private static String base;
    private static TestDatabase db;
    private static MigrationGenerator generator;

    @BeforeAll
    static void theHistoryAndItsSchemaFile() throws Exception {
        Path dir = Files.createTempDirectory("sluice-generate");
        history = SchemaHistory.in(dir.resolve("migrations"));
        db = PostgresServer.get().newDatabase();
        scripts = new ScriptLoader(Sluice.files()).load(history.source());
        base = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(history.source()).export()).schemaFile().sql();
        SchemaBuilds builds = new SchemaBuilds(Sluice.connector(), Sluice.catalog().reader(), MigrateSettings.defaults());
        generator = new MigrationGenerator(Sluice.connector(), Sluice.catalog().reader(), builds,
                new ReversibilityProver(Sluice.connector(), Sluice.catalog(), MigrateSettings.defaults()), new Linter(LintPolicy.defaults()),
                MigrateSettings.defaults());
    }

    private static UnaryOperator<String> append(String sql) {
        return file -> file + "\n" + sql + "\n";
    }

    private static UnaryOperator<String> replace(String from, String to) {
        return file -> {
            assertThat(file).as("the base schema file has %s", from).contains(from);
            return file.replace(from, to);
        };
    }

    /** Each edit, and what its scripts must look like: their names and phases, a text one of them holds. */
    static Stream<Arguments> edits() {
        return Stream.of(
                Arguments.of("add_gift_note", append("ALTER TABLE public.orders ADD COLUMN gift_note text;"),
                        List.of("V5__add_gift_note.sql expand"), "ALTER TABLE public.orders ADD COLUMN gift_note text;"),
                Arguments.of("add_opt_in", append("ALTER TABLE public.customers ADD COLUMN opt_in boolean DEFAULT false NOT NULL;"),
                        List.of("V5__add_opt_in.sql expand"), "ADD COLUMN opt_in boolean DEFAULT false NOT NULL;"),
                Arguments.of("drop_country", replace("country character(2), ", ""),
                        List.of("V5__drop_country_contract.sql contract"), "-- sluice:ignore ban-drop-column"),
                Arguments.of("widen_note", replace("note character varying(200)", "note character varying(500)"),
                        List.of("V5__widen_note.sql expand"), "ALTER COLUMN note TYPE character varying(500);"),
                Arguments.of("note_as_text", replace("note character varying(200)", "note text"),
                        List.of("V5__note_as_text.sql expand"), "ALTER COLUMN note TYPE text;"),
                Arguments.of("require_note", replace("note character varying(200)", "note character varying(200) NOT NULL"),
                        List.of("V5__require_note.sql expand", "V6__require_note_validate_note_not_null.sql expand",
                                "V7__require_note_note_not_null.sql expand"), "CHECK (note IS NOT NULL) NOT VALID;"),
                Arguments.of("optional_name", replace("full_name text NOT NULL", "full_name text"),
                        List.of("V5__optional_name.sql expand"), "ALTER COLUMN full_name DROP NOT NULL;"),
                Arguments.of("pending_status", replace("status text DEFAULT 'new'::text", "status text DEFAULT 'pending'::text"),
                        List.of("V5__pending_status.sql expand"), "SET DEFAULT 'pending'::text;"),
                Arguments.of("status_index", append("CREATE INDEX orders_status_idx ON public.orders USING btree (status);"),
                        List.of("V5__status_index_index_orders_status_idx.sql expand"),
                        "CREATE INDEX CONCURRENTLY orders_status_idx ON public.orders USING btree (status);"),
                Arguments.of("drop_open_index", replace("CREATE INDEX orders_open_idx ON public.orders USING btree (placed_at) WHERE (status <>"
                        + " 'shipped'::text);\n", ""), List.of("V5__drop_open_index_drop_index_orders_open_idx.sql expand"),
                        "DROP INDEX CONCURRENTLY IF EXISTS public.orders_open_idx;"),
                Arguments.of("new_orders_index", replace("USING btree (placed_at) WHERE (status <> 'shipped'::text);",
                        "USING btree (placed_at) WHERE (status = 'new'::text);"),
                        List.of("V5__new_orders_index_drop_index_orders_open_idx.sql expand",
                                "V6__new_orders_index_index_orders_open_idx.sql expand"), "WHERE (status = 'new'::text);"),
                Arguments.of("email_check", append("ALTER TABLE public.customers ADD CONSTRAINT customers_email_check CHECK (email LIKE '%@%');"),
                        List.of("V5__email_check.sql expand", "V6__email_check_validate_customers_email_check.sql expand"), " NOT VALID;"),
                Arguments.of("referrer", append("ALTER TABLE public.orders ADD COLUMN referrer_id bigint;\nALTER TABLE public.orders ADD"
                        + " CONSTRAINT orders_referrer_fkey FOREIGN KEY (referrer_id) REFERENCES public.customers(id);"),
                        List.of("V5__referrer.sql expand", "V6__referrer_validate_orders_referrer_fkey.sql expand"),
                        "VALIDATE CONSTRAINT orders_referrer_fkey;"),
                Arguments.of("unique_note", append("ALTER TABLE public.orders ADD CONSTRAINT orders_note_key UNIQUE (note);"),
                        List.of("V5__unique_note_index_orders_note_key.sql expand", "V6__unique_note_attach_orders_note_key.sql expand"),
                        "ADD CONSTRAINT orders_note_key UNIQUE USING INDEX orders_note_key;"),
                Arguments.of("no_total_check", replace("ALTER TABLE public.orders ADD CONSTRAINT orders_total_check CHECK ((total >= (0)::numeric));\n",
                        ""), List.of("V5__no_total_check.sql expand"), "DROP CONSTRAINT orders_total_check;"),
                Arguments.of("order_events", append("CREATE TABLE public.order_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                        + " order_id bigint NOT NULL REFERENCES public.orders(id), kind text NOT NULL, at timestamptz DEFAULT now() NOT NULL);\n"
                        + "CREATE INDEX order_events_order_idx ON public.order_events (order_id);"),
                        List.of("V5__order_events.sql expand", "V6__order_events_index_order_events_order_idx.sql expand"),
                        "CREATE TABLE public.order_events"),
                Arguments.of("no_tier_counts", replace("CREATE MATERIALIZED VIEW public.tier_counts AS\nSELECT tier,\n    count(*) AS customers\n"
                        + "   FROM customers\n  GROUP BY tier\nWITH NO DATA;\n", ""), List.of("V5__no_tier_counts.sql expand"),
                        "DROP MATERIALIZED VIEW public.tier_counts;"),
                Arguments.of("gold_customers", append("CREATE VIEW public.gold_customers AS SELECT id, email FROM public.customers WHERE tier"
                        + " = 'gold';"), List.of("V5__gold_customers.sql expand"), "CREATE VIEW public.gold_customers AS"),
                Arguments.of("cancelled_not_open", replace("  WHERE status <> 'shipped'::text;",
                        "  WHERE status <> ALL (ARRAY['shipped'::text, 'cancelled'::text]);"),
                        List.of("V5__cancelled_not_open.sql expand"), "'cancelled'::text"),
                Arguments.of("clock_timestamp", replace("NEW.updated_at := now();", "NEW.updated_at := clock_timestamp();"),
                        List.of("V5__clock_timestamp.sql expand"), "clock_timestamp()"),
                Arguments.of("note_to_remark", replace("note character varying(200)", "remark character varying(200)"),
                        List.of("V5__note_to_remark.sql expand", "V6__note_to_remark_contract.sql contract"),
                        "-- possible rename: public.orders.note → public.orders.remark"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void anEditOfTheDesiredSchema_givesScriptsThatProveReversible_lintClean_andReachIt(String name, UnaryOperator<String> edit,
            List<String> expected, String holds) throws Exception {
        PreflightRequest request = ValidateEvent.against(db.target()).migrations(history.source()).preflight();

        MigrationGenerator.Outcome outcome = generator.generate(request, scripts, edit.apply(base), name);

        StringBuilder all = new StringBuilder();
        outcome.scripts().forEach(script -> all.append("== ").append(script.name()).append('\n').append(script.sql())
                .append("== ").append(script.undo()).append('\n').append(script.undoSql()));
        assertThat(outcome.scripts()).as("%s", all).extracting(script -> script.name() + " " + script.phase().toString().toLowerCase())
                .containsExactlyElementsOf(expected);
        assertThat(all.toString()).contains(holds);
        assertThat(outcome.unreached()).as("%s", all).isEmpty();
        assertThat(outcome.proof()).as("%s", all).hasSize(expected.size())
                .allSatisfy(check -> assertThat(check.reversible()).as("%s: %s", check.script(), check.message()).isTrue());
        assertThat(outcome.lint().findings()).as("%s", all).noneMatch(finding -> finding.severity().equals("ERROR"));
        assertThat(outcome.lint().errors()).isZero();
        assertThat(outcome.clean()).isTrue();
        assertThat(outcome.scripts()).filteredOn(script -> script.phase() == Phase.CONTRACT)
                .allSatisfy(script -> assertThat(script.sql()).contains("-- sluice:phase contract"));
        assertThat(outcome.scripts()).filteredOn(script -> script.sql().contains(" CONCURRENTLY "))
                .allSatisfy(script -> assertThat(script.sql().lines().filter(line -> !line.startsWith("--")).count()).isEqualTo(1));
        if (name.equals("note_to_remark")) {
            assertThat(outcome.notes()).singleElement().asString().startsWith("possible rename: public.orders.note → public.orders.remark");
        }
    }
    /**
     * The attack of the review: a desired column whose name holds a line break and a GRANT. The name reaches the
     * generated script only through the one escaping function (as U&"..." with the break escaped), in its comment as in
     * its statements: no GRANT is a statement of it, and after migrate no role but the owner may use the table.
     */
    @org.junit.jupiter.api.Test
    void aDesiredNameWithALineBreakAndAGrant_staysOneName_inTheScriptsStatementsAndComments() throws Exception {
        String evil = "new\nGRANT ALL ON ALL TABLES IN SCHEMA public TO PUBLIC; --";
        String desired = base.replace("CREATE TABLE public.orders (", "CREATE TABLE public.orders (\"" + evil + "\" text, ")
                .replace("CREATE TABLE public.customers (", "CREATE TABLE public.customers (");
        PreflightRequest request = ValidateEvent.against(db.target()).migrations(history.source()).preflight();

        MigrationGenerator.Outcome added = generator.generate(request, scripts, desired, "evil_column");

        assertThat(added.scripts()).isNotEmpty();
        for (MigrationGenerator.Generated script : added.scripts()) {
            for (String text : List.of(script.sql(), script.undoSql())) {
                assertThat(io.sluice.sql.SqlText.split(text)).extracting(statement -> statement.normalized())
                        .noneMatch(statement -> statement.startsWith("GRANT"));
                assertThat(text).contains("U&\"new\\000aGRANT ALL ON ALL TABLES IN SCHEMA public TO PUBLIC; --\"");
            }
        }
        TestDatabase applied = PostgresServer.get().newDatabase();
        ScriptFolder release = SchemaHistory.in(Files.createTempDirectory("sluice-evil").resolve("migrations"));
        for (MigrationGenerator.Generated script : added.scripts()) {
            release.with(script.name(), script.sql()).with(script.undo(), script.undoSql());
        }
        Sluice.migrate().run(io.sluice.testing.MigrateEvent.against(applied.target()).migrations(release.source()).build(),
                java.time.Duration.ofMinutes(1));
        assertThat(applied.rows("SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = 'PUBLIC'"
                + " AND table_schema = 'public'")).containsExactly("0");
        assertThat(applied.rows("SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.orders'::regclass AND attname = "
                + "E'new\\nGRANT ALL ON ALL TABLES IN SCHEMA public TO PUBLIC; --'")).containsExactly("1");

        // Dropped again, the comment that says so holds the same one name.
        MigrationGenerator.Outcome dropped = generator.generate(ValidateEvent.against(applied.target()).migrations(release.source())
                .preflight(), new ScriptLoader(Sluice.files()).load(release.source()), base, "evil_gone");
        for (MigrationGenerator.Generated script : dropped.scripts()) {
            assertThat(io.sluice.sql.SqlText.split(script.sql())).extracting(statement -> statement.normalized())
                    .noneMatch(statement -> statement.startsWith("GRANT"));
        }
    }
}
