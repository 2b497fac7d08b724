package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.testing.Bundle;
import io.sluice.testing.DeployedEnvironment;
import io.sluice.testing.DeployedFunctions;
import io.sluice.testing.FunctionUrlEvents;
import io.sluice.testing.LambdaRuntime;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * What a release carries, sent as its attacker would, through the packaged function ({@code target/function.zip} under
 * AWS's Runtime Interface Emulator, with the environment Terraform gives it) against the deployed database: a
 * PostgreSQL that requires TLS, its master user's secret as RDS writes it. Each test is named for its attack. What must
 * not change is the same for every one: a victim session of the live role itself (the hardest to protect: a role may end
 * its own sessions), the live table {@code orders} and its three rows, and every role's password and attributes. Each
 * scratch attack is tried in every isolation: the embedded PostgreSQL (the default), the scratch role on the live
 * server, a scratch server of its own. {@code -Dattack.artifact=} runs the same suite against another artifact (an
 * earlier commit's function.zip, on which these attacks worked).
 */
class AttackSuiteIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ARTIFACT = Path.of(System.getProperty("attack.artifact", "target/function.zip"));
    private static final Path SAMPLE = Path.of("src", "main", "resources", "db", "migration");
    private static final Map<String, LambdaRuntime> RUNNING = new HashMap<>();
    private static Path unpacked;

    private DeployedEnvironment aws;
    private TestDatabase live;
    private Victim victim;
    private List<String> rolesBefore;

    @BeforeEach
    void liveDatabaseWithAVictim() throws Exception {
        assertThat(ARTIFACT).as("the package phase built it").isRegularFile();
        try {
            LambdaRuntime.rie();
        } catch (IOException | InterruptedException | RuntimeException e) {
            Assumptions.abort("aws-lambda-rie is not available here: " + e.getMessage());
        }
        aws = DeployedEnvironment.get();
        if (unpacked == null) {
            unpacked = LambdaRuntime.unzip(ARTIFACT, Path.of("target", "ci-tools", "function-attacks").toAbsolutePath());
            PostgresServer.RDS_CA.bundle(unpacked.resolve("rds-global-bundle.pem"));
        }
        live = aws.database();
        live.superuserSql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(%' AND pid <> pg_backend_pid()");
        live.clear();
        Sluice.migrate().run(MigrateEvent.against(live.target()).build(), Duration.ofMinutes(1));
        live.sql("DELETE FROM orders; DELETE FROM customers");
        live.sql("INSERT INTO customers (email, full_name) VALUES ('victim@example.com', 'V')");
        live.sql("INSERT INTO orders (customer_id, total) SELECT id, 10 FROM customers CROSS JOIN generate_series(1, 3)");
        victim = new Victim(live);
        rolesBefore = roles();
    }

    @AfterEach
    void nothingTheAttackerWantedHappened() throws Exception {
        try {
            assertThat(victim.alive()).as("the victim session of the live role").isTrue();
            assertThat(live.rows("SELECT count(*) FROM orders")).as("the live table's rows").containsExactly("3");
            assertThat(roles()).as("every role's password and attributes (Sluice's own roles aside)").isEqualTo(rolesBefore);
            assertThat(live.rows("SELECT count(*) FROM pg_database WHERE datname LIKE 'sluice\\_scratch\\_%'"))
                    .as("no scratch database on the live server but the scratch role's, and none left").containsExactly("0");
        } finally {
            victim.close();
            // Against an artifact the attack worked on, the next test starts from the same state.
            aws.resetMaster();
        }
    }

    @AfterAll
    static void stopFunctions() throws InterruptedException {
        for (LambdaRuntime runtime : RUNNING.values()) {
            runtime.close();
        }
        RUNNING.clear();
    }

    /** Every role's password and attributes, read as the superuser; Sluice's own roles left out (it makes them). */
    private List<String> roles() {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + aws.server.port() + "/postgres",
                "postgres", ""); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT rolname || ':' || coalesce(rolpassword, '') || ':' || rolsuper || rolcreaterole"
                        + " || rolcreatedb || rolreplication || rolbypassrls || rolcanlogin || ':' || rolconnlimit FROM pg_authid"
                        + " WHERE rolname NOT IN ('sluice_probe', 'sluice_scratch') ORDER BY rolname")) {
            List<String> roles = new java.util.ArrayList<>();
            while (rs.next()) {
                roles.add(rs.getString(1));
            }
            return roles;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A session of the live role that sleeps, as an application's would wait on a long query. */
    private static final class Victim implements AutoCloseable {
        private final Connection connection;
        private final int pid;
        private final CompletableFuture<Void> sleeping;

        Victim(TestDatabase live) throws SQLException {
            connection = live.connect();
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            sleeping = CompletableFuture.runAsync(() -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT pg_sleep(600)");
                } catch (SQLException ended) {
                    // ended by an attack, or by close()
                }
            });
        }

        boolean alive() throws SQLException {
            try (Connection other = DriverManager.getConnection("jdbc:postgresql://localhost:" + PostgresServer.requiringTls().port()
                    + "/postgres", "postgres", ""); Statement statement = other.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
                rs.next();
                return rs.getInt(1) == 1 && !sleeping.isDone();
            }
        }

        /** Ends the victim's backend as the superuser: a sleeping backend would hold back the next test's concurrent index. */
        @Override
        public void close() throws SQLException {
            try (Connection other = DriverManager.getConnection("jdbc:postgresql://localhost:" + PostgresServer.requiringTls().port()
                    + "/postgres", "postgres", ""); Statement statement = other.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            connection.abort(Runnable::run);
        }
    }

    // -- the functions, as deployed, in each isolation

    private static final Map<String, String> EMBEDDED = Map.of();

    private Map<String, String> roleIsolation() {
        return Map.of("var.scratch_isolation", "role", "local.scratch_role_secret_arn", scratchRoleSecret());
    }

    private static String scratchRoleSecret;

    private String scratchRoleSecret() {
        if (scratchRoleSecret == null) {
            scratchRoleSecret = aws.ownRoleSecret("scratch", "sluice_scratch");
        }
        return scratchRoleSecret;
    }

    private static String scratchServerSecret;

    /** A scratch instance of its own, requiring TLS as RDS's do, its master secret as RDS writes it (with host). */
    private Map<String, String> serverIsolation() {
        if (scratchServerSecret == null) {
            PostgresServer scratch = PostgresServer.scratchRequiringTls();
            String secret = JSON.createObjectNode().put("engine", "postgres").put("host", PostgresServer.TLS_HOST).put("port", scratch.port())
                    .put("dbname", "postgres").put("username", PostgresServer.APP_USER).put("password", PostgresServer.APP_PASSWORD).toString();
            scratchServerSecret = io.sluice.aws.AwsClients.secretsManager(aws.aws).createSecret(request -> request
                    .name("sluice/scratch-server-" + UUID.randomUUID()).secretString(secret)).arn();
        }
        return Map.of("var.scratch_isolation", "server", "local.scratch_secret_arn", scratchServerSecret);
    }

    private Map<String, String> isolation(String name) {
        return switch (name) {
            case "embedded" -> EMBEDDED;
            case "role" -> roleIsolation();
            case "server" -> serverIsolation();
            default -> Map.of("var.scratch_isolation", name);
        };
    }

    /** The packaged function of {@code handler}, configured as Terraform configures it with {@code overrides}. */
    private LambdaRuntime function(String handler, String isolation, int timeoutSeconds) throws Exception {
        String key = handler + "/" + isolation + "/" + timeoutSeconds;
        LambdaRuntime running = RUNNING.get(key);
        if (running == null) {
            DeployedFunctions functions = aws.functions(isolation(isolation)).withTaskRoot(unpacked);
            Map<String, String> environment = new HashMap<>(functions.environment(handler));
            environment.put("AWS_LAMBDA_FUNCTION_TIMEOUT", String.valueOf(timeoutSeconds));
            running = LambdaRuntime.start(unpacked, LambdaRuntime.QUARKUS_HANDLER, environment, "attack-" + key.replace('/', '-'));
            RUNNING.put(key, running);
        }
        return running;
    }

    private JsonNode invoke(String handler, String isolation, String event) throws Exception {
        return JSON.readTree(function(handler, isolation, 300).invoke(event).body());
    }

    /** The sample migrations and the attacker's script as the next version, with an undo script, uploaded as a bundle. */
    private String release(String attack) throws IOException {
        return release(Map.of("V9__attack.sql", attack, "U9__attack.sql", "SELECT 1;\n"));
    }

    /** The sample migrations and the attacker's files (by name), uploaded as a bundle. */
    private String release(Map<String, String> attack) throws IOException {
        Path folder = Files.createTempDirectory("attack");
        try (Stream<Path> files = Files.list(SAMPLE)) {
            for (Path file : files.toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        for (Map.Entry<String, String> file : attack.entrySet()) {
            Files.writeString(folder.resolve(file.getKey()), file.getValue());
        }
        String key = "releases/attack-" + UUID.randomUUID() + ".zip";
        Bundle bundle = Bundle.of(folder);
        aws.upload(key, bundle);
        return aws.migrations(key, bundle);
    }

    /** A preflight that does every piece of scratch work on the release: the undo proof, the lock probe, the compatibility proof. */
    private JsonNode preflight(String isolation, String attack) throws Exception {
        return invoke("validate", isolation, aws.event("\"mode\": \"preflight\", " + release(attack) + ", \"proveReversible\": true,"
                + " \"probeLocks\": true, \"compatibility\": {\"queries\": [\"SELECT count(*) FROM orders\"]}"));
    }

    /** The messages a report gives about the attacker's script, every proof's. */
    private static String proofs(JsonNode report) {
        return report.path("reversibility").toString() + report.path("lint").path("locks") + report.path("compatibility").path("notes");
    }

    // -- the attacks: a pending script, in every isolation

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "role", "server"})
    void aFunctionBodyInUnicodeEscapes_changingTheLiveRolesPassword(String isolation) throws Exception {
        JsonNode report = preflight(isolation, "CREATE FUNCTION pwn() RETURNS void LANGUAGE sql AS U&'ALTER \\0052OLE "
                + live.user() + " PASSWORD ''x''';\nSELECT pwn();\n");

        assertThat(proofs(report)).contains("not provable: V9__attack.sql line 1: ALTER ROLE (roles belong to the whole server) acts"
                + " beyond one database");
        assertThat(report.path("lint").path("changeClass").asText()).isEqualTo("major");
        assertThat(report.path("lint").path("findings").findValuesAsText("rule")).contains("server-wide-statement");
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "role", "server"})
    void aKillSpelledInUnicodeEscapes_inAViewATriggerADefaultAndAnAtomicBody(String isolation) throws Exception {
        String kill = "U&\"pg_termin\\0061te_backend\"(pid)";
        JsonNode report = preflight(isolation, "CREATE VIEW v AS SELECT " + kill + " FROM pg_stat_activity;\n"
                + "CREATE FUNCTION k() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT count(" + kill + ") FROM pg_stat_activity; END;\n"
                + "CREATE TABLE t (x boolean DEFAULT " + kill.replace("(pid)", "(pg_backend_pid())") + ");\n");

        assertThat(proofs(report)).contains("pg_terminate_backend() (acts on other sessions, the server, its files or other databases)"
                + " acts beyond one database");
        assertThat(report.path("lint").path("changeClass").asText()).isEqualTo("major");
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "role", "server"})
    void aKillInsideQueryToXml(String isolation) throws Exception {
        JsonNode report = preflight(isolation, "SELECT query_to_xml('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = "
                + "''" + live.user() + "''', true, true, '');\n");

        assertThat(proofs(report)).contains("not provable: V9__attack.sql line 1:");
        assertThat(report.path("lint").path("changeClass").asText()).isEqualTo("major");
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "role", "server"})
    void dblinkInUnicodeEscapes_deletingTheLiveRows(String isolation) throws Exception {
        JsonNode report = preflight(isolation, "CREATE EXTENSION U&\"dblin\\006b\";\nSELECT dblink_exec('dbname=" + live.name()
                + "', 'DELETE FROM orders');\n");

        assertThat(proofs(report)).contains("dblink() (acts on other sessions, the server, its files or other databases) acts beyond");
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "role", "server"})
    void aLockOnTheSharedCatalog_blockingEveryLogin(String isolation) throws Exception {
        long started = System.nanoTime();
        JsonNode report = preflight(isolation, "LOCK TABLE pg_catalog.pg_database IN ACCESS EXCLUSIVE MODE;\nSELECT pg_sleep(20);\n");

        assertThat(proofs(report)).contains("LOCK of the shared catalog pg_database (every database's sessions read it: logins, roles)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("nothing slept").isLessThan(Duration.ofSeconds(20));
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "role", "server"})
    void aScriptFillingTheDisk_isStoppedAtTheSizeBound(String isolation) throws Exception {
        long liveBefore = serverSize();
        JsonNode report = preflight(isolation, "CREATE TABLE filler (id int, pad text);\n"
                + "INSERT INTO filler SELECT g, repeat('x', 1900) FROM generate_series(1, 250000) g;\n");

        assertThat(proofs(report)).as(report.toString()).contains("it went past the scratch database's size bound (256MB:"
                + " sluice.scratch.max-size");
        if (!isolation.equals("role")) {
            assertThat(serverSize() - liveBefore).as("the live server's databases grew by nothing like it").isLessThan(32L << 20);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "role", "server"})
    void aScriptSleepingPastTheFunctionsTimeout_isEndedAtTheTimeBound_andLeavesNothingRunning(String isolation) throws Exception {
        LambdaRuntime validate = function("validate", isolation, 30);
        long started = System.nanoTime();
        JsonNode report = JSON.readTree(validate.invoke(aws.event("\"mode\": \"preflight\", " + release("SELECT pg_sleep(90);\n")
                + ", \"proveReversible\": true")).body());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered within the function's 30 s").isLessThan(Duration.ofSeconds(30));
        assertThat(report.path("reversibility").toString()).contains("it went past the scratch work's time bound");
        assertThat(sleepers(live)).as("no backend sleeps on the live server").isZero();
        if (isolation.equals("server")) {
            assertThat(sleepers(PostgresServer.scratchRequiringTls().newDatabase())).as("nor on the scratch server").isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "role", "server"})
    void aScriptRaisingOtherSessionsQueries_inItsErrorText_getsTheSqlStateOnly(String isolation) throws Exception {
        victim.close();
        victim = new Victim(live);
        try (Connection secret = live.connect(); Statement statement = secret.createStatement()) {
            CompletableFuture.runAsync(() -> {
                try (Statement waiting = secret.createStatement()) {
                    waiting.execute("SELECT pg_sleep(5), 'sk_live_4eC39HqLyjWDarjtT1zdp7dc' AS api_key");
                } catch (SQLException ignored) {
                    // ended with the test
                }
            });
            Thread.sleep(300);
            JsonNode report = preflight(isolation, "DO $$ BEGIN RAISE EXCEPTION '%', (SELECT string_agg(query, ' | ') FROM"
                    + " pg_stat_activity); END $$;\n");

            assertThat(report.toString()).doesNotContain("sk_live_4eC39HqLyjWDarjtT1zdp7dc").doesNotContain("pg_sleep(600)");
            assertThat(proofs(report)).contains("V9__attack.sql").contains("SQLSTATE P0001");
        }
    }

    /** Found by the attacker review: lint, Flyway and a reviewer read one string where the server, strings read otherwise, reads three statements. */
    @ParameterizedTest
    @ValueSource(strings = {"embedded", "role", "server"})
    void statementsHiddenInAStringByTurningOffStandardConformingStrings(String isolation) throws Exception {
        JsonNode report = preflight(isolation, "SET standard_conforming_strings = off;\nSELECT 'x\\''; DROP TABLE orders;"
                + " ALTER ROLE CURRENT_USER PASSWORD $p$attacker-knows-this$p$; ALTER ROLE CURRENT_USER SET statement_timeout = 0; --';\n");

        assertThat(proofs(report)).contains("not provable: V9__attack.sql line 1: cannot be shown to stay in one database: it sets"
                + " standard_conforming_strings");
        assertThat(report.path("lint").path("findings").findValuesAsText("rule")).contains("nonstandard-strings");
        assertThat(report.path("valid").asBoolean()).isFalse();
        if (isolation.equals("role")) {
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://localhost:" + aws.server.port() + "/postgres",
                    "sluice_scratch", "attacker-knows-this").close()).as("the attacker's password for the scratch role")
                    .isInstanceOf(SQLException.class);
            assertThat(live.rows("SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole"
                    + " WHERE r.rolname = 'sluice_scratch'")).singleElement().asString().contains("statement_timeout=300s");
        }
    }

    /** Found by the attacker review: Flyway ran the release's callback scripts on the live database as validate connected. */
    @Test
    void callbackScriptsInTheRelease_runNowhere_andAreReportedAsIgnored() throws Exception {
        String payload = "DO $cb$ BEGIN DELETE FROM public.orders; EXECUTE 'ALTER ROLE ' || quote_ident(current_user) || ' PASSWORD ''pwned''';"
                + " PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = current_user AND pid <> pg_backend_pid();"
                + " END $cb$;\n";
        Map<String, String> files = new HashMap<>(Map.of("V9__attack.sql", "SELECT 1;\n", "U9__attack.sql", "SELECT 1;\n"));
        for (String callback : List.of("afterConnect", "beforeInfo", "afterInfo", "beforeValidate", "beforeMigrate", "afterMigrate",
                "beforeEachMigrate", "afterEachMigrate", "beforeUndo", "afterVersioned")) {
            files.put(callback + ".sql", payload);
        }
        String migrations = release(files);

        JsonNode report = invoke("validate", "embedded", aws.event("\"mode\": \"preflight\", " + migrations + ", \"proveReversible\": true"));
        JsonNode migrated = invoke("migrate", "embedded", aws.event(migrations));

        assertThat(report.path("findings").findValuesAsText("code")).as(report.toString()).contains("UNRECOGNISED_NAME");
        assertThat(report.path("findings").findValuesAsText("script")).contains("afterConnect.sql", "beforeMigrate.sql");
        assertThat(migrated.path("versionAfter").asText()).as(migrated.toString()).isEqualTo("9");
    }

    /** Found by the attacker review: ${flyway:filename} spliced a file's name, SQL and all, into the script lint had read. */
    @Test
    void aFileNameSplicedIntoItsScriptByAPlaceholder_staysText() throws Exception {
        String name = "x';DROP VIEW customer_order_totals;CREATE TABLE placeholder_ran (id int);--";
        JsonNode report = invoke("validate", "embedded", aws.event("\"mode\": \"preflight\", " + release(Map.of(
                "V9__" + name + ".sql", "SELECT '${flyway:filename}';\n", "U9__" + name + ".sql", "SELECT 1;\n",
                "V10__where.sql", "CREATE TABLE \"${flyway:workingDirectory} ${flyway:user}@${flyway:database}\" (id bigint PRIMARY KEY);\n",
                "U10__where.sql", "DROP TABLE \"${flyway:workingDirectory} ${flyway:user}@${flyway:database}\";\n"))
                + ", \"proveReversible\": true"));

        assertThat(report.path("reversibility").findValuesAsText("reversible")).as(report.toString()).containsExactly("true", "true");
        assertThat(report.path("reversibility").findValues("differences")).allSatisfy(differences -> assertThat(differences).isEmpty());
        assertThat(report.toString()).doesNotContain(unpacked.toString()).doesNotContain("sluice_scratch@");
    }

    /** Found by the attacker review: pg_read_all_data let a probe read pg_authid, one bit per check through its SQLSTATE. */
    @Test
    void aProbeReadingAPasswordVerifierBitByBit_isRefusedByPrivilege_andOneSpillingToDisk_byTheTempFileLimit() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(aws.event("\"stage\": 5"));
        event.putArray("probes").add("SELECT 1 / (ascii(substr((SELECT rolpassword FROM pg_authid WHERE rolname = '" + live.user()
                + "'), 20, 1)) > 36)::int");
        ObjectNode spill = (ObjectNode) JSON.readTree(aws.event("\"stage\": 5"));
        spill.putArray("probes").add("SELECT count(*) FROM (SELECT g, repeat(md5(g::text), 60) AS pad FROM generate_series(1, 200000000) g"
                + " ORDER BY pad DESC) s");

        JsonNode secret = probeSignal(invoke("canary-check", "embedded", event.toString()));
        JsonNode disk = probeSignal(invoke("canary-check", "embedded", spill.toString()));

        assertThat(secret.path("message").asText()).isEqualTo("probe 1 failed: SQLSTATE 42501 (insufficient_privilege)");
        assertThat(disk.path("message").asText()).isEqualTo("probe 1 failed: SQLSTATE 53400 (configuration_limit_exceeded: temp_file_limit)");
    }

    private static JsonNode probeSignal(JsonNode report) {
        for (JsonNode signal : report.path("signals")) {
            if (signal.path("check").asText().equals("probe-p95")) {
                return signal;
            }
        }
        throw new AssertionError("no probe-p95 signal in " + report);
    }

    @Test
    void withoutAnIsolation_scratchWorkIsRefused_typed_sayingHowToChooseOne() throws Exception {
        JsonNode report = preflight("none", "ALTER TABLE orders ADD COLUMN note text;\n");

        assertThat(report.path("errorType").asText()).isEqualTo("io.sluice.error.NotIsolated");
        assertThat(report.path("errorMessage").asText()).startsWith("scratch work needs an isolation and this deployment has none"
                + " (sluice.scratch.isolation=none): choose embedded");
    }

    // -- the attacks on what reaches a live server

    @Test
    void aPlanCheckQueryExecutingTheDriversNamedStatement_withAKillAsItsArgument() throws Exception {
        ObjectNode plans = JSON.createObjectNode();
        var queries = plans.putArray("queries");
        for (int i = 0; i < 5; i++) {
            queries.add("SELECT count(*) FROM orders WHERE id > " + i);
        }
        queries.add("EXECUTE \"S_3\"(query_to_xml('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ''"
                + live.user() + "''', true, true, '')::text)");

        JsonNode report = invoke("validate", "embedded", aws.event("\"mode\": \"preflight\", " + aws.sampleMigrations() + ", \"plans\": "
                + plans));

        assertThat(report.path("errorType").asText()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(report.path("errorMessage").asText()).startsWith("field 'plans.queries[5]': EXECUTE is not a query");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT U&\"pg_termin\\0061te_backend\"(pid) FROM pg_stat_activity WHERE usename = current_user",
        "SELECT query_to_xml('SELECT pg_terminate_backend(pid) FROM pg_stat_activity', true, true, '')",
        "SELECT set_config('statement_timeout', '0', false)", "SELECT count(*) FROM pg_stat_activity, pg_sleep(30)"})
    void aBaselineProbeThatActs_isRefusedBeforeItRuns(String probe) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(aws.event("\"stage\": 1"));
        event.putArray("probes").add(probe);

        JsonNode report = invoke("canary-check", "embedded", event.toString());

        assertThat(report.path("errorType").asText()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(report.path("errorMessage").asText()).startsWith("field 'probes[0]' calls ").contains("resolves as VOLATILE");
    }

    @Test
    void aLiveFunctionThatKills_declaredStable_runsAsTheProbeRole_whichMayEndNobodysSession() throws Exception {
        live.sql("CREATE FUNCTION public.reap() RETURNS int STABLE LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_terminate_backend(pid)"
                + " FROM pg_stat_activity WHERE usename = '" + live.user() + "'; RETURN 1; END $$");
        ObjectNode event = (ObjectNode) JSON.readTree(aws.event("\"stage\": 1"));
        event.putArray("probes").add("SELECT public.reap()");

        JsonNode report = invoke("canary-check", "embedded", event.toString());
        JsonNode probe = null;
        for (JsonNode signal : report.path("signals")) {
            probe = signal.path("check").asText().equals("probe-p95") ? signal : probe;
        }

        assertThat(probe).as(report.toString()).isNotNull();
        assertThat(probe.path("message").asText()).isEqualTo("probe 1 failed: SQLSTATE 42501 (insufficient_privilege)");
    }

    @Test
    void anEventNamingTheRoleItsProbesRunAs_isRefused() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(aws.event("\"stage\": 1"));
        event.putArray("probes").add("SELECT count(*) FROM orders");
        event.put("probeRole", live.user());

        JsonNode report = invoke("canary-check", "embedded", event.toString());

        assertThat(report.path("errorType").asText()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(report.path("errorMessage").asText()).contains("probeRole");
    }

    @Test
    void checkGreensPlansAndProbes_thatAct_areRefusedBeforeBlueIsReached() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(aws.event("\"mode\": \"check-green\", \"rdsInstance\": \""
                + DeployedEnvironment.DATABASE_IDENTIFIER + "\", \"blueGreenDeploymentId\": \"bgd-attack\""));
        event.putObject("plans").putArray("queries").add("SELECT count(*) FROM orders")
                .add("WITH gone AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM gone");
        ObjectNode probes = event.deepCopy();
        probes.remove("plans");
        probes.putArray("probes").add("SELECT 1; DELETE FROM orders");

        JsonNode planned = invoke("upgrade", "embedded", event.toString());
        JsonNode probed = invoke("upgrade", "embedded", probes.toString());

        assertThat(planned.path("errorMessage").asText()).startsWith("field 'plans.queries[1]': its WITH writes");
        assertThat(probed.path("errorMessage").asText()).startsWith("field 'probes[0]': PostgreSQL's grammar does not read it as one"
                + " statement");
    }

    @Test
    void aStartedReleaseCarryingAnotherFleetsApproval_isRefused() throws Exception {
        ObjectNode input = (ObjectNode) JSON.readTree(aws.event(aws.sampleMigrations()));
        input.putObject("fleetApproval").put("execution", "arn:aws:states:us-east-1:123456789012:execution:sluice-fleet:approved-fleet");
        input.putObject("canary").putArray("probes");

        JsonNode response = JSON.readTree(function("start", "embedded", 30).invoke(
                FunctionUrlEvents.request(ApprovalsTest.DEPLOY_AS_CAROL, input.toString())).body());

        assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(400);
        assertThat(JSON.readTree(response.path("body").asText()).path("errorMessage").asText()).startsWith("field 'fleetApproval' is"
                + " refused");
    }

    @Test
    void aScratchSecretThatIsTheLiveDatabasesOwn_isRefused() throws Exception {
        JsonNode report = invoke("validate", "embedded", aws.event("\"mode\": \"preflight\", " + release("SELECT 1;\n")
                + ", \"proveReversible\": true, \"scratch\": {\"secretArn\": \"" + aws.secretArn + "\"}"));

        assertThat(report.path("errorType").asText()).isEqualTo("io.sluice.error.NotIsolated");
        assertThat(report.path("errorMessage").asText()).contains("is the live database's own server");
    }

    // -- what the assertions read

    private long serverSize() {
        return Long.parseLong(live.rows("SELECT sum(pg_database_size(datname)) FROM pg_database").get(0));
    }

    private static int sleepers(TestDatabase on) {
        return Integer.parseInt(on.rows("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(90)%' AND pid <> pg_backend_pid()")
                .get(0));
    }
}
