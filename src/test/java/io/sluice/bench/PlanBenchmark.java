package io.sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.sluice.event.PlansReport;
import io.sluice.event.PlansRequest;
import io.sluice.event.ValidateReport;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;

/**
 * The plan check on PostgreSQL 18: a live shop database of 2,105,000 rows (customers, products, orders, order items;
 * many-column tables, a view, a trigger, SQL functions, partial and plain indexes), 120 application queries (lookups by
 * key and by foreign key, joins, aggregates, CTEs, EXISTS, the view, the functions, INSERT/UPDATE/DELETE ... RETURNING,
 * all with {@code $n} parameters), and three releases: (a) drops the index the by-customer queries use, (b) changes a
 * key column's type, (c) is harmless (a column, an unrelated index). Prints per release the regressions (query, relation,
 * script, cost ratio), the statistics copy, the planning, the scripts and the scratch build, preflight without and with
 * the check, and beside them the peer: the same queries EXPLAINed on the live database. Goals: (a) and (b) flagged with
 * the right relation and script, (c) nothing, the check <= 3 s over the scratch builds.
 * Run: {@code ./mvnw -q test-compile exec:exec@bench-plans} ({@code -Dbench.orders=1000000 -Dbench.rounds=3}).
 */
public final class PlanBenchmark {

    private static final int ORDERS = Integer.getInteger("bench.orders", 1_000_000);
    private static final int CUSTOMERS = ORDERS / 10;
    private static final int PRODUCTS = 5_000;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    /** The regressions printed per release, largest cost ratio first. */
    private static final int SHOWN = Integer.getInteger("bench.shown", 6);

    private static final String V1 = """
            CREATE TABLE customers (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              email text NOT NULL UNIQUE,
              full_name text NOT NULL,
              region text NOT NULL,
              tier text NOT NULL DEFAULT 'standard',
              marketing_opt_in boolean NOT NULL DEFAULT false,
              attributes jsonb NOT NULL DEFAULT '{}',
              created_at timestamptz NOT NULL DEFAULT now(),
              updated_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX customers_region_idx ON customers (region);
            CREATE TABLE products (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              sku text NOT NULL UNIQUE,
              title text NOT NULL,
              category text NOT NULL,
              price numeric(12, 2) NOT NULL CHECK (price >= 0),
              active boolean NOT NULL DEFAULT true,
              created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE orders (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              customer_id bigint NOT NULL REFERENCES customers (id),
              status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped', 'done', 'cancelled')),
              total numeric(12, 2) NOT NULL DEFAULT 0,
              currency char(3) NOT NULL DEFAULT 'EUR',
              channel text,
              placed_at timestamptz NOT NULL DEFAULT now(),
              shipped_at timestamptz,
              note text
            );
            CREATE INDEX orders_customer_idx ON orders (customer_id);
            CREATE INDEX orders_placed_at_idx ON orders (placed_at);
            CREATE INDEX orders_open_idx ON orders (placed_at) WHERE status IN ('new', 'paid');
            CREATE TABLE order_items (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              order_id bigint NOT NULL REFERENCES orders (id),
              product_id bigint NOT NULL REFERENCES products (id),
              quantity integer NOT NULL CHECK (quantity > 0),
              unit_price numeric(12, 2) NOT NULL,
              discount numeric(5, 2) NOT NULL DEFAULT 0
            );
            CREATE INDEX order_items_order_idx ON order_items (order_id);
            CREATE INDEX order_items_product_idx ON order_items (product_id);
            CREATE VIEW customer_order_totals AS
              SELECT c.id, c.email, c.region, count(o.id) AS orders, coalesce(sum(o.total), 0) AS spent
                FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
               GROUP BY c.id, c.email, c.region;
            CREATE FUNCTION touch_customer() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.updated_at := now();
              RETURN NEW;
            END $$;
            CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION touch_customer();
            CREATE FUNCTION order_value(target bigint) RETURNS numeric LANGUAGE sql STABLE AS $$
              SELECT coalesce(sum(quantity * unit_price * (1 - discount / 100)), 0) FROM order_items WHERE order_id = target
            $$;
            """;

    /** A release: its scripts, and what a correct check says of it. */
    private record Release(String name, List<String[]> scripts, String relation, String script) {
    }

