package io.sluice.roles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jboss.logging.Logger;

import io.sluice.error.NotIsolated;

/**
 * Makes and checks the roles Sluice owns on a live server, so that what a release carries runs with no privilege but
 * the one it needs: a gate by construction, not by a list of what is forbidden.
 * <ul>
 * <li>the probe role: {@code LOGIN}, nothing else; a member of no role (no {@code pg_read_all_data}, which reads the
 * catalogs' secrets too: {@code pg_authid}'s password verifiers, user mappings' passwords; no application role, no
 * {@code pg_signal_backend}, no {@code rds_superuser}), with {@code SELECT} on the managed schema's tables and views only
 * ({@link #grantReads}), a statement and an idle-in-transaction timeout, a {@code temp_file_limit} and a connection
 * limit (its sessions are made read-only as they start, and each probe runs in a READ ONLY transaction);</li>
 * <li>the scratch role: {@code LOGIN CREATEDB}, a member of nothing, with {@code statement_timeout},
 * {@code temp_file_limit} and {@code idle_in_transaction_session_timeout} on the role and a connection limit.</li>
 * </ul>
 * {@link #ensure} creates or corrects a role with the live database's credentials (RDS's master user may create
 * roles); {@link #problems} is what a session of the role finds wrong with it, checked before each use, whoever made it.
 * The password is sent as a SCRAM verifier, never as itself.
 */
public final class RoleProvisioner {

    private static final Logger LOG = Logger.getLogger(RoleProvisioner.class);

    /** What a role is for, and so what it may hold. */
    public enum Purpose {
        PROBE, SCRATCH
    }

    /**
     * The limits set on a role.
     *
     * @param statementTimeout   e.g. {@code 5min}
     * @param tempFileLimit      e.g. {@code 256MB}: the most temporary file space one of its sessions may take
     * @param connectionLimit    the most sessions of the role at once
     */
    public record Limits(String statementTimeout, String tempFileLimit, int connectionLimit) {
    }

    /** One statement of the provisioning, remembered for the error that names where it stopped. */
    @FunctionalInterface
    private interface Step {
        void execute(String sql) throws SQLException;
    }

    private RoleProvisioner() {
    }

