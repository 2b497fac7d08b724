package io.sluice.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.catalog.SchemaCatalog;
import io.sluice.error.DatabaseNotTrusted;
import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.SluiceException;
import io.sluice.event.HealthReport;
import io.sluice.event.HealthRequest;
import io.sluice.event.Timeout;
import io.sluice.health.CheckedDatabase;
import io.sluice.health.DatabaseHealth;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.SessionSettings;

/**
 * The health of the event's database: the liveness and readiness checks on one read-only connection, each statement
 * bounded. A database that cannot be reached (or not over trusted TLS) is a DOWN document, not an error: that is
 * what the caller asked about. Credentials the database rejects are an {@code AuthenticationFailed}, so a rotated
 * secret is read once more like for every function.
 */
@ApplicationScoped
public class HealthCommand {

    private static final Logger LOG = Logger.getLogger(HealthCommand.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Catalog reads only; a check that cannot get a lock in 2 s or finish in 5 s is DOWN. */
    private static final SessionSettings READ_ONLY = new SessionSettings(Timeout.of(Duration.ofSeconds(2)), Timeout.of(Duration.ofSeconds(5)));

    private final DatabaseConnector connector;
    private final DatabaseHealth health;
    private final SchemaCatalog catalog;

    @Inject
    public HealthCommand(DatabaseConnector connector, DatabaseHealth health, SchemaCatalog catalog) {
        this.connector = connector;
        this.health = health;
        this.catalog = catalog;
    }

    public HealthReport run(HealthRequest request) {
        Connection connection = null;
        SluiceException unreachable = null;
        try {
            connection = connector.openReusing(request.database(), Duration.ofSeconds(30));
            try (Statement statement = connection.createStatement()) {
                statement.execute(READ_ONLY.initSql() + "; SET default_transaction_read_only = on");
            }
        } catch (DatabaseUnavailable | DatabaseNotTrusted e) {
            // An AuthenticationFailed goes on to the boundary, which reads a rotated secret again.
            unreachable = e;
        } catch (SQLException e) {
            unreachable = connector.classify(e, request.database());
            close(connection);
            connection = null;
        }
        try {
            CheckedDatabase database = new CheckedDatabase(connection, unreachable, request.database().displayUrl(), request.schema(),
                    catalog.store().stateSchema(), request.maxConnectionShare());
            HealthReport report = new HealthReport(JSON.readTree(health.document(database)));
            if (!report.up()) {
                LOG.infof("health of %s: DOWN (%s)", request.database().displayUrl(), Echo.line(String.join(", ", report.down())));
            }
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("SmallRye Health wrote a document that is not JSON", e);
        } finally {
            close(connection);
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("closing the health check's connection: %s", e.getMessage());
            }
        }
    }
}
