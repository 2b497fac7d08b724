package io.sluice.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.function.FolderReports;
import io.sluice.cli.LocalFunctions;
import io.sluice.cli.PipelineCommandLine;
import io.sluice.function.BoundedResults;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.RealisticHistory;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.TestDatabase;

/**
 * The release pipeline's definition, run by the local runner through the real functions on a real PostgreSQL, in
 * the situations it exists for. Each execution's trace goes to {@code target/workflow-traces/}, where
 * {@code .ci/moto-replay.py} runs the same executions on moto's Step Functions engine and compares.
 */
class PipelineScenariosTest {

    static final Path TRACES = Path.of("target", "workflow-traces");
    /** Where the functions keep the whole of a result too large to return, as they keep it in S3 deployed. */
    static final Path REPORTS = Path.of("target", "workflow-reports");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String template;
    private static Map<String, RequestStreamHandler> handlers;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        template = Files.readString(PipelineCommandLine.DEFAULT_DEFINITION);
        handlers = LocalFunctions.byArn(LocalFunctions.config("test"), new FolderReports(REPORTS));
        Files.createDirectories(TRACES);
    }

    /** What one execution left: how it ended, what it published and set, and what it printed. */
    private record Run(Execution execution, LocalResources resources, String printed) {

        JsonNode state(String name) {
            return execution.visits().stream().filter(visit -> visit.state().equals(name)).reduce((a, b) -> b)
                    .map(visit -> visit.calls().get(visit.calls().size() - 1).result()).orElseThrow();
        }

        List<String> published() {
            return resources.published().stream().map(message -> message.get("type").asText()).toList();
        }
    }

    private ScriptFolder release(String... versions) {
        ScriptFolder folder = new ScriptFolder(dir.resolve("migrations"));
        for (String version : versions) {
            switch (version) {
                case "1" -> folder.with("V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);\n")
                        .with("U1__customers.sql", "DROP TABLE customers;\n");
                case "2" -> folder.with("V2__orders.sql", """
                        CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id),
                                             status text NOT NULL DEFAULT 'new');
                        """).with("U2__orders.sql", "DROP TABLE orders;\n");
                default -> throw new IllegalArgumentException(version);
            }
        }
        return folder;
    }

    private ObjectNode input(TestDatabase db, ScriptFolder folder) throws Exception {
        ObjectNode input = JSON.createObjectNode();
        input.put("deploymentId", "release-" + dir.getFileName());
        input.set("database", JSON.readTree(db.targetJson()));
        input.put("migrations", "filesystem:" + folder.root());
        input.put("autoApproveUpTo", 1);
        ObjectNode canary = input.putObject("canary");
        canary.put("parameterName", "/app/release/canary-percent");
        canary.put("waitSeconds", 60);
        canary.putArray("probes").add("SELECT count(*) FROM customers");
        return input;
    }

    private Run run(String scenario, JsonNode input, Approvals approvals) {
        return run(scenario, input, approvals, resources -> resources);
    }

    /** Runs one execution, waits skipped; {@code wrap} may put the application's behaviour around the resources. */
    /** The local bindings, each call going through {@code run} (given the bindings and the call) instead. */
    private static UnaryOperator<TaskResources> around(BiFunction<TaskResources, TaskResources.TaskCall, JsonNode> run) {
        return resources -> new TaskResources() {
            @Override
            public boolean serves(String resource) {
                return resources.serves(resource);
            }

            @Override
            public JsonNode run(TaskResources.TaskCall call) {
                return run.apply(resources, call);
            }
        };
    }

    private Run run(String scenario, JsonNode input, Approvals approvals, UnaryOperator<TaskResources> wrap) {
        return run(handlers, scenario, input, approvals, wrap);
    }

    private Run run(Map<String, RequestStreamHandler> functions, String scenario, JsonNode input, Approvals approvals,
            UnaryOperator<TaskResources> wrap) {
        return run(functions, template, scenario, input, approvals, wrap);
    }

    /** An execution of a definition rendered otherwise (another deployment's approval limit). */
    private Run runRendered(String definition, String scenario, JsonNode input, Approvals approvals) {
        return run(handlers, definition, scenario, input, approvals, resources -> resources);
    }

    private Run run(Map<String, RequestStreamHandler> functions, String definition, String scenario, JsonNode input, Approvals approvals,
            UnaryOperator<TaskResources> wrap) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        LocalResources resources = new LocalResources(functions, approvals, out);
        PipelineCommandLine.Result result = PipelineCommandLine.execute(definition, input, scenario, wrap.apply(resources), 0, out);
        try {
            Files.writeString(TRACES.resolve(scenario + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result.trace()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new Run(result.execution(), resources, printed.toString(StandardCharsets.UTF_8));
    }

    /** The release of {@code folder} as it stands, deployed by a first execution that must succeed. */
    private void released(TestDatabase db, ScriptFolder folder, String scenario) throws Exception {
        Run first = run(scenario, input(db, folder), none());
        assertThat(first.execution().status()).as(first.printed()).isEqualTo(Execution.Status.SUCCEEDED);
    }

    /** The states every execution starts with (its input's defaults, the deployment's approval limit), then {@code states}. */
    static String[] afterDefaults(String... states) {
        List<String> path = new java.util.ArrayList<>(List.of("Defaults", "WithDefaults", "CanaryWithDefaults", "DeployedApprovalLimit",
                "CompatibilityAsked"));
        List<String> rest = new java.util.ArrayList<>(List.of(states));
        // An input with a compatibility object passes its probes in first; then the plans question is asked either way.
        if (!rest.isEmpty() && rest.get(0).equals("CompatibilityWithProbes")) {
            path.add(rest.remove(0));
        }
        path.add("PlansAsked");
        path.addAll(rest);
        return path.toArray(String[]::new);
    }

    private static Approvals none() {
        return LocalApprovals.approving(0, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void happyPath_migratesRampsTheCanaryAndSucceeds() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        Run run = run("happy-path", input(db, release("1", "2")), none());

        assertThat(run.execution().status()).as(run.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(run.execution().path()).containsExactly(afterDefaults("Preflight", "DryRun", "RollbackTarget", "RollbackToEmpty",
                "NeedsApproval", "BaselineWindowOpen", "BaselineWait", "BaselineWindowClose", "Migrate", "MigrateDone", "PostValidate",
                "CanaryStart", "SetCanaryPercentage", "CanaryWindowOpen", "CanaryWait", "CanaryCheck", "CanaryVerdict", "NextStage",
                "SetCanaryPercentage", "CanaryWindowOpen", "CanaryWait", "CanaryCheck", "CanaryVerdict", "NextStage",
                "SetCanaryPercentage", "CanaryWindowOpen", "CanaryWait", "CanaryCheck", "CanaryVerdict", "NextStage",
                "SetCanaryPercentage", "CanaryWindowOpen", "CanaryWait", "CanaryCheck", "CanaryVerdict", "Promote", "NotifyDeployed",
                "ContractPending", "Deployed"));
        assertThat(db.history()).containsExactly("1|V1__customers.sql|t", "2|V2__orders.sql|t");
        assertThat(run.execution().output().at("/results/migrate/report/versionAfter").asText()).isEqualTo("2");
        assertThat(run.execution().output().at("/results/canary/verdict").asText()).isEqualTo("HEALTHY");
        assertThat(run.resources().parameters()).containsExactly(Map.entry("/app/release/canary-percent", "100"));
        assertThat(run.published()).containsExactly("deployed");
    }

    @Test
    void failingMigration_rollsBackToTheVersionBeforeTheRelease() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder folder = release("1", "2");
        released(db, folder, "failing-migration-before");
        List<String> schemaBefore = db.schemaFingerprint();
        folder.with("V3__customer_email.sql", "ALTER TABLE customers ADD COLUMN email text;\n")
                .with("U3__customer_email.sql", "ALTER TABLE customers DROP COLUMN email;\n")
                .with("V4__order_total.sql", "ALTER TABLE order_lines ADD COLUMN total numeric(12, 2);\n")
                .with("U4__order_total.sql", "ALTER TABLE order_lines DROP COLUMN total;\n");

        Run run = run("failing-migration", input(db, folder), none());

        assertThat(run.execution().status()).isEqualTo(Execution.Status.FAILED);
        assertThat(run.execution().error()).isEqualTo("RolledBack");
        assertThat(run.execution().path()).containsSubsequence("Migrate", "CanaryOff", "Rollback", "NotifyRolledBack", "RolledBack")
                .doesNotContain("PostValidate", "CanaryCheck");
        Execution.Visit migrate = run.execution().visits().stream().filter(visit -> visit.state().equals("Migrate")).findFirst().orElseThrow();
        assertThat(migrate.calls()).hasSize(1);
        assertThat(migrate.calls().get(0).error()).as("not retried: a failed script fails again").isEqualTo("io.sluice.error.MigrationFailed");
        assertThat(migrate.outcome()).isEqualTo("caught io.sluice.error.MigrationFailed -> CanaryOff");
        assertThat(run.state("Rollback").at("/Payload/status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(db.history()).as("V3, applied by the release, undone").containsExactly("1|V1__customers.sql|t", "2|V2__orders.sql|t");
        assertThat(db.rows("SELECT result, from_version, to_version, requested_by FROM sluice.rollback_audit"))
                .containsExactly("ROLLED_BACK|3|2|" + LocalFunctions.STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:") + ":failing-migration");
        assertThat(db.schemaFingerprint()).as("the schema of version 2, as before the release").isEqualTo(schemaBefore);
        assertThat(run.resources().parameters()).containsExactly(Map.entry("/app/release/canary-percent", "0"));
        assertThat(run.published()).containsExactly("rolled-back");
        assertThat(run.resources().published().get(0).at("/cause/Error").asText()).isEqualTo("io.sluice.error.MigrationFailed");
    }

    @Test
    void canaryFailingAtThe25PercentStage_rollsBack() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        UnaryOperator<TaskResources> rollbacksAt25 = around((resources, call) -> {
            if (call.state().equals("CanaryCheck") && call.parameters().at("/Payload/stage").asInt() == 25) {
                applicationRollsBack(db, 80);
            }
            return resources.run(call);
        });

        Run run = run("canary-failed", input(db, release("1", "2")), none(), rollbacksAt25);

        assertThat(run.execution().status()).isEqualTo(Execution.Status.FAILED);
        assertThat(run.execution().error()).isEqualTo("RolledBack");
        assertThat(run.execution().path()).containsSubsequence("CanaryCheck", "CanaryVerdict", "NextStage", "SetCanaryPercentage",
                "CanaryWindowOpen", "CanaryWait", "CanaryCheck", "CanaryVerdict", "CanaryFailed", "CanaryOff", "Rollback", "NotifyRolledBack",
                "RolledBack").doesNotContain("Promote");
        assertThat(run.resources().published().get(0).at("/cause/Error").asText()).isEqualTo("CanaryFailed");
        assertThat(run.resources().published().get(0).at("/cause/Cause").asText()).startsWith("[\"FAILED error-rate: ");
        assertThat(db.history()).as("rolled back to empty: both versions undone").isEmpty();
        assertThat(db.rows("SELECT result, from_version, to_version FROM sluice.rollback_audit")).containsExactly("ROLLED_BACK|2|0");
        assertThat(db.tableExists("customers")).isFalse();
        assertThat(run.resources().parameters()).containsExactly(Map.entry("/app/release/canary-percent", "0"));
    }

    /** The application ends {@code count} transactions with ROLLBACK, and the statistics show them. */
    private static void applicationRollsBack(TestDatabase db, int count) {
        long before = Long.parseLong(db.rows("SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()").get(0));
        try (var connection = db.connect(); var statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                statement.execute("SELECT count(*) FROM customers");
                connection.rollback();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (int poll = 0; poll < 50; poll++) {
            long now = Long.parseLong(db.rows("SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()").get(0));
            if (now - before >= count) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("the rollbacks never reached pg_stat_database");
    }

    @Test
    void changeNeedingTwoApprovals_waits_proceedsWhenApproved_endsUnchangedWhenRejectedOrUnanswered() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder folder = release("1", "2");
        released(db, folder, "approval-before");
        folder.with("V3__status_check.sql", "ALTER TABLE orders ADD CONSTRAINT orders_status_known CHECK (status IN ('new', 'paid')) NOT VALID;\n")
                .with("U3__status_check.sql", "ALTER TABLE orders DROP CONSTRAINT orders_status_known;\n");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<String> history = db.history();

        Run rejected = run("approval-rejected", input(db, folder), LocalApprovals.rejecting(quiet));
        Run unanswered = run("approval-one-of-two", input(db, folder), LocalApprovals.approving(1, quiet));
        assertThat(db.history()).as("nothing migrated while not approved").isEqualTo(history);
        Run approved = run("approval-approved", input(db, folder), LocalApprovals.approving(2, quiet));

        for (Run notApproved : List.of(rejected, unanswered)) {
            assertThat(notApproved.execution().path()).containsExactly(afterDefaults("Preflight", "DryRun", "RollbackTarget",
                    "RollbackToCurrent", "NeedsApproval", "ApprovalSource", "RequestApproval", "NotifyNotDeployed", "NotDeployed"));
            assertThat(notApproved.execution().error()).isEqualTo("NotDeployed");
            assertThat(notApproved.published()).containsExactly("approval-requested", "not-deployed");
        }
        JsonNode request = rejected.resources().published().get(0);
        assertThat(request.get("changeClass").asText()).isEqualTo("major");
        assertThat(request.get("approvalsRequired").asInt()).isEqualTo(2);
        assertThat(request.get("taskToken").asText()).isNotBlank();
        assertThat(rejected.resources().published().get(1).at("/cause/Error").asText()).isEqualTo(LocalApprovals.REJECTED);
        assertThat(unanswered.resources().published().get(1).at("/cause/Error").asText()).isEqualTo("States.Timeout");
        assertThat(approved.execution().status()).as(approved.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(approved.execution().output().at("/results/approval/approvers").toString())
                .isEqualTo("[\"local-approver-1\",\"local-approver-2\"]");
        assertThat(db.history()).endsWith("3|V3__status_check.sql|t");
    }

    @Test
    void anInputRaisingAutoApproveUpTo_cannotSkipTheApprovalsTheDeploymentAsksFor_butMayAskForMore() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder folder = release("1", "2");
        released(db, folder, "limit-before");
        folder.with("V3__customer_email.sql", "ALTER TABLE customers ADD COLUMN email text;\n")
                .with("U3__customer_email.sql", "ALTER TABLE customers DROP COLUMN email;\n");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<String> history = db.history();
        // Deployed with auto_approve_up_to = 0: every change that needs an approval asks for it.
        String deployed = Template.render(template, LocalFunctions.templateValues(0));
        ObjectNode raising = input(db, folder).put("autoApproveUpTo", 3);
        ObjectNode lowering = input(db, folder).put("autoApproveUpTo", 0);

        Run raised = runRendered(deployed, "limit-raised-by-input", raising, LocalApprovals.approving(0, quiet));
        Run asked = run("limit-lowered-by-input", lowering, LocalApprovals.approving(0, quiet));

        for (Run run : List.of(raised, asked)) {
            assertThat(run.execution().path()).containsSubsequence("NeedsApproval", "RequestApproval", "NotifyNotDeployed", "NotDeployed");
            assertThat(run.resources().published().get(0).get("approvalsRequired").asInt()).isEqualTo(1);
        }
        assertThat(db.history()).as("nothing migrated without the approval").isEqualTo(history);
    }

    @Test
    void aStageThatStaysDegraded_isHeldCanaryMaxHoldsTimes_thenRolledBack_notUntilTheExecutionTimesOut() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        // The application stays in the amber zone: every check of the 5 % stage finds a signal above 80 % of its limit.
        UnaryOperator<TaskResources> amber = around((resources, call) -> {
            JsonNode result = resources.run(call);
            if (call.state().equals("CanaryCheck")) {
                ObjectNode payload = (ObjectNode) result.get("Payload");
                payload.put("verdict", "DEGRADED").put("nextStage", call.parameters().at("/Payload/stage").asInt());
                payload.putArray("alerts").add("DEGRADED error-rate: 9 of 100 transactions rolled back: 0.09 ratio (limit 0.1)");
            }
            return result;
        });
        ObjectNode input = input(db, release("1", "2"));
        ((ObjectNode) input.get("canary")).put("maxHolds", 2);

        Run run = run("canary-held-too-long", input, none(), amber);

        assertThat(run.execution().error()).isEqualTo("RolledBack");
        assertThat(run.execution().path().stream().filter(state -> state.equals("CanaryCheck"))).as("the first check and two holds")
                .hasSize(3);
        assertThat(run.execution().path()).containsSubsequence("CanaryHeld", "HeldTooOften", "CanaryWindowOpen", "CanaryHeld", "HeldTooOften",
                "CanaryWindowOpen", "CanaryHeld", "HeldTooOften", "CanaryHeldTooLong", "CanaryOff", "Rollback", "NotifyRolledBack", "RolledBack");
        JsonNode cause = run.resources().published().get(0).get("cause");
        assertThat(cause.get("Error").asText()).isEqualTo("CanaryHeldTooLong");
        assertThat(cause.get("Cause").asText()).isEqualTo("stage 5 stayed DEGRADED after 2 holds (canary.maxHolds): [\"DEGRADED error-rate:"
                + " 9 of 100 transactions rolled back: 0.09 ratio (limit 0.1)\"]");
        assertThat(db.history()).as("rolled back").isEmpty();
    }

    /** Copies the versions' V and U scripts of the sample rename into {@code folder}, as a team adds them release by release. */
    private static ScriptFolder withSample(ScriptFolder folder, String... versions) throws Exception {
        Path sample = Path.of("samples", "rename", "migration");
        for (String version : versions) {
            try (Stream<Path> files = Files.list(sample)) {
                for (Path file : files.filter(f -> f.getFileName().toString().matches("[VU]" + version + "__.*")).sorted().toList()) {
                    folder.with(file.getFileName().toString(), Files.readString(file));
                }
            }
        }
        return folder;
    }

    /** Approves up to three approvals, as the team would for the rename's data change (its backfill). */
    private static Approvals approvingThree() {
        return LocalApprovals.approving(3, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** The input, asking preflight to prove the running release's queries (and the new release's, when given). */
    private ObjectNode withQueries(ObjectNode input, String running, String newRelease) {
        ObjectNode compatibility = input.putObject("compatibility");
        compatibility.put("queriesFrom", "filesystem:samples/rename/queries/" + running);
        if (newRelease != null) {
            compatibility.put("newQueriesFrom", "filesystem:samples/rename/queries/" + newRelease);
        }
        return input;
    }

    @Test
    void aColumnRenamedInThreeReleases_isProvenCompatibleEachTime_andContractRunsLast() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder folder = withSample(new ScriptFolder(dir.resolve("migrations")), "1");
        released(db, folder, "rename-0-today");
        db.sql("INSERT INTO customers (email, full_name) SELECT 'c' || i || '@example.com', 'Customer ' || i FROM generate_series(1, 300) i");

        // Release 1, expand: display_name, a trigger writing both, the backfill. Old and new queries both prepare.
        Run expand = run("rename-1-expand", withQueries(input(db, withSample(folder, "2", "3")), "old", "new"),
                approvingThree());

        assertThat(expand.execution().status()).as(expand.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(expand.execution().path()).contains("CompatibilityWithProbes", "Migrate").doesNotContain("Contract");
        JsonNode proof = expand.state("Preflight").at("/Payload/compatibility");
        assertThat(proof.path("checked").asInt()).as("4 old queries and the canary probe").isEqualTo(5);
        assertThat(proof.path("compatible").asInt()).isEqualTo(5);
        assertThat(proof.path("broken")).isEmpty();
        assertThat(db.rows("SELECT count(*) FROM customers WHERE display_name = full_name")).containsExactly("300");
        db.sql("INSERT INTO customers (email, full_name) VALUES ('old@example.com', 'Written by the old release')");
        db.sql("INSERT INTO customers (email, display_name) VALUES ('new@example.com', 'Written by the new release')");
        assertThat(db.rows("SELECT full_name || '|' || display_name FROM customers WHERE email IN ('old@example.com', 'new@example.com')"
                + " ORDER BY email")).containsExactly("Written by the new release|Written by the new release",
                        "Written by the old release|Written by the old release");

        // Release 2: the application switches to display_name; no script is pending.
        Run switched = run("rename-2-application", withQueries(input(db, folder), "new", null), none());

        assertThat(switched.execution().status()).as(switched.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(switched.state("Preflight").at("/Payload/compatibility/compatible").asInt()).isEqualTo(5);
        assertThat(switched.published()).containsExactly("deployed");

        // Release 3, contract: full_name and the trigger go, after the canary reached 100 %.
        Run contract = run("rename-3-contract", withQueries(input(db, withSample(folder, "4")), "new", null),
                approvingThree());

        assertThat(contract.execution().status()).as(contract.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(contract.execution().path()).containsSubsequence("Migrate", "CanaryCheck", "Promote", "NotifyDeployed",
                "ContractPending", "Contract", "ContractDone", "PostContractValidate", "NotifyContracted", "Deployed");
        assertThat(contract.state("Preflight").at("/Payload/compatibility/compatible").asInt()).isEqualTo(5);
        assertThat(contract.state("Migrate").at("/Payload/applied")).as("Migrate runs the expand phase: nothing").isEmpty();
        assertThat(contract.state("Migrate").at("/Payload/contractPending").asInt()).isEqualTo(1);
        assertThat(contract.state("Contract").at("/Payload/applied/0/script").asText()).isEqualTo("V4__drop_full_name.sql");
        assertThat(contract.published()).containsExactly("approval-requested", "deployed", "contracted");
        assertThat(contract.resources().published().get(2).at("/contracted").asText()).isEqualTo("4");
        assertThat(db.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'customers' ORDER BY 1"))
                .containsExactly("created_at", "display_name", "email", "id");
        assertThat(db.rows("SELECT count(*) FROM customers WHERE display_name IS NOT NULL")).containsExactly("302");
    }

    @Test
    void theSameRenameAsOnePlainAlter_isStoppedInPreflight_evenWithItsLintFindingSuppressed() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder folder = withSample(new ScriptFolder(dir.resolve("migrations")), "1");
        released(db, folder, "rename-plain-before");
        folder.with("V2__rename_full_name.sql", "-- sluice:ignore renaming-column\nALTER TABLE customers RENAME COLUMN full_name TO"
                + " display_name;\n").with("U2__rename_full_name.sql", "ALTER TABLE customers RENAME COLUMN display_name TO full_name;\n");
        List<String> schema = db.schemaFingerprint();

        Run run = run("rename-plain", withQueries(input(db, folder), "old", "new"), none());

        assertThat(run.execution().path()).containsExactly(afterDefaults("CompatibilityWithProbes", "Preflight", "NotifyNotDeployed",
                "NotDeployed"));
        String cause = run.resources().published().get(0).at("/cause/Cause").asText();
        assertThat(cause).contains("INCOMPATIBLE_QUERY V2__rename_full_name.sql: the running application's query"
                + " (queriesFrom:common_names.sql) SELECT full_name, count(*) FROM customers");
        assertThat(db.schemaFingerprint()).isEqualTo(schema);
        assertThat(run.resources().parameters()).as("no approval asked, the canary never touched").isEmpty();
    }

    @Test
    void aFailingContractScript_failsTheExecutionWithContractFailed_andRollsNothingBack() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder folder = withSample(new ScriptFolder(dir.resolve("migrations")), "1", "2", "3");
        assertThat(run("contract-failed-before", input(db, folder), approvingThree()).execution().status())
                .isEqualTo(Execution.Status.SUCCEEDED);
        folder.with("V4__drop_full_name.sql", "-- sluice:phase contract\nALTER TABLE customers DROP COLUMN full_name;\n"
                + "ALTER TABLE customers DROP COLUMN fullname;\n").with("U4__drop_full_name.sql", "SELECT 1;\n");

        Run run = run("contract-failed", input(db, folder), approvingThree());

        assertThat(run.execution().status()).isEqualTo(Execution.Status.FAILED);
        assertThat(run.execution().error()).isEqualTo("ContractFailed");
        assertThat(run.execution().path()).containsSubsequence("Promote", "NotifyDeployed", "ContractPending", "Contract",
                "NotifyContractFailed", "ContractFailed").doesNotContain("CanaryOff", "Rollback");
        assertThat(run.published()).containsExactly("approval-requested", "deployed", "contract-failed");
        assertThat(run.resources().published().get(2).at("/cause/Error").asText()).isEqualTo("io.sluice.error.MigrationFailed");
        assertThat(run.resources().published().get(2).at("/deployed").asText()).isEqualTo("3");
        assertThat(run.resources().parameters()).as("the new release keeps all traffic").containsExactly(
                Map.entry("/app/release/canary-percent", "100"));
        assertThat(db.history()).as("V4 left nothing behind").hasSize(3);
        assertThat(db.rows("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name"
                + " = 'full_name'")).containsExactly("1");
    }

    @Test
    void aReleaseThatLosesAHotQuerysIndex_showsTheRegressionToTheApprovers_orEndsBeforeApprovalWithFailOnRegression() throws Exception {
        TestDatabase db = PostgresServer.version18().newDatabase();
        ScriptFolder folder = release("1", "2").with("V3__orders_by_customer.sql", "CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);\n")
                .with("U3__orders_by_customer.sql", "DROP INDEX CONCURRENTLY orders_customer_idx;\n");
        released(db, folder, "plans-before");
        db.sql("INSERT INTO customers (id, name) SELECT i, 'Customer ' || i FROM generate_series(1, 20000) i");
        db.sql("INSERT INTO orders (id, customer_id) SELECT i, 1 + i % 20000 FROM generate_series(1, 200000) i");
        db.sql("ANALYZE customers; ANALYZE orders");
        folder.with("V4__drop_orders_by_customer.sql", "DROP INDEX CONCURRENTLY orders_customer_idx;\n")
                .with("U4__drop_orders_by_customer.sql", "CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);\n");
        ObjectNode input = input(db, folder);
        input.put("autoApproveUpTo", 0);
        input.putObject("plans").putArray("queries").add("SELECT id, status FROM orders WHERE customer_id = $1");
        List<String> history = db.history();

        Run stopped = run("plans-fail-on-regression", input.deepCopy().set("plans", ((ObjectNode) input.get("plans").deepCopy())
                .put("failOnRegression", true)), approvingThree());

        assertThat(stopped.execution().path()).containsExactly(afterDefaults("PlansWithProbes", "Preflight", "NotifyNotDeployed",
                "NotDeployed"));
        assertThat(stopped.resources().published().get(0).at("/cause/Error").asText()).isEqualTo("io.sluice.error.ValidationFailed");
        assertThat(stopped.resources().published().get(0).at("/cause/Cause").asText()).contains("PLAN_REGRESSION",
                "V4__drop_orders_by_customer.sql");
        assertThat(db.history()).isEqualTo(history);

        Run asked = run("plans-shown-to-approvers", input, approvingThree());

        assertThat(asked.execution().status()).as(asked.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        JsonNode request = asked.resources().published().get(0);
        assertThat(request.get("type").asText()).isEqualTo("approval-requested");
        assertThat(request.at("/plans/checked").asInt()).as("the input's query and the canary probe").isEqualTo(2);
        assertThat(request.at("/plans/regressions/0/source").asText()).isEqualTo("queries[0]");
        assertThat(request.at("/plans/regressions/0/relation").asText()).isEqualTo("orders");
        assertThat(request.at("/plans/regressions/0/script").asText()).isEqualTo("V4__drop_orders_by_customer.sql");
        assertThat(request.at("/plans/regressions/0/after").asText()).contains("Seq Scan on orders");
        assertThat(request.at("/release/plans/queries/0").asText()).as("the plan-check queries, as the release gave them")
                .isEqualTo("SELECT id, status FROM orders WHERE customer_id = $1");
        assertThat(request.at("/canary/probes").toString()).as("the probes that will run on the live database, as the probe role")
                .isEqualTo(input.at("/canary/probes").toString()).isNotEqualTo("[]");
        assertThat(db.history()).endsWith("4|V4__drop_orders_by_customer.sql|t");
    }

    @Test
    void invalidPreflight_endsBeforeAnyChange() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder folder = release("1", "2");
        released(db, folder, "preflight-before");
        folder.with("V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, note text);\n")
                .with("V3__customer_email.sql", "ALTER TABLE customers ADD COLUMN email text;\n")
                .with("U3__customer_email.sql", "ALTER TABLE customers DROP COLUMN email;\n");
        List<String> history = db.history();
        List<String> schema = db.schemaFingerprint();

        Run run = run("preflight-invalid", input(db, folder), none());

        assertThat(run.execution().path()).containsExactly(afterDefaults("Preflight", "NotifyNotDeployed", "NotDeployed"));
        assertThat(run.execution().error()).isEqualTo("NotDeployed");
        assertThat(run.resources().published().get(0).at("/cause/Error").asText()).isEqualTo("io.sluice.error.ValidationFailed");
        assertThat(run.resources().published().get(0).at("/cause/Cause").asText()).contains("V1__customers.sql");
        assertThat(db.history()).isEqualTo(history);
        assertThat(db.schemaFingerprint()).isEqualTo(schema);
        assertThat(run.resources().parameters()).as("the canary was never touched").isEmpty();
    }

    @Test
    void startedTwiceForTheSameRelease_theSecondChangesNothing() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ObjectNode input = input(db, release("1", "2"));
        Run first = run("twice-first", input, none());
        List<String> history = db.history();
        List<String> schema = db.schemaFingerprint();

        Run second = run("twice-second", input, none());

        assertThat(first.execution().status()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(second.execution().status()).as(second.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(second.state("Migrate").at("/Payload/applied").isEmpty()).isTrue();
        assertThat(second.state("Migrate").at("/Payload/versionBefore").asText()).isEqualTo("2");
        assertThat(second.execution().path()).contains("RollbackToCurrent").doesNotContain("RollbackToEmpty");
        assertThat(db.history()).isEqualTo(history);
        assertThat(db.schemaFingerprint()).isEqualTo(schema);
    }

    @Test
    void migrationLongerThanOneInvocation_returnsInProgress_andTheMigrateStateLoopsUntilDone() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder folder = new ScriptFolder(dir.resolve("migrations"));
        for (int version = 1; version <= 4; version++) {
            folder.with("V" + version + "__slow_" + version + ".sql", "SELECT pg_sleep(0.6);\nCREATE TABLE slow_" + version + " (id bigint PRIMARY KEY);\n")
                    .with("U" + version + "__slow_" + version + ".sql", "DROP TABLE slow_" + version + ";\n");
        }
        // A Lambda timeout of 16 s leaves 1 s after the 15 s deadline reserve: room for about two scripts a call.
        ObjectNode definition = (ObjectNode) JSON.readTree(template);
        ((ObjectNode) definition.at("/States/Migrate")).put("TimeoutSeconds", 16);
        String original = template;
        template = JSON.writeValueAsString(definition);
        Run run;
        try {
            ObjectNode input = input(db, folder);
            ((ObjectNode) input.get("canary")).putArray("probes").add("SELECT count(*) FROM slow_4");
            run = run("migrate-in-progress", input, none());
        } finally {
            template = original;
        }

        assertThat(run.execution().status()).as(run.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        List<Execution.Visit> migrates = run.execution().visits().stream().filter(visit -> visit.state().equals("Migrate")).toList();
        assertThat(migrates.size()).isBetween(2, 4);
        assertThat(migrates.get(0).calls().get(0).result().at("/Payload/status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(migrates.get(migrates.size() - 1).calls().get(0).result().at("/Payload/status").asText()).isNotEqualTo("IN_PROGRESS");
        assertThat(run.execution().path()).containsSubsequence("Migrate", "MigrateDone", "MigrateContinues", "Migrate", "MigrateDone",
                "PostValidate");
        assertThat(db.history()).containsExactly("1|V1__slow_1.sql|t", "2|V2__slow_2.sql|t", "3|V3__slow_3.sql|t", "4|V4__slow_4.sql|t");
    }

    @Test
    void backfillLongerThanAFunctionsTimeout_resumesAcrossInvocations_ofTheMigrateState() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ObjectNode input = (ObjectNode) JSON.readTree(Path.of("events", "pipeline", "release-backfill.json").toFile());
        input.set("database", JSON.readTree(db.targetJson()));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        // A function timeout of 17 s leaves 2 s a call after the 15 s deadline reserve.
        LocalResources resources = new LocalResources(handlers, 17, LocalApprovals.approving(3, out), out);

        PipelineCommandLine.Result result = PipelineCommandLine.execute(template, input, "backfill-resumes", resources, 0, out);
        Files.writeString(TRACES.resolve("backfill-resumes.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result.trace()));

        Execution execution = result.execution();
        assertThat(execution.status()).as(printed.toString(StandardCharsets.UTF_8)).isEqualTo(Execution.Status.SUCCEEDED);
        List<JsonNode> migrates = execution.visits().stream().filter(visit -> visit.state().equals("Migrate"))
                .map(visit -> visit.calls().get(0).result().get("Payload")).toList();
        assertThat(migrates.size()).isGreaterThanOrEqualTo(2);
        JsonNode last = migrates.get(migrates.size() - 1);
        assertThat(last.get("status").asText()).isEqualTo("MIGRATED");
        assertThat(last.at("/backfills/0/finished").asBoolean()).isTrue();
        assertThat(last.at("/backfills/0/rowsDone").asLong()).isEqualTo(400_000);
        assertThat(last.at("/backfills/0/invocations").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(migrates.stream().filter(report -> report.path("backfills").size() > 0 && !report.at("/backfills/0/finished").asBoolean()))
                .as("at least one call stopped part-way through the backfill").isNotEmpty()
                .allSatisfy(report -> assertThat(report.get("status").asText()).isEqualTo("IN_PROGRESS"));
        assertThat(db.rows("SELECT count(*) FROM orders WHERE total_cents IS DISTINCT FROM (total * 100)::bigint")).containsExactly("0");
        assertThat(db.history()).endsWith("4|V4__backfill_total_cents.sql|t");
    }

    @Test
    void releaseOfHundredsOfScriptsAndLintFindings_keepsEveryStateWithinStepFunctionsPayloadQuota_andDeploys() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder folder = new ScriptFolder(dir.resolve("migrations"));
        RealisticHistory.write(folder, 400);
        ObjectNode input = input(db, folder);
        ((ObjectNode) input.get("canary")).putArray("probes").add("SELECT count(*) FROM t1 WHERE status = 'open'");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        // A team whose releases build new tables and their indexes together, and have no undo scripts yet: warnings.
        Map<String, RequestStreamHandler> functions = LocalFunctions.byArn(LocalFunctions.config("test", Map.of(
                "sluice.lint.severity.\"require-concurrent-index-creation\"", "warning",
                "sluice.lint.severity.\"constraint-missing-not-valid\"", "warning")), new FolderReports(REPORTS));

        Run run = run(functions, "release-400-scripts", input, LocalApprovals.approving(3, quiet), resources -> resources);

        assertThat(run.execution().status()).as(run.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(run.execution().path()).endsWith("Promote", "NotifyDeployed", "ContractPending", "Deployed");
        assertThat(db.history()).hasSize(400).endsWith("400|V400__create_t42.sql|t");
        for (Execution.Visit visit : run.execution().visits()) {
            assertThat(bytes(visit.output())).as("%s's output", visit.state()).isLessThanOrEqualTo(WorkflowRunner.MAX_PAYLOAD_BYTES);
            for (Execution.Attempt call : visit.calls()) {
                assertThat(bytes(call.result().path("Payload"))).as("%s's result", visit.state())
                        .isLessThanOrEqualTo(BoundedResults.MAX_RESULT_BYTES);
            }
        }
        JsonNode preflight = run.state("Preflight").get("Payload");
        JsonNode whole = JSON.readTree(Path.of(preflight.get("fullReport").asText()).toFile());
        assertThat(whole.get("pending")).hasSize(400);
        assertThat(whole.get("findings")).as("UNDO_MISSING for every script").hasSize(400);
        assertThat(whole.at("/lint/findings")).hasSize(121);
        assertThat(preflight.get("truncated").size()).isPositive();
        preflight.get("truncated").fields().forEachRemaining(cut -> {
            assertThat(whole.at(cut.getKey()).size()).as("%s in the full report", cut.getKey()).isEqualTo(cut.getValue().asInt());
            assertThat(preflight.at(cut.getKey()).size()).as("%s in the result", cut.getKey()).isLessThan(cut.getValue().asInt());
        });
        assertThat(preflight.get("lint").get("changeClass")).isEqualTo(whole.at("/lint/changeClass"));
        assertThat(run.execution().output().at("/results/preflight/report")).isEqualTo(JSON.readTree("""
                {"valid": true, "currentVersion": null, "plans": {"skipped": "not asked: the event has no plans object"},
                 "lint": {"scripts": 400, "changeClass": "data", "approvalsRequired": 3, "errors": 0}}"""));
        JsonNode migrate = run.state("Migrate").get("Payload");
        assertThat(migrate.get("versionAfter").asText()).isEqualTo("400");
        assertThat(migrate.has("truncated")).as("%d bytes: within the budget, whole", bytes(migrate)).isFalse();
        assertThat(migrate.get("applied")).hasSize(400);
        assertThat(run.execution().output().at("/results/migrate/report")).isEqualTo(JSON.readTree("""
                {"status": "MIGRATED", "versionBefore": null, "versionAfter": "400", "contractPending": 0}"""));
    }

    private static int bytes(JsonNode json) throws Exception {
        return json == null ? 0 : JSON.writeValueAsBytes(json).length;
    }

    static Stream<Path> sampleInputs() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("events", "pipeline"))) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("sampleInputs")
    void everySampleInput_runsTheWholePipeline_onTheSampleMigrations(Path file) throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ObjectNode input = (ObjectNode) JSON.readTree(file.toFile());
        input.set("database", JSON.readTree(db.targetJson()));
        boolean dryRun = input.path("dryRun").asBoolean(false);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        String scenario = "sample-" + file.getFileName().toString().replace(".json", "");

        Run run = run(scenario, input, LocalApprovals.approving(3, quiet));

        assertThat(run.execution().status()).as(run.printed()).isEqualTo(Execution.Status.SUCCEEDED);
        if (dryRun) {
            assertThat(run.execution().path()).containsExactly(afterDefaults("Preflight", "DryRun", "Plan", "Planned"));
            assertThat(run.execution().output().at("/results/plan/report/plan").size()).isEqualTo(4);
            assertThat(db.tableExists("customers")).as("a dry run changes nothing").isFalse();
        } else {
            assertThat(run.execution().path()).endsWith("Promote", "NotifyDeployed", "ContractPending", "Deployed");
            int approvals = run.execution().output().at("/results/preflight/report/lint/approvalsRequired").asInt();
            assertThat(run.execution().path().contains("RequestApproval")).isEqualTo(approvals > input.get("autoApproveUpTo").asInt());
            assertThat(run.execution().output().at("/results/migrate/report/versionAfter").asText()).isEqualTo("4");
        }
    }
}
