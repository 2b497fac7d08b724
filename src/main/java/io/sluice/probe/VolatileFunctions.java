package io.sluice.probe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.sql.CallerErrors;
import io.sluice.sql.SqlText;

/**
 * The VOLATILE functions a query would call, as the live server resolves them: the query is made the body of a
 * temporary view (parsed and analysed, never run or planned), and the server's own query tree of that view
 * ({@code pg_rewrite.ev_action}) is read for every function, operator and type it resolved, and so for every view it
 * reads, recursively. Built-in objects are in that tree as much as the user's (the dependencies PostgreSQL records leave
 * out the pinned built-in ones). What the tree's functions, operators (and their selectivity estimators), aggregates'
 * support functions, types' input and output functions and domains' constraints call is then looked up in
 * {@code pg_proc}. {@code $n} parameters become typed NULLs, the types PostgreSQL infers for them when it prepares the
 * query. Everything happens in a transaction that keeps nothing (rolled back to a savepoint, then an empty commit); only
 * the session's temporary schema is written.
 */
final class VolatileFunctions {

    private static final Pattern PARAMETER = Pattern.compile("(?<![\\w$])\\$(\\d+)");
    private static final String VIEW = "pg_temp.sluice_probe_view";
    private static final String PREPARE = "PREPARE sluice_probe_types AS ";
    private static final String CREATE_VIEW = "CREATE TEMPORARY VIEW sluice_probe_view AS SELECT 1 FROM (";
    /** The fields of PostgreSQL's node trees that name what is called: functions, operators, types, relations. */
    private static final Pattern FUNCTION = Pattern.compile(":(?:funcid|opfuncid|aggfnoid|winfnoid|tsmhandler) (\\d+)");
    private static final Pattern OPERATOR = Pattern.compile(":(?:opno|eqop|sortop) (\\d+)|:opnos \\(o ([\\d ]+)\\)");
    private static final Pattern TYPE = Pattern.compile(":(?:resulttype|consttype|refrestype|minmaxtype|row_typeid) (\\d+)");
    private static final Pattern RELATION = Pattern.compile(":relid (\\d+)");
    /** How many views deep the reading goes; a view of views of views is read that far. */
    private static final int MAX_VIEWS = 200;
    private static final String VOLATILE = "WITH f(oid) AS (SELECT unnest(?::oid[])), o(oid) AS (SELECT unnest(?::oid[])),"
            + " t(oid) AS (SELECT unnest(?::oid[])),"
            + " calls(oid) AS (SELECT oid FROM f"
            + " UNION SELECT unnest(ARRAY[op.oprcode::oid, op.oprrest::oid, op.oprjoin::oid]) FROM pg_operator op JOIN o ON op.oid = o.oid"
            + " UNION SELECT unnest(ARRAY[ty.typinput::oid, ty.typoutput::oid]) FROM pg_type ty JOIN t ON ty.oid = t.oid),"
            + " support(oid) AS (SELECT oid FROM calls UNION SELECT unnest(ARRAY[a.aggtransfn::oid, a.aggfinalfn::oid,"
            + " a.aggcombinefn::oid, a.aggserialfn::oid, a.aggdeserialfn::oid, a.aggmtransfn::oid, a.aggminvtransfn::oid,"
            + " a.aggmfinalfn::oid]) FROM pg_aggregate a JOIN calls ON a.aggfnoid = calls.oid)"
            + " SELECT DISTINCT n.nspname, p.proname FROM support s JOIN pg_proc p ON p.oid = s.oid"
            + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.provolatile = 'v' ORDER BY 1, 2";

    private VolatileFunctions() {
    }

