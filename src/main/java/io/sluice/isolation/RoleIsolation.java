package io.sluice.isolation;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.sluice.error.AuthenticationFailed;
import io.sluice.error.NotIsolated;
import io.sluice.event.DatabaseTarget;
import io.sluice.roles.OwnRole;
import io.sluice.roles.RoleProvisioner;
import io.sluice.roles.RoleProvisioner.Purpose;

/**
 * Scratch databases on the live server, made by a role of their own (opt-in: {@code sluice.scratch.isolation=role}):
 * {@code LOGIN CREATEDB}, a member of no role (no application role, no {@code rds_superuser}, no
 * {@code pg_signal_backend}), a connection limit, and {@code statement_timeout}, {@code temp_file_limit} and
 * {@code idle_in_transaction_session_timeout} on the role. Made, or set right, with the live database's credentials when
 * it refuses the secret's password or holds more than it should; checked before every use; it never holds the live database's credentials, so a script cannot end the application's
 * sessions, change a role or read another database. What it does not stop (it shares the server's disk and CPU) the
 * scratch bounds limit.
 */
final class RoleIsolation implements Isolation {

    private final OwnRole role;
    private final RoleProvisioner.Limits limits;
    private final Opener opener;
    private final String template;

    RoleIsolation(OwnRole role, RoleProvisioner.Limits limits, Opener opener, String template) {
        this.role = role;
        this.limits = limits;
        this.opener = opener;
        this.template = template;
    }

    @Override
    public ScratchServer server(DatabaseTarget live, DatabaseTarget scratch) {
        try (Connection session = open(live)) {
            List<String> problems = problems(session);
            if (!problems.isEmpty()) {
                // A role someone changed since: set it right once more, then hold it to the same check.
                try {
                    ensure(live);
                } catch (NotIsolated cannotSetRight) {
                    throw new NotIsolated("the scratch role " + role.name() + " on " + live.displayUrl() + " is not isolated: "
                            + String.join("; ", problems) + ", and setting it right failed: " + cannotSetRight.getMessage()
                            + ". Nothing ran in a scratch database", cannotSetRight);
                }
                problems = problems(session);
            }
            if (!problems.isEmpty()) {
                throw new NotIsolated("the scratch role " + role.name() + " on " + live.displayUrl() + " is not isolated: "
                        + String.join("; ", problems) + ". Nothing ran in a scratch database");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("checking the scratch role failed: SQLSTATE " + e.getSQLState(), e);
        }
        return new ScratchServer() {
            @Override
            public Connection admin() {
                return opener.open(role.on(live));
            }

            @Override
            public DatabaseTarget worker(String database) {
                return role.on(live, database);
            }

            @Override
            public String owner() {
                return null;
            }

            @Override
            public String template() {
                return template;
            }

            @Override
            public String description() {
                return "the scratch role " + role.name() + " on the live server";
            }

            @Override
            public String isolation() {
                return "role";
            }

            @Override
            public void afterUse(Connection admin) throws SQLException {
                // The role logs in to the live server: a password its work set must not outlive the work. Its own
                // session sets it back (no live credentials needed, whoever made the role).
                RoleProvisioner.resetOwn(admin, role, limits);
            }
        };
    }

    private Connection open(DatabaseTarget live) {
        try {
            return opener.open(role.on(live));
        } catch (AuthenticationFailed rejected) {
            ensure(live);
            return opener.open(role.on(live));
        }
    }

    private List<String> problems(Connection session) throws SQLException {
        List<String> problems = new java.util.ArrayList<>(RoleProvisioner.problems(session, role.name(), Purpose.SCRATCH));
        try (Statement statement = session.createStatement(); ResultSet rs = statement.executeQuery(
                "SELECT current_setting('temp_file_limit'), current_setting('statement_timeout')")) {
            rs.next();
            if (rs.getString(1).equals("-1")) {
                problems.add("its sessions have no temp_file_limit");
            }
            if (rs.getString(2).equals("0")) {
                problems.add("its sessions have no statement_timeout");
            }
        }
        return problems;
    }

    private void ensure(DatabaseTarget live) {
        try (Connection connection = opener.open(live)) {
            RoleProvisioner.ensure(connection, role, Purpose.SCRATCH, limits);
        } catch (SQLException e) {
            throw new IllegalStateException("making the scratch role failed: SQLSTATE " + e.getSQLState(), e);
        }
    }
}