    private PlanBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        List<String> twice = queries().stream().filter(query -> Collections.frequency(queries(), query) > 1).distinct().toList();
        if (!twice.isEmpty()) {
            throw new IllegalStateException("the benchmark's queries must all differ: " + twice);
        }
        TestDatabase live = PostgresServer.version18().newDatabase();
        Path root = Files.createTempDirectory("sluice-bench-plans");
        ScriptFolder current = new ScriptFolder(root.resolve("current")).with("V1__shop.sql", V1);
        Sluice.migrate().run(MigrateEvent.against(live.target()).migrations(current.source()).build(), Duration.ofMinutes(5));
        long loading = System.nanoTime();
        load(live);
        System.out.printf("Live database on PostgreSQL %s: %,d customers, %,d products, %,d orders, %,d order items (%s), loaded and"
                + " analyzed in %d s%n", live.rows("SHOW server_version").get(0), CUSTOMERS, PRODUCTS, ORDERS, ORDERS,
                live.rows("SELECT pg_size_pretty(sum(pg_total_relation_size(oid))) FROM pg_class WHERE relnamespace ="
                        + " 'public'::regnamespace AND relkind = 'r'").get(0), (System.nanoTime() - loading) / 1_000_000_000);
        List<String> queries = queries();
        System.out.printf("%d application queries; peer: the same queries EXPLAINed (GENERIC_PLAN) on the live database: %d ms%n%n",
                queries.size(), explainOnLive(live, queries));

