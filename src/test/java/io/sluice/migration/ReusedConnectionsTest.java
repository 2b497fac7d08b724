package io.sluice.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.sluice.error.InvalidRequest;
import io.sluice.event.CanaryCheckRequest;
import io.sluice.function.DatabaseSecrets;
import io.sluice.function.DatabaseTargets;
import io.sluice.function.EventCodec;
import io.sluice.function.FullReports;
import io.sluice.function.FunctionBoundary;
import io.sluice.function.MigrationBundles;
import io.sluice.function.Notifications;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.metrics.MetricsSink;
import io.sluice.testing.PostgresServer;
import io.sluice.tracing.Tracing;
import io.sluice.testing.TestDatabase;

/** The connection a warm function keeps: what comes back is a new session in all but its backend, and never shared. */
class ReusedConnectionsTest {

    private final DatabaseConnector connector = new DatabaseConnector(Duration.ofSeconds(5), Duration.ofSeconds(10), true);
    private final TestDatabase db = PostgresServer.get().newDatabase();

    private static String one(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theNextCaller_getsTheSameBackend_withTheSessionOfANewConnection() throws Exception {
        DataSource dataSource = connector.reusing(db.target(), Duration.ofSeconds(30));
        String pid;
        try (Connection first = dataSource.getConnection(); Statement statement = first.createStatement()) {
            pid = one(first, "SELECT pg_backend_pid()");
            statement.execute("SET statement_timeout = '1s'; SET search_path TO pg_catalog; SELECT pg_advisory_lock(42);"
                    + " CREATE TEMP TABLE scratch (id int); SET ROLE " + db.user() + "; LISTEN released");
            // A server-side prepared statement (pgjdbc prepares one on its fifth run) outlives the reset and still runs.
            for (int i = 0; i < 6; i++) {
                try (PreparedStatement prepared = first.prepareStatement("SELECT ?::int")) {
                    prepared.setInt(1, i);
                    prepared.executeQuery().close();
                }
            }
            first.setAutoCommit(false);
            statement.execute("CREATE TABLE public.left_open (id int)");
        }

        try (Connection second = dataSource.getConnection()) {
            assertThat(one(second, "SELECT pg_backend_pid()")).isEqualTo(pid);
            assertThat(one(second, "SHOW statement_timeout")).isEqualTo("0");
            assertThat(one(second, "SHOW search_path")).isEqualTo("\"$user\", public");
            assertThat(one(second, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isEqualTo("0");
            assertThat(one(second, "SELECT to_regclass('scratch') IS NULL")).isEqualTo("t");
            assertThat(one(second, "SELECT to_regclass('public.left_open') IS NULL")).as("an open transaction is rolled back").isEqualTo("t");
            assertThat(second.getAutoCommit()).isTrue();
            assertThat(one(second, "SELECT count(*) FROM pg_prepared_statements")).as("the driver's prepared statements stay").isNotEqualTo("0");
            assertThat(one(second, "SHOW ROLE")).isEqualTo("none");
            assertThat(one(second, "SELECT count(*) FROM pg_listening_channels()")).isEqualTo("0");
            for (int i = 0; i < 6; i++) {
                try (PreparedStatement prepared = second.prepareStatement("SELECT ?::int")) {
                    prepared.setInt(1, i);
                    prepared.executeQuery().close();
                }
            }
        }
        assertThat(connector.keptIdle()).isEqualTo(1);
    }

    @Test
    void twoCallersAtOnce_neverShareOne_andOnlyOneIsKept() throws Exception {
        DataSource dataSource = connector.reusing(db.target(), Duration.ofSeconds(30));
        String firstPid;
        String secondPid;
        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            firstPid = one(first, "SELECT pg_backend_pid()");
            secondPid = one(second, "SELECT pg_backend_pid()");
        }
        assertThat(firstPid).isNotEqualTo(secondPid);
        assertThat(connector.keptIdle()).isEqualTo(1);
        try (Connection third = dataSource.getConnection()) {
            assertThat(one(third, "SELECT pg_backend_pid()")).as("the first one given back is kept").isEqualTo(secondPid);
        }
    }

    @Test
    void aKeptConnectionTheServerEnded_isFoundDeadAfterAnIdleSecond_andReplaced() throws Exception {
        DataSource dataSource = connector.reusing(db.target(), Duration.ofSeconds(30));
        String pid;
        try (Connection first = dataSource.getConnection()) {
            pid = one(first, "SELECT pg_backend_pid()");
        }
        db.superuserSql("SELECT pg_terminate_backend(" + pid + ")");
        Thread.sleep(ReusedConnections.CHECK_AFTER_IDLE_MS + 100);

        try (Connection second = dataSource.getConnection()) {
            assertThat(one(second, "SELECT pg_backend_pid()")).isNotEqualTo(pid);
        }
    }

    @Test
    void aFailedInvocation_dropsTheKeptConnection_aSucceededOneKeepsIt() throws Exception {
        FunctionBoundary boundary = new FunctionBoundary(new EventCodec(), new InvocationMetrics(MetricsSink.NONE), DatabaseSecrets.NONE,
                MigrationBundles.NONE, Notifications.NONE, FullReports.NONE, DatabaseTargets.LOCAL, Tracing.OFF, connector);
        byte[] event = ("{\"database\": " + db.targetJson() + ", \"stage\": 5}").getBytes(StandardCharsets.UTF_8);
        Function<CanaryCheckRequest, Object> lendThen = request -> {
            try (Connection connection = connector.reusing(request.database(), Duration.ofSeconds(30)).getConnection()) {
                one(connection, "SELECT 1");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("lent", true);
        };

        boundary.handle("canary-check", new ByteArrayInputStream(event), new ByteArrayOutputStream(), CanaryCheckRequest.class, lendThen);
        assertThat(connector.keptIdle()).isEqualTo(1);
        assertThatThrownBy(() -> boundary.handle("canary-check", new ByteArrayInputStream(event), new ByteArrayOutputStream(),
                CanaryCheckRequest.class, lendThen.andThen(kept -> {
                    throw new InvalidRequest("field 'stage': refused after the connection came back");
                }))).isInstanceOf(InvalidRequest.class);
        assertThat(connector.keptIdle()).as("whatever state a failed call left it in").isZero();
    }

    @Test
    void aClosedHandle_refusesWork_discardKeptClosesThem_andAScratchDataSourceKeepsNothing() throws Exception {
        Connection handle = connector.reusing(db.target(), Duration.ofSeconds(30)).getConnection();
        handle.close();

        assertThat(handle.isClosed()).isTrue();
        assertThatThrownBy(handle::createStatement).isInstanceOf(SQLException.class).hasMessage("This connection has been closed.");
        assertThat(connector.keptIdle()).isEqualTo(1);
        connector.discardKept();
        assertThat(connector.keptIdle()).isZero();
        try (Connection fresh = connector.dataSource(db.target(), Duration.ofSeconds(30)).getConnection()) {
            assertThat(fresh).isNotInstanceOf(LentConnection.class);
        }
        assertThat(connector.keptIdle()).isZero();
        assertThat(new DatabaseConnector(Duration.ofSeconds(5), Duration.ofSeconds(10)).reusing(db.target(), Duration.ZERO))
                .as("keeping off").isNotInstanceOf(LendingDataSource.class);
    }
}
