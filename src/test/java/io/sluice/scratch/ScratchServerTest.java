package io.sluice.scratch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.error.InvalidRequest;
import io.sluice.error.NotIsolated;
import io.sluice.event.DatabaseTarget;
import io.sluice.function.DatabaseSecrets;
import io.sluice.function.DatabaseTargets;
import io.sluice.function.EventCodec;
import io.sluice.function.FullReports;
import io.sluice.function.FunctionBoundary;
import io.sluice.function.MigrationBundles;
import io.sluice.function.Notifications;
import io.sluice.function.ValidateFunction;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.metrics.MetricsSink;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * Scratch work never on the live server: a live role that may not create databases (as a least-privilege production
 * role) proves everything, on the embedded server by default or on the scratch server the event or the deployment names.
 * Naming one is a target like the database: a deployment that takes secrets only refuses an event's host, and the live
 * server named as a scratch server is refused.
 */
class ScratchServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "sluice_least_privilege";
    private static final String PASSWORD = "Pw-least-privilege-4d1f";

    private TestDatabase live;
    private ScriptFolder scripts;
    private PostgresServer scratchServer;

    @BeforeEach
    void liveDatabaseWhoseRoleMayNotCreateDatabases(@TempDir Path dir) {
        live = PostgresServer.get().freshDatabase("scratchless_" + dir.getFileName().toString().replaceAll("\\D", ""), ROLE, PASSWORD);
        live.superuserSql("ALTER ROLE " + ROLE + " NOCREATEDB");
        scripts = new ScriptFolder(dir.resolve("migrations"))
                .with("V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'new');\n")
                .with("U1__orders.sql", "DROP TABLE orders;\n");
        Sluice.migrate().run(MigrateEvent.against(live.target()).migrations(scripts.source()).build(), Duration.ofMinutes(1));
        scripts.with("V2__orders_note.sql", "ALTER TABLE orders ADD COLUMN note text;\n")
                .with("U2__orders_note.sql", "ALTER TABLE orders DROP COLUMN note;\n");
        scratchServer = PostgresServer.scratchServer();
    }

    private String scratchJson() {
        return "{\"jdbcUrl\":\"jdbc:postgresql://127.0.0.1:" + scratchServer.port() + "/postgres\",\"username\":\""
                + PostgresServer.APP_USER + "\",\"password\":\"" + PostgresServer.APP_PASSWORD + "\"}";
    }

    private ObjectNode preflightEvent(String scratch) throws Exception {
        ObjectNode event = JSON.createObjectNode().put("mode", "preflight").put("migrations", scripts.source().location())
                .put("proveReversible", true).put("probeLocks", true);
        event.set("database", JSON.readTree(live.targetJson()));
        event.putObject("compatibility").putArray("queries").add("SELECT id, status FROM orders WHERE id = $1");
        if (scratch != null) {
            event.set("scratch", JSON.readTree(scratch));
        }
        return event;
    }

    private static JsonNode call(FunctionBoundary boundary, ObjectNode event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ValidateFunction(Sluice.validate(), boundary)
                .handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private static FunctionBoundary boundary(DatabaseSecrets secrets, DatabaseTargets targets) {
        return new FunctionBoundary(new EventCodec(), new InvocationMetrics(MetricsSink.NONE), secrets, MigrationBundles.NONE,
                Notifications.NONE, FullReports.NONE, targets);
    }

    private List<String> scratchDatabasesLeft() {
        return scratchServer.newDatabase().rows("SELECT datname FROM pg_database WHERE datname LIKE 'sluice\\_scratch\\_%'");
    }

    @Test
    void withoutAScratchServer_theWorkRunsOnTheEmbeddedServer_soALiveRoleThatMayNotCreateDatabasesProvesEverything() throws Exception {
        JsonNode report = call(new FunctionBoundary(new EventCodec()), preflightEvent(null));

        assertThat(report.path("valid").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.path("reversibility").findValuesAsText("reversible")).containsExactly("true");
        assertThat(report.path("compatibility").path("compatible").asInt()).isEqualTo(1);
        assertThat(live.rows("SELECT rolcreatedb FROM pg_roles WHERE rolname = '" + ROLE + "'")).as("so no scratch database was made on"
                + " the live server").containsExactly("f");
    }

    @Test
    void aScratchServerThatIsTheLiveServer_byAnotherDatabaseOrUser_isRefused_andNothingRuns() {
        String liveAgain = "{\"jdbcUrl\":\"jdbc:postgresql://localhost:" + PostgresServer.get().port() + "/postgres\",\"username\":\""
                + PostgresServer.APP_USER + "\",\"password\":\"" + PostgresServer.APP_PASSWORD + "\"}";

        assertThatThrownBy(() -> call(new FunctionBoundary(new EventCodec()), preflightEvent(liveAgain)))
                .isInstanceOf(NotIsolated.class).hasMessageStartingWith("field 'scratch': jdbc:postgresql://localhost:"
                        + PostgresServer.get().port() + "/postgres is the live database's own server; scratch work never runs on the live"
                        + " server with its credentials");
    }

    @Test
    void scratchDatabasesLeftByKilledRuns_areDroppedByTheNextRunOnceTheirDeadlinePassed() throws Exception {
        TestDatabase server = scratchServer.newDatabase();
        String stale = "sluice_scratch_" + (System.currentTimeMillis() / 1000 - 7_200) + "_0123456789ab";
        String running = "sluice_scratch_" + (System.currentTimeMillis() / 1000 + 600) + "_0123456789ab";
        server.sql("CREATE DATABASE " + stale);
        server.sql("CREATE DATABASE " + running);
        try {
            call(new FunctionBoundary(new EventCodec()), preflightEvent(scratchJson()));

            assertThat(scratchDatabasesLeft()).containsExactly(running);
        } finally {
            server.sql("DROP DATABASE IF EXISTS " + running);
            server.sql("DROP DATABASE IF EXISTS " + stale);
        }
    }

    @Test
    void theEventsScratchServer_takesTheProofTheLockProbeAndTheCompatibilityProof() throws Exception {
        JsonNode report = call(new FunctionBoundary(new EventCodec()), preflightEvent(scratchJson()));

        assertThat(report.path("valid").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.path("reversibility").findValuesAsText("reversible")).containsExactly("true");
        assertThat(report.path("lint").path("locks").findValuesAsText("statement")).isNotEmpty();
        assertThat(report.path("compatibility").path("compatible").asInt()).isEqualTo(1);
        assertThat(scratchDatabasesLeft()).isEmpty();
    }

    @Test
    void theDeploymentsConfiguredScratchSecret_isUsedWhenTheEventNamesNone() throws Exception {
        DatabaseTarget scratch = JSON.readValue(scratchJson(), DatabaseTarget.class);
        DatabaseSecrets secrets = (secretArn, fresh) -> {
            assertThat(secretArn).isEqualTo("sluice/scratch");
            return scratch;
        };
        DatabaseTargets targets = new DatabaseTargets(true, List.of(), List.of(System.getProperty("java.io.tmpdir"), "."),
                Optional.of("sluice/scratch"));

        JsonNode report = call(boundary(secrets, targets), preflightEvent(null));

        assertThat(report.path("valid").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.path("compatibility").path("compatible").asInt()).isEqualTo(1);
    }

    @Test
    void aScratchServerOfAnotherMajorVersion_isRefused_forItWouldProveNothingAboutTheLiveOne() throws Exception {
        PostgresServer older = PostgresServer.otherMajorVersion().orElse(null);
        Assumptions.assumeTrue(older != null, "no PostgreSQL of another major version on this machine (/usr/lib/postgresql/15)");
        String olderJson = "{\"jdbcUrl\":\"jdbc:postgresql://127.0.0.1:" + older.port() + "/postgres\",\"username\":\""
                + PostgresServer.APP_USER + "\",\"password\":\"" + PostgresServer.APP_PASSWORD + "\"}";

        assertThatThrownBy(() -> call(new FunctionBoundary(new EventCodec()), preflightEvent(olderJson)))
                .isInstanceOf(InvalidRequest.class).hasMessage("field 'scratch': the scratch server jdbc:postgresql://127.0.0.1:"
                        + older.port() + "/postgres runs PostgreSQL 15 and the live database PostgreSQL 17; scratch work must run on"
                        + " the live database's major version to prove anything about it");
    }

    @Test
    void aDeploymentThatTakesSecretsOnly_refusesAnEventsScratchHost_andAScratchSecretItDoesNotAllow() throws Exception {
        DatabaseTargets deployed = new DatabaseTargets(false, List.of("app/db"), List.of("."));
        DatabaseSecrets secrets = (secretArn, fresh) -> live.target();
        ObjectNode withHost = preflightEvent(scratchJson());
        withHost.set("database", JSON.readTree("{\"secretArn\":\"app/db\"}"));
        ObjectNode withOtherSecret = preflightEvent("{\"secretArn\":\"attacker/db\"}");
        withOtherSecret.set("database", JSON.readTree("{\"secretArn\":\"app/db\"}"));

        assertThatThrownBy(() -> call(boundary(secrets, deployed), withHost)).isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("field 'scratch': this deployment takes its database from Secrets Manager only");
        assertThatThrownBy(() -> call(boundary(secrets, deployed), withOtherSecret)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'scratch.secretArn': attacker/db is not a secret this deployment may use"
                        + " (sluice.database.allowed-secrets: app/db)");
    }
}
