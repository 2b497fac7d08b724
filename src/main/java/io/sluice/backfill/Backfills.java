package io.sluice.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.sluice.event.BackfillPlan;
import io.sluice.event.PlannedScript;
import io.sluice.event.SchemaName;
import io.sluice.migration.CatalogQueries;
import io.sluice.migration.Script;
import io.sluice.migration.ScriptSet;

/** The batched data migrations among the scripts a migrate would apply. */
public final class Backfills {

    /** A pending script that declares batches. */
    public record Pending(PlannedScript planned, BatchSpec spec) {
    }

    private Backfills() {
    }

    /** The batched scripts of {@code plan}, in plan order; a malformed declaration is a ValidationFailed. */
    public static List<Pending> pending(List<PlannedScript> plan, ScriptSet scripts) {
        List<Pending> found = new ArrayList<>();
        for (PlannedScript planned : plan) {
            if (planned.version() == null) {
                continue;
            }
            Script script = scripts.find(planned.script()).orElse(null);
            if (script != null) {
                BatchSpec.of(script).ifPresent(spec -> found.add(new Pending(planned, spec)));
            }
        }
        return found;
    }

    /**
     * {@code plan} with each batched script's estimate: the table's rows (planner statistics, or the key range when it
     * was never analyzed) and the batches they make at the starting size, and the rows earlier invocations did.
     *
     * @param stateSchema Sluice's state schema, where the progress table is (it may not exist yet)
     */
    public static List<PlannedScript> estimated(Connection connection, SchemaName schema, SchemaName stateSchema, List<PlannedScript> plan,
            ScriptSet scripts) throws SQLException {
        List<Pending> pending = pending(plan, scripts);
        if (pending.isEmpty()) {
            return plan;
        }
        List<PlannedScript> out = new ArrayList<>();
        for (PlannedScript planned : plan) {
            Pending backfill = pending.stream().filter(p -> p.planned() == planned).findFirst().orElse(null);
            if (backfill == null) {
                out.add(planned);
                continue;
            }
            BatchSpec spec = backfill.spec();
            String table = spec.table().contains(".") ? spec.table() : schema.value() + "." + spec.table();
            Long rows = rows(connection, table, spec.key());
            long done = rowsDone(connection, schema, stateSchema, planned.version());
            out.add(planned.withBackfill(new BackfillPlan(spec.table(), spec.key(), spec.size(), rows,
                    rows == null ? null : (rows + spec.size() - 1) / spec.size(), done)));
        }
        return out;
    }

    /** The table's rows: planner statistics, or the key range when it was never analyzed; null when it does not exist. */
    private static Long rows(Connection connection, String table, String key) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long reltuples = rs.getLong(1);
                if (reltuples >= 0) {
                    return reltuples;
                }
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT coalesce(max(" + key + ") - min(" + key + ") + 1, 0) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long rowsDone(Connection connection, SchemaName schema, SchemaName stateSchema, String version) throws SQLException {
        if (!CatalogQueries.tableExists(connection, stateSchema.value(), "backfill_progress")) {
            return 0;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT rows_done FROM " + stateSchema.quoted()
                + ".backfill_progress WHERE managed_schema = ? AND version = ?")) {
            query.setString(1, schema.value());
            query.setString(2, version);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * The Flyway target that applies what comes before {@code backfill} in {@code plan}: the versioned script just
     * before it, or {@code current} (apply nothing versioned) when it comes first.
     */
    public static String targetBefore(List<PlannedScript> plan, Pending backfill) {
        String before = "current";
        for (PlannedScript planned : plan) {
            if (planned.script().equals(backfill.planned().script())) {
                return before;
            }
            if (planned.version() != null) {
                before = planned.version();
            }
        }
        return before;
    }
}
