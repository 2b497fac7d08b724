package io.sluice.probe;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;

import io.sluice.error.AuthenticationFailed;
import io.sluice.error.NotIsolated;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.SchemaName;
import io.sluice.migration.DatabaseConnector;
import io.sluice.roles.OwnRole;
import io.sluice.roles.OwnRoles;
import io.sluice.roles.RoleProvisioner;
import io.sluice.roles.RoleProvisioner.Purpose;

/**
 * Opens the sessions in which what a release carries reaches a live server (probes, check-green's plans and probes):
 * always as the deployment's probe role, never as the live database's user nor as a role an event names. The role is
 * made, or set right, with the live database's credentials when the server refuses its password (a first meeting, a
 * rotated secret) or when it holds more than it should; every session checks first that the role holds nothing more
 * ({@link RoleProvisioner#problems}), and refuses to run anything otherwise.
 */
public final class ProbeSessions {

    private static final Logger LOG = Logger.getLogger(ProbeSessions.class);

    /** A probe never runs longer; the role's own statement_timeout says the same on the server. */
    public static final RoleProvisioner.Limits LIMITS = new RoleProvisioner.Limits("10s", "64MB", 10);

    private final DatabaseConnector connector;
    private final OwnRoles roles;

    public ProbeSessions(DatabaseConnector connector, OwnRoles roles) {
        this.connector = connector;
        this.roles = roles;
    }

    /**
     * A read-only session of the probe role on {@code live}'s database, search path {@code schema}.
     *
     * @param live the live database, as the event named it: its own credentials make the role when it is missing
     */
    public ProbeSession open(DatabaseTarget live, SchemaName schema) {
        OwnRole role = roles.probe();
        Connection connection;
        try {
            connection = connector.openForCallerText(role.on(live), Duration.ofSeconds(30));
        } catch (AuthenticationFailed rejected) {
            ensure(live, role);
            connection = connector.openForCallerText(role.on(live), Duration.ofSeconds(30));
        }
        try {
            List<String> problems = RoleProvisioner.problems(connection, role.name(), Purpose.PROBE);
            if (!problems.isEmpty()) {
                // Someone changed it since it was made: set it right once, then hold it to the same check.
                try {
                    ensure(live, role);
                } catch (NotIsolated cannotSetRight) {
                    connection.close();
                    throw new NotIsolated("the probe role " + role.name() + " on " + live.displayUrl() + " holds more than reading: "
                            + String.join("; ", problems) + ", and setting it right failed: " + cannotSetRight.getMessage()
                            + ". Nothing ran: a probe runs only as a role that can do nothing but read", cannotSetRight);
                }
                problems = RoleProvisioner.problems(connection, role.name(), Purpose.PROBE);
            }
            if (!problems.isEmpty()) {
                connection.close();
                throw new NotIsolated("the probe role " + role.name() + " on " + live.displayUrl() + " holds more than reading: "
                        + String.join("; ", problems) + ". Nothing ran: a probe runs only as a role that can do nothing but read");
            }
            readsSchema(live, role, schema, connection);
            return new ProbeSession(connection, schema);
        } catch (SQLException e) {
            throw connector.classify(e, role.on(live));
        }
    }

    /**
     * The probe role reads the managed schema's tables and views, and nothing else on the server: what a migration
     * added since is granted now, with the live database's credentials. One the live user may not grant (another role
     * owns it) stays unreadable, and a probe of it fails with SQLSTATE 42501.
     */
    private void readsSchema(DatabaseTarget live, OwnRole role, SchemaName schema, Connection probe) throws SQLException {
        if (RoleProvisioner.unreadable(probe, role.name(), schema.value()).isEmpty()) {
            return;
        }
        try (Connection connection = connector.open(live, Duration.ofSeconds(30))) {
            List<String> refused = RoleProvisioner.grantReads(connection, role.name(), schema.value());
            if (!refused.isEmpty()) {
                LOG.warnf("the probe role %s may not read %s: the live database's user may not grant it; its owner runs"
                        + " GRANT SELECT ON ... TO %s", role.name(), String.join(", ", refused), role.name());
            }
        } catch (SQLException e) {
            throw connector.classify(e, live);
        }
    }

    private void ensure(DatabaseTarget live, OwnRole role) {
        try (Connection connection = connector.open(live, Duration.ofSeconds(30))) {
            RoleProvisioner.ensure(connection, role, Purpose.PROBE, LIMITS);
        } catch (SQLException e) {
            throw connector.classify(e, live);
        }
    }
}