    /**
     * The VOLATILE functions {@code query} (one query, as the query gate passed it) calls, {@code schema.name}; empty when
     * none.
     *
     * @throws Unreadable when the query does not even parse or analyse there
     */
    static List<String> in(Connection connection, String text) throws SQLException, Unreadable {
        String query = SqlText.statementText(text);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        Savepoint nothing = null;
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION READ WRITE");
            nothing = connection.setSavepoint();
            String typed = withTypedParameters(connection, statement, query);
            try {
                statement.execute(CREATE_VIEW + typed + "\n) AS probe");
            } catch (SQLException e) {
                if (CallerErrors.isConnectionLost(e)) {
                    throw e;
                }
                throw new Unreadable(CallerErrors.describe(e, typed, CREATE_VIEW.length()));
            }
            Called called = new Called();
            called.read(connection, "SELECT r.ev_action::text FROM pg_rewrite r WHERE r.ev_class = '" + VIEW + "'::regclass", null);
            List<String> found = new ArrayList<>();
            try (PreparedStatement volatiles = connection.prepareStatement(VOLATILE)) {
                volatiles.setArray(1, connection.createArrayOf("oid", called.functions.toArray()));
                volatiles.setArray(2, connection.createArrayOf("oid", called.operators.toArray()));
                volatiles.setArray(3, connection.createArrayOf("oid", called.types.toArray()));
                try (ResultSet rs = volatiles.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1) + "." + rs.getString(2));
                    }
                }
            }
            return found;
        } finally {
            // Back to before the view, then a commit of nothing: a rollback would count in pg_stat_database as one of the
            // application's errors, which the canary's error rate reads.
            if (nothing != null) {
                connection.rollback(nothing);
            }
            connection.commit();
            connection.setAutoCommit(autoCommit);
        }
    }

    /** What a query tree and the trees it leads to name: functions, operators and types, by OID. */
    private static final class Called {
        final Set<Long> functions = new TreeSet<>();
        final Set<Long> operators = new TreeSet<>();
        final Set<Long> types = new TreeSet<>();
        private final Set<Long> relations = new TreeSet<>();
        private final Set<Long> domains = new TreeSet<>();

        /** Reads the trees {@code sql} returns (one parameter: {@code oid}, unless null), then what they lead to. */
        void read(Connection connection, String sql, Long oid) throws SQLException {
            List<String> trees = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                if (oid != null) {
                    statement.setLong(1, oid);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        trees.add(rs.getString(1));
                    }
                }
            }
            List<Long> views = new ArrayList<>();
            for (String tree : trees) {
                collect(FUNCTION, tree, functions);
                collect(TYPE, tree, types);
                Matcher operator = OPERATOR.matcher(tree);
                while (operator.find()) {
                    String ids = operator.group(1) != null ? operator.group(1) : operator.group(2);
                    for (String id : ids.trim().split("\\s+")) {
                        operators.add(Long.parseLong(id));
                    }
                }
                Matcher relation = RELATION.matcher(tree);
                while (relation.find()) {
                    long id = Long.parseLong(relation.group(1));
                    if (relations.size() < MAX_VIEWS && relations.add(id)) {
                        views.add(id);
                    }
                }
            }
            for (long view : views) {
                // A view it reads runs its own query: that query's tree is read as this one's (tables have none).
                read(connection, "SELECT r.ev_action::text FROM pg_rewrite r WHERE r.ev_class = ?", view);
            }
            for (long type : List.copyOf(types)) {
                if (domains.add(type)) {
                    read(connection, "SELECT c.conbin::text FROM pg_constraint c WHERE c.contypid = ? AND c.conbin IS NOT NULL", type);
                }
            }
        }

        private static void collect(Pattern pattern, String tree, Set<Long> into) {
            Matcher matcher = pattern.matcher(tree);
            while (matcher.find()) {
                into.add(Long.parseLong(matcher.group(1)));
            }
        }
    }

    /** A query the server cannot read: its SQLSTATE and where, in the query's own text. */
    static final class Unreadable extends Exception {
        Unreadable(String described) {
            super(described);
        }
    }

    /**
     * {@code query} with each {@code $n} replaced by {@code CAST(NULL AS <its type>)}, the types PREPARE infers; PREPARE
     * reads the query exactly as running it would, so one it refuses is {@link Unreadable}.
     */
    private static String withTypedParameters(Connection connection, Statement statement, String query) throws SQLException,
            Unreadable {
        Savepoint prepared = connection.setSavepoint();
        try {
            statement.execute(PREPARE + query);
        } catch (SQLException e) {
            if (CallerErrors.isConnectionLost(e)) {
                throw e;
            }
            connection.rollback(prepared);
            throw new Unreadable(CallerErrors.describe(e, query, PREPARE.length()));
        }
        List<String> types = new ArrayList<>();
        try (PreparedStatement read = connection.prepareStatement("SELECT unnest(parameter_types)::text FROM pg_prepared_statements"
                + " WHERE name = 'sluice_probe_types'"); ResultSet rs = read.executeQuery()) {
            while (rs.next()) {
                types.add(rs.getString(1));
            }
        }
        statement.execute("DEALLOCATE sluice_probe_types");
        Matcher parameter = PARAMETER.matcher(SqlText.blanked(query));
        if (!parameter.find()) {
            return query;
        }
        StringBuilder out = new StringBuilder(query.length());
        int copied = 0;
        parameter.reset();
        while (parameter.find()) {
            int index = Integer.parseInt(parameter.group(1));
            String type = index >= 1 && index <= types.size() ? types.get(index - 1) : "unknown";
            out.append(query, copied, parameter.start()).append("CAST(NULL AS ").append(type).append(')');
            copied = parameter.end();
        }
        return out.append(query, copied, query.length()).toString();
    }
}