        List<Release> releases = List.of(
                new Release("(a) drop the index the by-customer queries use", List.of(
                        new String[] {"V2__orders_gift_flag.sql", "ALTER TABLE orders ADD COLUMN gift boolean NOT NULL DEFAULT false;\n"},
                        new String[] {"V3__drop_orders_customer_idx.sql", "DROP INDEX CONCURRENTLY orders_customer_idx;\n"}),
                        "orders", "V3__drop_orders_customer_idx.sql"),
                new Release("(b) change a key column's type", List.<String[]>of(
                        new String[] {"V2__order_items_order_id_numeric.sql", "ALTER TABLE order_items DROP CONSTRAINT"
                                + " order_items_order_id_fkey;\nALTER TABLE order_items ALTER COLUMN order_id TYPE numeric(20, 0);\n"}),
                        "orders", "V2__order_items_order_id_numeric.sql"),
                new Release("(c) harmless: a column, an unrelated index", List.of(
                        new String[] {"V2__customers_nickname.sql", "ALTER TABLE customers ADD COLUMN nickname text;\n"},
                        new String[] {"V3__products_created_idx.sql", "CREATE INDEX CONCURRENTLY products_created_idx ON products"
                                + " (created_at);\n"}),
                        null, null));
        boolean allMet = true;
        long worstAdded = 0;
        for (Release release : releases) {
            ScriptFolder scripts = new ScriptFolder(root.resolve("release-" + release.name().charAt(1))).with("V1__shop.sql", V1);
            release.scripts().forEach(script -> scripts.with(script[0], script[1]));
            List<Long> without = new ArrayList<>();
            List<Long> with = new ArrayList<>();
            List<PlansReport> reports = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                long started = System.nanoTime();
                Sluice.validate().run(ValidateEvent.against(live.target()).migrations(scripts.source()).preflight());
                without.add((System.nanoTime() - started) / 1_000_000);
                started = System.nanoTime();
                ValidateReport report = Sluice.validate().run(ValidateEvent.against(live.target()).migrations(scripts.source())
                        .plans(new PlansRequest(queries, null, null, null, null, null)).preflight());
                with.add((System.nanoTime() - started) / 1_000_000);
                reports.add(report.plans());
            }
            PlansReport plans = reports.get(reports.size() - 1);
            System.out.println(release.name());
            System.out.printf("  %-58s %s%n", "statistics", plans.statistics());
            Set<String> found = new LinkedHashSet<>();
            plans.regressions().forEach(regression -> found.add(regression.relation() + " by " + regression.script()));
            System.out.printf("  %-58s %d of %d checked (%s)%n", "regressions", plans.regressions().size(), plans.checked(),
                    found.isEmpty() ? "none" : String.join("; ", found));
            plans.regressions().stream().sorted((x, y) -> Double.compare(ratio(y), ratio(x))).limit(SHOWN).forEach(regression ->
                    System.out.printf("    %8.1fx  %s: %s -> %s%n      %s%n", ratio(regression), regression.source(), regression.before(),
                            regression.after(), regression.query()));
            System.out.printf("  %-58s %d%n", "improved", plans.improved().size());
            if (!plans.unchecked().isEmpty()) {
                System.out.printf("  %-58s %d, first: %s: %s%n", "unchecked (do not plan at the current version)", plans.unchecked().size(),
                        plans.unchecked().get(0).query(), plans.unchecked().get(0).error());
            }
            System.out.printf("  %-58s %s%n", "cost ratios of the regressions (min / median / max)", ratios(plans));
            long statistics = median(reports.stream().map(PlansReport::statisticsMs).toList());
            long planning = median(reports.stream().map(PlansReport::planMs).toList());
            long build = median(reports.stream().map(PlansReport::buildMs).toList());
            long applied = median(reports.stream().map(PlansReport::scriptsMs).toList());
            System.out.printf("  %-58s %8d ms%n", "statistics copy and table sizes (every point)", statistics);
            System.out.printf("  %-58s %8d ms%n", "planning " + plans.checked() + " queries before and after each script", planning);
            System.out.printf("  %-58s %8d ms%n", "scratch build at the current version", build);
            System.out.printf("  %-58s %8d ms%n", "the release's scripts in the scratch database", applied);
            System.out.printf("  %-58s %8d ms%n", "preflight without plans (median of " + ROUNDS + ")", median(without));
            System.out.printf("  %-58s %8d ms%n", "preflight with plans (median of " + ROUNDS + ")", median(with));
            long added = median(with) - median(without) - build - applied;
            worstAdded = Math.max(worstAdded, added);
            System.out.printf("  %-58s %8d ms%n", "added by the check beyond the scratch builds", added);
            boolean met = release.relation() == null ? plans.regressions().isEmpty()
                    : !plans.regressions().isEmpty() && plans.regressions().stream()
                            .allMatch(r -> release.script().equals(r.script())) && plans.regressions().stream()
                            .anyMatch(r -> release.relation().equals(r.relation()));
            allMet &= met;
            System.out.printf("  %-58s %s%n%n", release.relation() == null ? "goal: nothing flagged"
                    : "goal: flagged on " + release.relation() + " by " + release.script(), met ? "met" : "MISSED");
        }
        System.out.printf("Goal: the check adds <= 3000 ms over the scratch builds for %d queries: worst %d ms -> %s%n", queries.size(),
                worstAdded, worstAdded <= 3000 ? "met" : "MISSED");
        System.out.printf("Goal: (a) and (b) flagged with the right relation and script, (c) nothing -> %s%n", allMet ? "met" : "MISSED");
        System.exit(0);
    }

    private static void load(TestDatabase live) {
        live.superuserSql("SET session_replication_role = replica;"
                + " INSERT INTO customers (email, full_name, region, tier, marketing_opt_in, attributes, created_at)"
                + " SELECT 'c' || i || '@example.com', 'Customer ' || i, (ARRAY['eu', 'us', 'ap', 'latam'])[1 + i % 4],"
                + " CASE WHEN i % 20 = 0 THEN 'gold' ELSE 'standard' END, i % 3 = 0, jsonb_build_object('channel', 'web', 'n', i),"
                + " now() - (i % 1000) * interval '1 day' FROM generate_series(1, " + CUSTOMERS + ") i;"
                + " INSERT INTO products (sku, title, category, price) SELECT 'SKU-' || i, 'Product ' || i,"
                + " 'category-' || (i % 40), 1 + (i % 300) FROM generate_series(1, " + PRODUCTS + ") i;"
                + " INSERT INTO orders (customer_id, status, total, channel, placed_at, shipped_at)"
                + " SELECT 1 + (i::bigint * 7919) % " + CUSTOMERS + ", (ARRAY['new', 'paid', 'shipped', 'done', 'done', 'done',"
                + " 'done', 'cancelled'])[1 + i % 8], (i % 900) + 0.5, CASE WHEN i % 2 = 0 THEN 'web' ELSE 'app' END,"
                + " now() - (i % 2000) * interval '6 hours', CASE WHEN i % 8 >= 2 THEN now() - (i % 2000) * interval '5 hours' END"
                + " FROM generate_series(1, " + ORDERS + ") i;"
                + " INSERT INTO order_items (order_id, product_id, quantity, unit_price, discount)"
                + " SELECT i, 1 + (i::bigint * 31) % " + PRODUCTS + ", 1 + i % 4, 1 + (i % 300), (i % 5) * 2.5"
                + " FROM generate_series(1, " + ORDERS + ") i;"
                + " ANALYZE customers; ANALYZE products; ANALYZE orders; ANALYZE order_items");
        live.superuserSql("VACUUM customers, products, orders, order_items");
    }

    /** 120 queries of the application: six variants each of twenty shapes. */
    private static List<String> queries() {
        List<String> queries = new ArrayList<>();
        String[] statuses = {"new", "paid", "shipped", "done", "cancelled", "new"};
        String[] regions = {"eu", "us", "ap", "latam", "eu", "us"};
        for (int v = 0; v < 6; v++) {
            String status = statuses[v];
            int limit = 10 + v * 10;
            queries.add("SELECT id, status, total, placed_at FROM orders WHERE customer_id = $1 ORDER BY placed_at DESC LIMIT " + limit);
            queries.add("SELECT count(*), sum(total) FROM orders WHERE customer_id = $1 AND status = '" + status + "' AND total >= " + v);
            queries.add("SELECT o.id, o.total, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = $1"
                    + (v % 2 == 0 ? "" : " AND o.status <> 'cancelled'") + " LIMIT " + limit);
            queries.add("SELECT id, email, orders, spent FROM customer_order_totals WHERE id = $1 AND spent >= " + v);
            queries.add("SELECT o.id, o.placed_at, i.quantity, i.unit_price FROM order_items i JOIN orders o ON o.id = i.order_id"
                    + " WHERE i.product_id = $1 ORDER BY o.placed_at DESC LIMIT " + limit);
            queries.add("SELECT p.sku, p.title, i.quantity FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = $1"
                    + (v % 2 == 0 ? "" : " AND p.active") + " ORDER BY p.sku LIMIT " + limit);
            queries.add("SELECT id, customer_id, total FROM orders WHERE id = $1" + (v % 3 == 0 ? " AND total >= " + v
                    : " AND status = '" + status + "'"));
            queries.add("SELECT order_value($1::bigint) AS value_" + v);
            queries.add("SELECT status, count(*), avg(total) FILTER (WHERE channel = 'web') FROM orders WHERE placed_at >= $1"
                    + " GROUP BY status HAVING count(*) > " + v);
            queries.add("SELECT id, placed_at FROM orders WHERE status IN ('new', 'paid') AND placed_at < $1 ORDER BY placed_at"
                    + " LIMIT " + limit);
            queries.add("WITH recent AS (SELECT id, customer_id, total FROM orders WHERE placed_at > now() - $1::interval)"
                    + " SELECT c.region, count(*), sum(r.total) FROM recent r JOIN customers c ON c.id = r.customer_id GROUP BY c.region"
                    + " HAVING count(*) > " + v);
            queries.add("SELECT c.id, c.email FROM customers c WHERE c.region = '" + regions[v] + "' AND EXISTS (SELECT 1 FROM orders o"
                    + " WHERE o.customer_id = c.id AND o.status = '" + status + "') LIMIT " + limit);
            queries.add("SELECT i.order_id, sum(i.quantity * i.unit_price) FROM order_items i WHERE i.order_id = ANY ($1::bigint[])"
                    + " GROUP BY i.order_id HAVING sum(i.quantity) > " + v);
            queries.add("SELECT o.id, o.total, o.total - coalesce((SELECT sum(i.quantity * i.unit_price) FROM order_items i"
                    + " WHERE i.order_id = o.id), 0) AS diff FROM orders o WHERE o.customer_id = $1 AND o.total > " + v * 10);
            queries.add("SELECT p.category, count(*), sum(i.quantity) FROM order_items i JOIN products p ON p.id = i.product_id"
                    + " WHERE p.category = $1 AND i.quantity >= " + (1 + v % 4) + " GROUP BY p.category HAVING count(*) > " + v);
            queries.add("SELECT id, email, attributes->>'channel' AS channel FROM customers WHERE attributes @> $1::jsonb LIMIT " + limit);
            queries.add("UPDATE orders SET status = '" + status + "', note = $2 WHERE id = $1 AND total >= " + v + " RETURNING id, status");
            queries.add("INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ($1, $2, " + (1 + v)
                    + ", $3) RETURNING id");
            queries.add("DELETE FROM order_items WHERE order_id = $1 AND product_id = $2 AND quantity > " + v + " RETURNING id");
            queries.add("SELECT c.tier, count(DISTINCT o.customer_id) FROM orders o JOIN customers c ON c.id = o.customer_id"
                    + " WHERE o.placed_at BETWEEN $1 AND $2 AND c.region = '" + regions[v] + "' GROUP BY c.tier HAVING count(*) > " + v);
        }
        return queries;
    }

    /** The peer: each query EXPLAINed as a generic plan on the live database, one round trip each, as a script would. */
    private static long explainOnLive(TestDatabase live, List<String> queries) throws SQLException {
        try (Connection connection = live.connect()) {
            connection.createStatement().execute("CREATE FUNCTION pg_temp.explain(query text) RETURNS text LANGUAGE plpgsql AS $$"
                    + " DECLARE plan text; BEGIN EXECUTE 'EXPLAIN (FORMAT JSON, GENERIC_PLAN) ' || query INTO plan; RETURN plan; END $$");
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_temp.explain(?)")) {
                long started = System.nanoTime();
                for (String query : queries) {
                    statement.setString(1, query);
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                    }
                }
                return (System.nanoTime() - started) / 1_000_000;
            }
        }
    }

    private static double ratio(PlansReport.Regression regression) {
        return regression.ratio() == null ? Double.POSITIVE_INFINITY : regression.ratio();
    }

    private static String ratios(PlansReport plans) {
        if (plans.regressions().isEmpty()) {
            return "-";
        }
        List<Double> ratios = plans.regressions().stream().map(PlanBenchmark::ratio).sorted().toList();
        return String.format(Locale.ROOT, "%.2fx / %.1fx / %.1fx", ratios.get(0), ratios.get(ratios.size() / 2),
                ratios.get(ratios.size() - 1));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
