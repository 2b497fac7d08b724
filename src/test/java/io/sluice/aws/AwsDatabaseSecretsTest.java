package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import io.sluice.error.InvalidRequest;
import io.sluice.error.SluiceException;
import io.sluice.function.EventCodec;
import io.sluice.function.FullReports;
import io.sluice.function.FunctionBoundary;
import io.sluice.function.MigrationBundles;
import io.sluice.function.MigrateFunction;
import io.sluice.function.Notifications;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.metrics.MetricsSink;
import io.sluice.testing.AwsSettings;
import io.sluice.testing.MotoServer;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * The database from a Secrets Manager secret in RDS's format, against moto's Secrets Manager and a real PostgreSQL:
 * the real migrate handler given only {@code secretArn}, the cache, a rotation (the database rejects the cached
 * password, the secret is read again once), the master secret RDS manages (username and password only: the database
 * comes from the function's configuration), and the typed errors of a missing or malformed secret.
 */
class AwsDatabaseSecretsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SecretsManagerClient client;
    private AwsDatabaseSecrets secrets;
    private MigrateFunction migrate;

    @BeforeEach
    void moto() {
        String endpoint = MotoServer.endpoint();
        client = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
        secrets = new AwsDatabaseSecrets(AwsSettings.emulator(endpoint), () -> client);
        migrate = new MigrateFunction(Sluice.migrate(), new FunctionBoundary(new EventCodec(), new InvocationMetrics(MetricsSink.NONE), secrets,
                MigrationBundles.NONE, Notifications.NONE, FullReports.NONE));
    }

    private String secret(TestDatabase db, String user, String password) {
        String name = "sluice/test/" + UUID.randomUUID();
        String value = JSON.createObjectNode().put("engine", "postgres").put("host", "127.0.0.1").put("port", port(db))
                .put("dbname", db.name()).put("username", user).put("password", password).toString();
        return client.createSecret(request -> request.name(name).secretString(value)).arn();
    }

    private static int port(TestDatabase db) {
        String url = db.jdbcUrl();
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1, url.lastIndexOf('/')));
    }

    private JsonNode invoke(String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        migrate.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void migrateGivenOnlyASecret_readsItOnce_andConnectsWithWhatItHolds() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        String arn = secret(db, PostgresServer.APP_USER, PostgresServer.APP_PASSWORD);

        JsonNode first = invoke("{\"database\": {\"secretArn\": \"" + arn + "\"}}");
        JsonNode second = invoke("{\"database\": {\"secretArn\": \"" + arn + "\"}}");

        assertThat(first.get("status").asText()).isEqualTo("MIGRATED");
        assertThat(first.get("database").asText()).isEqualTo(db.jdbcUrl());
        assertThat(first.toString()).doesNotContain(PostgresServer.APP_PASSWORD);
        assertThat(second.get("status").asText()).isEqualTo("UP_TO_DATE");
        assertThat(secrets.reads()).as("the second invocation used the cached read").isEqualTo(1);
        assertThat(db.history()).hasSize(4);
    }

    @Test
    void rotatedPassword_isRejectedAsCached_thenReadAgainOnce_andTheInvocationSucceeds() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        String role = "rotating_" + UUID.randomUUID().toString().substring(0, 8);
        db.superuserSql("CREATE ROLE " + role + " LOGIN PASSWORD 'first-password'");
        db.superuserSql("GRANT ALL ON DATABASE \"" + db.name() + "\" TO " + role + "; GRANT ALL ON SCHEMA public TO " + role);
        String arn = secret(db, role, "first-password");
        assertThat(invoke("{\"database\": {\"secretArn\": \"" + arn + "\"}, \"target\": 1}").get("versionAfter").asText()).isEqualTo("1");

        db.superuserSql("ALTER ROLE " + role + " PASSWORD 'second-password'");
        client.putSecretValue(request -> request.secretId(arn).secretString(JSON.createObjectNode().put("engine", "postgres")
                .put("host", "127.0.0.1").put("port", port(db)).put("dbname", db.name()).put("username", role)
                .put("password", "second-password").toString()));
        JsonNode after = invoke("{\"database\": {\"secretArn\": \"" + arn + "\"}}");

        assertThat(after.get("status").asText()).isEqualTo("MIGRATED");
        assertThat(after.get("versionAfter").asText()).isEqualTo("4");
        assertThat(secrets.reads()).as("one read, then one after the rejection").isEqualTo(2);
    }

    @Test
    void theMasterSecretRdsManages_holdsOnlyUsernameAndPassword_andTheConfigurationNamesTheDatabase() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        String arn = client.createSecret(request -> request.name("rds!db-" + UUID.randomUUID()).secretString(JSON.createObjectNode()
                .put("username", PostgresServer.APP_USER).put("password", PostgresServer.APP_PASSWORD).toString())).arn();
        AwsSettings configured = AwsSettings.emulator(MotoServer.endpoint()).withDatabase(arn, "127.0.0.1", port(db), db.name());
        MigrateFunction deployed = new MigrateFunction(Sluice.migrate(), new FunctionBoundary(new EventCodec(),
                new InvocationMetrics(MetricsSink.NONE), new AwsDatabaseSecrets(configured, () -> client), MigrationBundles.NONE,
                Notifications.NONE, FullReports.NONE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        deployed.handleRequest(new ByteArrayInputStream(("{\"database\": {\"secretArn\": \"" + arn + "\"}}").getBytes(StandardCharsets.UTF_8)),
                out, null);

        JsonNode result = JSON.readTree(out.toByteArray());
        assertThat(result.get("status").asText()).isEqualTo("MIGRATED");
        assertThat(result.get("database").asText()).isEqualTo(db.jdbcUrl());
        assertThat(db.history()).hasSize(4);
        assertThatThrownBy(() -> invoke("{\"database\": {\"secretArn\": \"" + arn + "\"}}"))
                .as("a deployment that names no database secret of its own: no secret takes a host from it")
                .isInstanceOf(InvalidRequest.class).hasMessageStartingWith("secret " + arn + " has no 'host': only this deployment's own"
                        + " database secret (sluice.aws.database-secret-arn");
    }

    @Test
    void theScratchInstancesManagedSecret_takesTheScratchHost_neverTheLiveInstancesHostPortOrDatabase() {
        String managed = JSON.createObjectNode().put("username", "postgres").put("password", "pw-" + UUID.randomUUID()).toString();
        String scratchArn = client.createSecret(request -> request.name("rds!db-scratch-" + UUID.randomUUID()).secretString(managed)).arn();
        String liveArn = client.createSecret(request -> request.name("rds!db-live-" + UUID.randomUUID()).secretString(managed)).arn();
        AwsDatabaseSecrets deployed = new AwsDatabaseSecrets(AwsSettings.emulator(MotoServer.endpoint()).withDatabase(liveArn,
                "live.internal", 6432, "app"), () -> client, Optional.of(scratchArn), Optional.of("scratch.internal"), List.of());

        assertThat(deployed.resolve(scratchArn, false).jdbcUrl()).isEqualTo("jdbc:postgresql://scratch.internal:5432/postgres?sslmode=disable");
        assertThat(deployed.resolve(liveArn, false).jdbcUrl()).isEqualTo("jdbc:postgresql://live.internal:6432/app?sslmode=disable");
    }

    /**
     * The attack: a fleet target (or the parity database) named by a secret that holds only username and password, as
     * RDS manages one for another instance. It used to take this deployment's host, port and database, so a release for
     * the fleet ran on the deployment's own database with the other instance's master user. Only the deployment's own
     * secrets take the configured host; any other is refused before anything connects.
     */
    @Test
    void aFleetTargetsSecretWithoutAHost_isRefused_andNothingConnectsToTheDeploymentsDatabase() throws Exception {
        TestDatabase own = PostgresServer.get().newDatabase();
        String managed = JSON.createObjectNode().put("username", PostgresServer.APP_USER).put("password", PostgresServer.APP_PASSWORD)
                .toString();
        String ownArn = client.createSecret(request -> request.name("rds!db-own-" + UUID.randomUUID()).secretString(managed)).arn();
        String targetArn = client.createSecret(request -> request.name("rds!db-fleet-" + UUID.randomUUID()).secretString(managed)).arn();
        String probeArn = client.createSecret(request -> request.name("sluice/probe-role-" + UUID.randomUUID()).secretString(JSON
                .createObjectNode().put("username", "sluice_probe").put("password", "pw-" + UUID.randomUUID()).toString())).arn();
        AwsDatabaseSecrets deployed = new AwsDatabaseSecrets(AwsSettings.emulator(MotoServer.endpoint()).withDatabase(ownArn, "127.0.0.1",
                port(own), own.name()), () -> client, Optional.empty(), Optional.empty(), List.of(probeArn));
        MigrateFunction function = new MigrateFunction(Sluice.migrate(), new FunctionBoundary(new EventCodec(),
                new InvocationMetrics(MetricsSink.NONE), deployed, MigrationBundles.NONE, Notifications.NONE, FullReports.NONE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> function.handleRequest(new ByteArrayInputStream(("{\"database\": {\"secretArn\": \"" + targetArn
                + "\"}}").getBytes(StandardCharsets.UTF_8)), out, null)).isInstanceOf(InvalidRequest.class).hasMessage("secret "
                + targetArn + " has no 'host': only this deployment's own database secret (sluice.aws.database-secret-arn, which"
                + " Terraform sets to the master secret) takes the instance's host from the configuration; any other secret (a fleet"
                + " target's, the parity database's) must name its host, port and dbname, as a secret written for a rotation schedule"
                + " does; nothing was connected to");
        assertThat(own.rows("SELECT to_regclass('flyway_schema_history') IS NULL")).as("nothing migrated the deployment's database")
                .containsExactly("t");
        assertThat(own.rows("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'sluice'"))
                .containsExactly("0");
        // The deployment's own secret and its roles' secrets still take the instance's host.
        assertThat(deployed.resolve(ownArn, false).jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port(own) + "/" + own.name()
                + "?sslmode=disable");
        assertThat(deployed.resolve(probeArn, false).username()).isEqualTo("sluice_probe");
    }

    /**
     * The attack: a fleet target's secret (written by another team, or a rotation function) whose host carries URL
     * text: "host?sslmode=require&ApplicationName=x" turned the configured verify-full into the URL's ApplicationName and
     * connected without checking the server. A host is a name or an address, or the secret is refused.
     */
    @Test
    void aSecretsHostCarryingUrlText_isRefused_andVerifyFullStays() {
        TestDatabase db = PostgresServer.get().newDatabase();
        for (String host : List.of("127.0.0.1:" + port(db) + "/" + db.name() + "?sslmode=disable&ApplicationName=x", "db.internal/other",
                "db.internal?sslmode=disable", "db internal", "db.internal&sslmode=disable", "@db.internal", "[::1]?x=1")) {
            String arn = client.createSecret(request -> request.name("sluice/test/" + UUID.randomUUID()).secretString(JSON.createObjectNode()
                    .put("engine", "postgres").put("host", host).put("port", port(db)).put("dbname", db.name())
                    .put("username", PostgresServer.APP_USER).put("password", PostgresServer.APP_PASSWORD).toString())).arn();
            assertThatThrownBy(() -> secrets.resolve(arn, true)).as(host).isInstanceOf(InvalidRequest.class).hasMessage("secret " + arn
                    + " has host '" + host + "', which is not a host name or an IP address (letters, digits, '.' and '-'; an IPv6 address"
                    + " in brackets); nothing was connected to");
        }
        for (String host : List.of("db.internal", "orders-db.c9akciq32xyz.eu-west-1.rds.amazonaws.com", "10.0.12.7", "[fd00::7]",
                "localhost")) {
            String arn = client.createSecret(request -> request.name("sluice/test/" + UUID.randomUUID()).secretString(JSON.createObjectNode()
                    .put("host", host).put("username", "u").put("password", "p").toString())).arn();
            assertThat(secrets.resolve(arn, true).jdbcUrl()).as(host).startsWith("jdbc:postgresql://" + host + ":5432/postgres?sslmode=");
        }
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void missingOrMalformedSecret_isATypedError_andNothingIsMigrated() {
        TestDatabase db = PostgresServer.get().newDatabase();
        String notRds = client.createSecret(request -> request.name("sluice/test/" + UUID.randomUUID()).secretString("just-a-password")).arn();
        String missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:sluice/absent-AbCdEf";

        assertThatThrownBy(() -> invoke("{\"database\": {\"secretArn\": \"" + missing + "\"}}")).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'database.secretArn': Secrets Manager has no secret " + missing);
        assertThatThrownBy(() -> invoke("{\"database\": {\"secretArn\": \"" + notRds + "\"}}")).isInstanceOf(InvalidRequest.class)
                .hasMessage("secret " + notRds + " is not a JSON object in the format RDS writes (username, password; host, port, dbname)");
        assertThatThrownBy(() -> invoke("{\"database\": {\"secretArn\": \"x\", \"jdbcUrl\": \"" + db.jdbcUrl() + "\"}}"))
                .isInstanceOf(SluiceException.class)
                .hasMessage("field 'database': give either 'secretArn' or 'jdbcUrl', 'username' and 'password', not both");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }
}