    /**
     * Creates {@code role} on {@code live}'s server when it is missing, and sets what it must be (attributes, password,
     * limits, memberships) either way; a membership it must not hold is revoked.
     *
     * @throws NotIsolated when the live database's user may not, saying what an operator runs instead
     */
    public static void ensure(Connection live, OwnRole role, Purpose purpose, Limits limits) throws SQLException {
        String name = quote(role.name());
        boolean autoCommit = live.getAutoCommit();
        live.setAutoCommit(false);
        String[] step = {"SET TRANSACTION READ WRITE"};
        try (Statement plain = live.createStatement()) {
            Step statement = sql -> {
                step[0] = sql.replaceAll("PASSWORD '[^']*'", "PASSWORD '...'");
                plain.execute(sql);
            };
            statement.execute("SET TRANSACTION READ WRITE");
            Boolean createsRoles = null;
            try (PreparedStatement find = live.prepareStatement("SELECT rolcreaterole FROM pg_roles WHERE rolname = ?")) {
                find.setString(1, role.name());
                try (ResultSet rs = find.executeQuery()) {
                    createsRoles = rs.next() ? rs.getBoolean(1) : null;
                }
            }
            boolean exists = createsRoles != null;
            // Only what a role's creator may say: SUPERUSER, REPLICATION and BYPASSRLS need those very attributes to be
            // named at all (a role that has them fails the check after this, and is not used).
            String attributes = "LOGIN " + (purpose == Purpose.SCRATCH ? "CREATEDB NOINHERIT" : "NOCREATEDB INHERIT")
                    + (Boolean.TRUE.equals(createsRoles) ? " NOCREATEROLE" : "") + " CONNECTION LIMIT " + limits.connectionLimit()
                    + " PASSWORD " + literal(ScramVerifier.of(role.password()));
            statement.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + name + " WITH " + attributes);
            for (String member : memberships(live, role.name())) {
                statement.execute("REVOKE " + quote(member) + " FROM " + name);
            }
            statement.execute("ALTER ROLE " + name + " SET statement_timeout = " + literal(limits.statementTimeout()));
            statement.execute("ALTER ROLE " + name + " SET idle_in_transaction_session_timeout = '60s'");
            if (purpose == Purpose.PROBE) {
                // Not default_transaction_read_only on the role: the driver takes a session that starts read-only for a
                // standby, and a URL asking for the primary (targetServerType) would find none. Each probe session is
                // made read-only as it starts, and each probe runs in a READ ONLY transaction.
                statement.execute("ALTER ROLE " + name + " RESET default_transaction_read_only");
            }
            statement.execute("ALTER ROLE " + name + " SET temp_file_limit = " + literal(limits.tempFileLimit()));
            live.commit();
            LOG.infof("%s role %s %s", purpose.name().toLowerCase(java.util.Locale.ROOT), role.name(), exists ? "checked and set" : "created");
        } catch (SQLException e) {
            live.rollback();
            if ("42501".equals(e.getSQLState())) {
                throw new NotIsolated("the " + purpose.name().toLowerCase(java.util.Locale.ROOT) + " role " + role.name()
                        + " cannot be made by the live database's user (SQLSTATE 42501, insufficient_privilege, at: " + step[0]
                        + "): have an operator run "
                        + script(role.name(), purpose, limits) + " with the password of the deployment's secret for it", e);
            }
            throw e;
        } finally {
            live.setAutoCommit(autoCommit);
        }
    }

    /**
     * What is wrong with {@code roleName} for {@code purpose}, read in a session ({@code session}, any role's) of its
     * server: an attribute it must not have, a membership it must not hold, a limit missing; empty when nothing.
     */
    public static List<String> problems(Connection session, String roleName, Purpose purpose) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (PreparedStatement statement = session.prepareStatement("SELECT rolsuper, rolcreaterole, rolreplication, rolbypassrls,"
                + " rolcreatedb, rolcanlogin, rolconnlimit, rolinherit FROM pg_roles WHERE rolname = ?")) {
            statement.setString(1, roleName);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return List.of("the role does not exist");
                }
                String[] forbidden = {"SUPERUSER", "CREATEROLE", "REPLICATION", "BYPASSRLS"};
                for (int i = 0; i < forbidden.length; i++) {
                    if (rs.getBoolean(i + 1)) {
                        problems.add("it has " + forbidden[i]);
                    }
                }
                if (purpose == Purpose.PROBE && rs.getBoolean(5)) {
                    problems.add("it has CREATEDB");
                }
                if (!rs.getBoolean(6)) {
                    problems.add("it has NOLOGIN");
                }
                if (rs.getInt(7) < 0) {
                    problems.add("it has no CONNECTION LIMIT");
                }
            }
        }
        for (String member : memberships(session, roleName)) {
            problems.add("it is a member of " + member);
        }
        Map<String, String> settings = settings(session, roleName);
        List<String> required = purpose == Purpose.PROBE ? List.of("statement_timeout", "temp_file_limit")
                : List.of("statement_timeout", "temp_file_limit", "idle_in_transaction_session_timeout");
        for (String setting : required) {
            if (!settings.containsKey(setting)) {
                problems.add("it has no " + setting + " of its own (ALTER ROLE ... SET " + setting + ")");
            }
        }
        return problems;
    }

    /** The roles {@code roleName} is a member of, directly or through others. */
    private static List<String> memberships(Connection session, String roleName) throws SQLException {
        List<String> members = new ArrayList<>();
        try (PreparedStatement statement = session.prepareStatement("WITH RECURSIVE up(oid) AS (SELECT oid FROM pg_roles WHERE"
                + " rolname = ? UNION SELECT m.roleid FROM pg_auth_members m JOIN up ON m.member = up.oid)"
                + " SELECT r.rolname FROM up JOIN pg_roles r ON r.oid = up.oid WHERE r.rolname <> ? ORDER BY 1")) {
            statement.setString(1, roleName);
            statement.setString(2, roleName);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    members.add(rs.getString(1));
                }
            }
        }
        return members;
    }

    private static Map<String, String> settings(Connection session, String roleName) throws SQLException {
        Map<String, String> settings = new TreeMap<>();
        try (PreparedStatement statement = session.prepareStatement("SELECT unnest(s.setconfig) FROM pg_db_role_setting s"
                + " JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = ? AND s.setdatabase = 0")) {
            statement.setString(1, roleName);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String[] pair = rs.getString(1).split("=", 2);
                    settings.put(pair[0], pair.length > 1 ? pair[1] : "");
                }
            }
        }
        return settings;
    }

    /**
     * Sets back, in a session of the role itself ({@code self}), what any role may change of its own: its password and
     * the settings its sessions get ({@code RESET ALL} takes away only those a role may set on itself, so the
     * {@code temp_file_limit} an operator or {@link #ensure} gave it stays), then the timeouts it is made with.
     */
    public static void resetOwn(Connection self, OwnRole role, Limits limits) throws SQLException {
        try (Statement statement = self.createStatement()) {
            statement.execute("ALTER ROLE CURRENT_USER PASSWORD " + literal(ScramVerifier.of(role.password())));
            statement.execute("ALTER ROLE CURRENT_USER RESET ALL");
            statement.execute("ALTER ROLE CURRENT_USER SET statement_timeout = " + literal(limits.statementTimeout()));
            statement.execute("ALTER ROLE CURRENT_USER SET idle_in_transaction_session_timeout = '60s'");
        }
    }

    /**
     * The managed schema's tables and views (partitioned, materialized and foreign ones too) that {@code roleName} may
     * not read, read in a session ({@code session}, any role's) of its database; and whether it lacks {@code USAGE} on
     * the schema (then the schema's name comes first).
     */
    public static List<String> unreadable(Connection session, String roleName, String schema) throws SQLException {
        List<String> unreadable = new ArrayList<>();
        try (PreparedStatement statement = session.prepareStatement("SELECT NULL::text, 0 FROM pg_namespace n WHERE n.nspname = ?"
                + " AND NOT has_schema_privilege(?, n.oid, 'USAGE')"
                + " UNION ALL SELECT format('%I.%I', n.nspname, c.relname), 1 FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
                + " AND NOT has_table_privilege(?, c.oid, 'SELECT') ORDER BY 2, 1")) {
            statement.setString(1, schema);
            statement.setString(2, roleName);
            statement.setString(3, schema);
            statement.setString(4, roleName);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    unreadable.add(rs.getString(1) == null ? quote(schema) : rs.getString(1));
                }
            }
        }
        return unreadable;
    }

    /**
     * Grants {@code roleName} {@code USAGE} on {@code schema} and {@code SELECT} on each of its tables and views it may
     * not read yet, with the live database's credentials ({@code live}), each in a savepoint: one the live user may not
     * grant (another role owns it) is left out, and returned.
     */
    public static List<String> grantReads(Connection live, String roleName, String schema) throws SQLException {
        List<String> missing = unreadable(live, roleName, schema);
        List<String> refused = new ArrayList<>();
        boolean autoCommit = live.getAutoCommit();
        live.setAutoCommit(false);
        try (Statement statement = live.createStatement()) {
            statement.execute("SET TRANSACTION READ WRITE");
            for (String relation : missing) {
                boolean isSchema = relation.equals(quote(schema));
                var savepoint = live.setSavepoint();
                try {
                    statement.execute(isSchema ? "GRANT USAGE ON SCHEMA " + relation + " TO " + quote(roleName)
                            : "GRANT SELECT ON " + relation + " TO " + quote(roleName));
                    live.releaseSavepoint(savepoint);
                } catch (SQLException e) {
                    live.rollback(savepoint);
                    refused.add(relation + " (SQLSTATE " + e.getSQLState() + ")");
                }
            }
            live.commit();
        } catch (SQLException e) {
            live.rollback();
            throw e;
        } finally {
            live.setAutoCommit(autoCommit);
        }
        return refused;
    }

    /** The SQL an operator runs in Sluice's stead (the password left for them to give). */
    public static String script(String roleName, Purpose purpose, Limits limits) {
        String name = quote(roleName);
        return purpose == Purpose.PROBE
                ? "CREATE ROLE " + name + " LOGIN CONNECTION LIMIT " + limits.connectionLimit() + " PASSWORD '...'; ALTER ROLE " + name
                        + " SET statement_timeout = '" + limits.statementTimeout() + "'; ALTER ROLE " + name + " SET temp_file_limit = '"
                        + limits.tempFileLimit() + "'; GRANT USAGE ON SCHEMA <schema> TO " + name
                        + "; GRANT SELECT ON ALL TABLES IN SCHEMA <schema> TO " + name
                : "CREATE ROLE " + name + " LOGIN CREATEDB NOINHERIT CONNECTION LIMIT " + limits.connectionLimit()
                        + " PASSWORD '...'; ALTER ROLE " + name + " SET statement_timeout = '" + limits.statementTimeout() + "'; ALTER ROLE "
                        + name + " SET temp_file_limit = '" + limits.tempFileLimit() + "'; ALTER ROLE " + name
                        + " SET idle_in_transaction_session_timeout = '60s'";
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
