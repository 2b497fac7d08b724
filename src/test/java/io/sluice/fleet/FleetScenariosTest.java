package io.sluice.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.cli.FleetCommandLine;
import io.sluice.function.FolderReports;
import io.sluice.cli.LocalFunctions;
import io.sluice.cli.PipelineCommandLine;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.WrittenFiles;
import io.sluice.workflow.Approvals;
import io.sluice.workflow.Execution;
import io.sluice.workflow.LocalApprovals;

/**
 * The fleet definition run end to end by the local runner: real databases on the embedded server, each released by the
 * real pipeline definition as a child execution, the real functions, the waves read from and the results written to
 * the local bucket folder. A database is seeded to fail its canary the way a hand-built tenant does: its own canary
 * (the target's {@code canary} override) probes a column the release does not bring, so the probe fails after migrate
 * and that database's pipeline rolls itself back.
 */
class FleetScenariosTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The probe of a tenant seeded to fail: the release makes customers without a region. */
    static final String FAILING_PROBE = "SELECT count(*) FROM customers WHERE region = 'eu'";
    /** The databases {@link #databases} seeded to fail, by name. */
    private static final Set<String> SEEDED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @TempDir
    Path dir;

    /** {@code count} empty databases; those whose index (from 0) is in {@code seededToFail} get the failing probe. */
    static List<TestDatabase> databases(int count, Set<Integer> seededToFail) {
        List<TestDatabase> databases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TestDatabase db = PostgresServer.get().newDatabase();
            if (seededToFail.contains(i)) {
                SEEDED.add(db.name());
            }
            databases.add(db);
        }
        return databases;
    }

    private ScriptFolder release() {
        return new ScriptFolder(dir.resolve("migrations"))
                .with("V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);\n")
                .with("U1__customers.sql", "DROP TABLE customers;\n")
                .with("V2__orders.sql", """
                        CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id),
                                             status text NOT NULL DEFAULT 'new');
                        """)
                .with("U2__orders.sql", "DROP TABLE orders;\n");
    }

    /** The fleet's input: the release, and each database as a target with its own canary parameter. */
    static ObjectNode input(String deploymentId, String migrations, List<TestDatabase> databases) throws Exception {
        ObjectNode input = JSON.createObjectNode();
        input.put("deploymentId", deploymentId);
        input.put("migrations", migrations);
        input.put("autoApproveUpTo", 1);
        ObjectNode canary = input.putObject("canary");
        canary.put("waitSeconds", 60);
        canary.putArray("probes").add("SELECT count(*) FROM customers");
        ArrayNode targets = input.putObject("fleet").putArray("targets");
        for (int i = 0; i < databases.size(); i++) {
            ObjectNode target = targets.addObject().put("name", String.format("tenant-%02d", i + 1));
            target.set("database", JSON.readTree(databases.get(i).targetJson()));
            ObjectNode own = target.putObject("canary").put("parameterName", String.format("/tenant-%02d/canary-percent", i + 1));
            if (SEEDED.contains(databases.get(i).name())) {
                own.putArray("probes").add(FAILING_PROBE);
            }
        }
        return input;
    }

    /** No migration ever ran here. */
    static void untouched(TestDatabase db) {
        assertThat(db.tableExists("flyway_schema_history")).as(db.name() + " untouched").isFalse();
        assertThat(db.tableExists("customers")).isFalse();
    }

    private record Run(FleetCommandLine.Result result, String printed) {

        List<String> published() {
            return result.resources().published().stream().map(message -> message.path("type").asText()).toList();
        }
    }

    private Run run(String name, JsonNode input, Approvals approvals) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        FleetCommandLine.Setup setup = new FleetCommandLine.Setup(LocalFunctions.config("test"), new FolderReports(dir.resolve("reports")),
                dir.resolve("objects"), approvals, 900, 0, LocalFunctions.LOCAL_APPROVAL_LIMIT);
        FleetCommandLine.Result result = FleetCommandLine.execute(Files.readString(FleetCommandLine.DEFAULT_DEFINITION),
                Files.readString(PipelineCommandLine.DEFAULT_DEFINITION), input, name, setup, out);
        FleetCommandLine.waves(result).forEach(out::println);
        trace(name, input, result, dir.resolve("objects").resolve(FleetCommandLine.BUCKET));
        return new Run(result, printed.toString(StandardCharsets.UTF_8));
    }

    static final Path TRACES = Path.of("target", "fleet-traces");

    /**
     * What another Step Functions engine needs to run the same fleet (.ci/moto-fleet.py): the rendered definition, the
     * input, every state's visit with what its tasks returned, the bucket's objects the fleet function wrote, and how
     * each database's pipeline ended.
     */
    static void trace(String name, JsonNode input, FleetCommandLine.Result result, Path bucket) throws Exception {
        Files.createDirectories(TRACES);
        ObjectNode trace = JSON.createObjectNode().put("name", name);
        trace.set("definition", JSON.readTree(io.sluice.workflow.Template.render(Files.readString(FleetCommandLine.DEFAULT_DEFINITION),
                LocalFunctions.templateValues())));
        trace.set("input", input);
        trace.set("execution", JSON.valueToTree(result.execution()));
        ObjectNode objects = trace.putObject("objects");
        Path fleet = bucket.resolve("fleet").resolve(name);
        if (Files.isDirectory(fleet)) {
            try (var files = Files.list(fleet)) {
                for (Path file : files.filter(each -> each.getFileName().toString().matches("(wave-\\d+|plan|rollback)\\.json")).toList()) {
                    objects.put("fleet/" + name + "/" + file.getFileName(), Files.readString(file));
                }
            }
        }
        ObjectNode children = trace.putObject("children");
        if (result.summary() != null) {
            for (JsonNode database : result.summary().path("databases")) {
                ObjectNode child = children.putObject(database.path("name").asText());
                String outcome = database.path("outcome").asText();
                if (outcome.equals("failed")) {
                    String error = database.path("error").asText();
                    child.put("status", "FAILED").put("error", error.substring(0, error.indexOf(':')))
                            .put("cause", error.substring(error.indexOf(':') + 2));
                } else if (!outcome.equals("not-started")) {
                    child.put("status", "SUCCEEDED");
                    ObjectNode results = child.putObject("output").putObject("results");
                    results.putObject("preflight").putObject("report").set("currentVersion", database.path("versionBefore"));
                    results.putObject("migrate").putObject("report").set("versionAfter", database.path("versionAfter"));
                }
            }
        }
        // The objects on disk have the databases' passwords taken out: so does the rest of the trace, so that the replay
        // on another engine reads the same items the execution's states hold.
        Files.writeString(TRACES.resolve(name + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                new io.sluice.workflow.Redaction(input).redacted(trace)));
    }

    private static Approvals approving(int approvals) {
        return LocalApprovals.approving(approvals, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static List<String> outcomes(JsonNode summary) throws Exception {
        JsonNode whole = summary;
        List<String> outcomes = new ArrayList<>();
        whole.path("databases").forEach(each -> outcomes.add(each.path("name").asText() + ":" + each.path("wave").asInt() + ":"
                + each.path("outcome").asText()));
        return outcomes;
    }

    @Test
    void everyWaveSucceeds_eachDatabaseReleasedByItsOwnPipeline_underTheFleetsOneApproval() throws Exception {
        List<TestDatabase> databases = databases(6, Set.of());
        ObjectNode input = input("fleet-all", "filesystem:" + release().root(), databases);
        input.put("autoApproveUpTo", 0);

        Run run = run("fleet-all", input, approving(1));

        assertThat(run.result().execution().status()).as(run.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(run.published()).containsExactly("approval-requested", "fleet-released");
        JsonNode summary = run.result().summary();
        assertThat(summary.path("status").asText()).isEqualTo("released");
        assertThat(summary.path("released").asInt()).isEqualTo(6);
        assertThat(summary.path("waves").toString()).isEqualTo("[{\"wave\":1,\"label\":\"canary\",\"count\":1,\"started\":1,\"succeeded\":1,"
                + "\"failed\":0},{\"wave\":2,\"label\":\"5%\",\"count\":1,\"started\":1,\"succeeded\":1,\"failed\":0},{\"wave\":3,\"label\":"
                + "\"25%\",\"count\":2,\"started\":2,\"succeeded\":2,\"failed\":0},{\"wave\":4,\"label\":\"rest\",\"count\":2,\"started\":2,"
                + "\"succeeded\":2,\"failed\":0}]");
        assertThat(summary.path("databases").get(0).toString()).contains("\"name\":\"tenant-01\"", "\"outcome\":\"released\"",
                "\"versionBefore\":null", "\"versionAfter\":\"2\"", "\"execution\":\"arn:aws:states:us-east-1:123456789012:execution:sluice-pipeline:");
        for (TestDatabase db : databases) {
            assertThat(db.history()).as("every database released").hasSize(2);
        }
        assertThat(run.printed()).contains("wave 3 (25%): 2 database(s): started 2, succeeded 2, failed 0,", "fleet released: every wave ran");
        assertThat(WrittenFiles.count(dir)).as("the fleet wrote its objects and reports").isGreaterThan(8);
        assertThat(WrittenFiles.holding(dir, PostgresServer.APP_PASSWORD)).as("objects and reports hold no database password").isEmpty();
        assertThat(WrittenFiles.holding(TRACES.resolve("fleet-all.json"), PostgresServer.APP_PASSWORD)).isEmpty();
        assertThat(run.printed()).doesNotContain(PostgresServer.APP_PASSWORD);
    }

    @Test
    void theCanaryWaveFails_andNoOtherDatabaseIsTouched() throws Exception {
        List<TestDatabase> databases = databases(5, Set.of(0));

        Run run = run("fleet-canary", input("fleet-canary", "filesystem:" + release().root(), databases), approving(0));

        assertThat(run.result().execution().status()).isEqualTo(Execution.Status.FAILED);
        assertThat(run.result().execution().error()).isEqualTo("FleetStopped");
        assertThat(run.published()).containsExactly("fleet-stopped");
        JsonNode summary = run.result().summary();
        assertThat(summary.path("stoppedAt").asInt()).isEqualTo(1);
        assertThat(summary.at("/cause/Error").asText()).isEqualTo("States.ExceedToleratedFailureThreshold");
        assertThat(outcomes(summary)).containsExactly("tenant-01:1:failed", "tenant-02:2:not-started", "tenant-03:3:not-started",
                "tenant-04:3:not-started", "tenant-05:4:not-started");
        assertThat(summary.at("/failures/0/error").asText()).startsWith("RolledBack: ");
        assertThat(databases.get(0).history()).as("the canary database's own pipeline rolled it back").isEmpty();
        databases.subList(1, 5).forEach(FleetScenariosTest::untouched);
    }

    @Test
    void aLaterWaveBeyondItsTolerance_stopsTheFleet_earlierWavesStayReleased_andTheStoppedWavesReleasedOnesRollBackWhenAsked()
            throws Exception {
        // 10 databases in waves of 1 (canary), 1 (5 %), 5 (50 %), 3 (rest); tenant-05 in wave 3 is seeded to fail.
        List<TestDatabase> databases = databases(10, Set.of(4));
        ObjectNode input = input("fleet-tolerance", "filesystem:" + release().root(), databases);
        ObjectNode fleet = (ObjectNode) input.get("fleet");
        fleet.putArray("waves").add(5).add(50);
        fleet.put("toleratedFailurePercentage", 10);
        fleet.put("rollbackFailedWave", true);

        Run run = run("fleet-tolerance", input, approving(0));

        assertThat(run.result().execution().error()).as(run.printed()).isEqualTo("FleetStopped");
        JsonNode summary = run.result().summary();
        assertThat(summary.path("stoppedAt").asInt()).isEqualTo(3);
        assertThat(outcomes(summary)).containsExactly("tenant-01:1:released", "tenant-02:2:released", "tenant-03:3:rolled-back",
                "tenant-04:3:rolled-back", "tenant-05:3:failed", "tenant-06:3:rolled-back", "tenant-07:3:rolled-back",
                "tenant-08:4:not-started", "tenant-09:4:not-started", "tenant-10:4:not-started");
        assertThat(summary.path("released").asInt()).isEqualTo(2);
        assertThat(summary.path("rolledBack").asInt()).isEqualTo(4);
        assertThat(summary.path("notStarted").asInt()).isEqualTo(3);
        assertThat(summary.at("/cause/Cause").asText()).startsWith("1 of 5 items failed, more than the Map tolerates"
                + " (ToleratedFailurePercentage 10.0)");
        assertThat(databases.get(0).history()).hasSize(2);
        assertThat(databases.get(1).history()).hasSize(2);
        for (int i = 2; i < 7; i++) {
            assertThat(databases.get(i).history()).as("tenant-%02d rolled back", i + 1).isEmpty();
            assertThat(databases.get(i).tableExists("customers")).isFalse();
        }
        databases.subList(7, 10).forEach(FleetScenariosTest::untouched);
        assertThat(run.printed()).contains("fleet stopped at wave 3: States.ExceedToleratedFailureThreshold:",
                "released 2, failed 1, rolled back 4, not started 3 of 10");
    }

    @Test
    void anApprovalRejected_stopsTheFleetBeforeItsFirstWave() throws Exception {
        List<TestDatabase> databases = databases(3, Set.of());
        ObjectNode input = input("fleet-rejected", "filesystem:" + release().root(), databases);
        input.put("autoApproveUpTo", 0);

        Run run = run("fleet-rejected", input, LocalApprovals.rejecting(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)));

        assertThat(run.result().execution().error()).isEqualTo("FleetStopped");
        assertThat(run.result().execution().path()).doesNotContain("Wave");
        assertThat(run.published()).containsExactly("approval-requested", "fleet-stopped");
        JsonNode summary = run.result().summary();
        assertThat(summary.path("stoppedAt").asInt()).isZero();
        assertThat(summary.at("/cause/Error").asText()).isEqualTo("ApprovalRejected");
        assertThat(summary.path("notStarted").asInt()).isEqualTo(3);
        databases.forEach(FleetScenariosTest::untouched);
        assertThat(run.printed()).contains("fleet stopped before its first wave: ApprovalRejected:");
    }

    @Test
    void aDryRun_plansTheWaves_andPreflightsTheCanaryDatabase_andChangesNothing() throws Exception {
        List<TestDatabase> databases = databases(3, Set.of());
        ObjectNode input = input("fleet-dry-run", "filesystem:" + release().root(), databases);
        input.put("dryRun", true);

        Run run = run("fleet-dry-run", input, approving(0));

        assertThat(run.result().execution().status()).as(run.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(run.result().execution().path()).endsWith("Preflight", "DryRun", "Planned");
        assertThat(run.result().execution().output().at("/plan/waves").findValuesAsText("label")).containsExactly("canary", "5%", "25%");
        assertThat(run.result().execution().output().at("/preflight/currentVersion").isNull()).isTrue();
        assertThat(run.published()).isEmpty();
        databases.forEach(FleetScenariosTest::untouched);
        assertThat(run.printed()).contains("wave 2 (5%): 1 database(s): planned", "dry run: nothing changed; on the canary database the"
                + " release is");
    }

    @Test
    void theTargetsFromAManifestFile() throws Exception {
        List<TestDatabase> databases = databases(3, Set.of());
        ObjectNode input = input("fleet-manifest", "filesystem:" + release().root(), databases);
        ObjectNode fleet = (ObjectNode) input.get("fleet");
        JsonNode targets = fleet.remove("targets");
        Path manifest = dir.resolve("objects").resolve("fleet-manifests").resolve("tenants").resolve("production.json");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, targets.toString());
        fleet.putObject("manifest").put("bucket", "fleet-manifests").put("key", "tenants/production.json");

        Run run = run("fleet-manifest", input, approving(0));

        assertThat(run.result().execution().status()).as(run.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(outcomes(run.result().summary())).containsExactly("tenant-01:1:released", "tenant-02:2:released", "tenant-03:3:released");
        for (TestDatabase db : databases) {
            assertThat(db.history()).hasSize(2);
        }
    }
}
