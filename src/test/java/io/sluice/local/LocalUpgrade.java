package io.sluice.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.aws.AwsAdapters;
import io.sluice.cli.LocalFleetExecutions;
import io.sluice.cli.LocalFunctions;
import io.sluice.config.SluiceConfig;
import io.sluice.fleet.FleetCommand;
import io.sluice.fleet.FleetExecutions;
import io.sluice.fleet.FleetObjects;
import io.sluice.function.EventCodec;
import io.sluice.function.FullReports;
import io.sluice.testing.BlueGreenPair;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;
import io.sluice.workflow.Approvals;
import io.sluice.workflow.ConsoleListener;
import io.sluice.workflow.Definition;
import io.sluice.workflow.Execution;
import io.sluice.workflow.LocalApprovals;
import io.sluice.workflow.LocalResources;
import io.sluice.workflow.Template;
import io.sluice.workflow.WorkflowRunner;

/**
 * Runs an engine upgrade on a laptop: {@code terraform/statemachine/upgrade.asl.json} on Sluice's local runner, the
 * functions in this process, the Blue/Green calls answered by a real pair ({@link BlueGreenPair}): blue a database on an
 * embedded PostgreSQL 17 started with {@code wal_level = logical}, migrated with the sample migrations and given rows;
 * green its namesake on an embedded PostgreSQL 18, filled by logical replication. An "application" writes a row to blue
 * every 50 ms while the upgrade runs; the run ends by counting them on the new primary. Waits are scaled down.
 */
public final class LocalUpgrade {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String INSTANCE = "orders-db";

    private LocalUpgrade() {
    }

    /** How an upgrade ended, and what it published. */
    public record Result(Execution execution, java.util.List<JsonNode> published) {
    }

    /**
     * The upgrade definition run on {@code input} against {@code pair}.
     *
     * @param approvals who answers the approval request
     */
    public static Result run(JsonNode input, BlueGreenPair pair, Approvals approvals, double waitScale, PrintStream out)
            throws Exception {
        String name = input.path("deploymentId").asText("upgrade").replaceAll("[^A-Za-z0-9_-]", "-") + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS"));
        String arn = LocalFunctions.UPGRADE_MACHINE_ARN.replace(":stateMachine:", ":execution:") + ":" + name;
        SluiceConfig config = LocalFunctions.config("prod", Map.of("sluice.database.event-credentials", "true",
                "sluice.aws.enabled", "false", "sluice.aws.rds-instance", INSTANCE, "sluice.aws.upgrade-arn", LocalFunctions.UPGRADE_MACHINE_ARN));
        LocalFleetExecutions executions = new LocalFleetExecutions(approvals);
        Map<String, RequestStreamHandler> functions = LocalFunctions.byArn(config, FullReports.NONE, FleetCommand.over(
                new EventCodec().mapper(), FleetObjects.NONE, "unset", FleetExecutions.NONE, java.util.Optional.empty(), target -> { }),
                pair, AwsAdapters.upgradeExecutions(executions), pair.instances());
        LocalResources resources = new LocalResources(functions, 900, executions, out);
        Definition definition = Definition.load(Template.render(Files.readString(Path.of("terraform", "statemachine", "upgrade.asl.json")),
                LocalFunctions.templateValues()), resources::serves);
        ConsoleListener listener = new ConsoleListener(out);
        out.printf("Sluice upgrade: %d states, execution %s, waits scaled by %s%n", definition.states().size(), name, waitScale);
        executions.started(LocalFunctions.UPGRADE_MACHINE_ARN, arn, input);
        Execution execution = null;
        try {
            execution = new WorkflowRunner(definition, resources, waitScale, listener, LocalFunctions.UPGRADE_MACHINE_ARN).run(name, input);
        } finally {
            executions.ended(arn, execution == null ? "ABORTED" : execution.status().name());
        }
        listener.summary(execution);
        return new Result(execution, resources.published());
    }

    /**
     * Blue: a database on the logical-replication 17 server, migrated with the sample migrations through the migrate
     * function and given {@code customers} customers with ten orders each.
     */
    public static TestDatabase blue(int customers) throws Exception {
        TestDatabase blue = PostgresServer.logicalBlue().newDatabase();
        migrate(blue);
        blue.sql("INSERT INTO customers (email, full_name) SELECT 'c' || i || '@example.com', 'Customer ' || i FROM generate_series(1, "
                + customers + ") i");
        blue.sql("INSERT INTO orders (customer_id, status, total) SELECT c.id, (ARRAY['new', 'paid', 'shipped'])[1 + (c.id + n) % 3],"
                + " (c.id * n) % 500 FROM customers c, generate_series(1, 10) n");
        blue.sql("ANALYZE");
        return blue;
    }

    /** The sample migrations applied to {@code database} by the migrate function, as a release would. */
    public static void migrate(TestDatabase database) {
        try {
            RequestStreamHandler migrate = LocalFunctions.byArn(LocalFunctions.localRun()).get(LocalFunctions.arn("migrate"));
            io.sluice.workflow.HandlerInvocation.invoke(migrate, "migrate", ("{\"deploymentId\": \"schema\", \"database\": "
                    + database.targetJson() + ", \"migrations\": \"classpath:db/migration\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    System.currentTimeMillis() + 120_000);
        } catch (io.sluice.workflow.HandlerInvocation.FunctionError e) {
            throw new IllegalStateException("migrate failed: " + e.payload());
        }
    }

    /** {@code events/upgrade/upgrade.json} with its database the pair's (whichever of the two is writable), green's parameter group RDS's default. */
    public static ObjectNode input(BlueGreenPair pair, TestDatabase blue) throws Exception {
        ObjectNode input = (ObjectNode) JSON.readTree(Path.of("events", "upgrade", "upgrade.json").toFile());
        input.set("database", JSON.createObjectNode().put("jdbcUrl", pair.databaseUrl()).put("username", blue.user())
                .put("password", PostgresServer.APP_PASSWORD));
        ((ObjectNode) input.get("upgrade")).remove("targetParameterGroup");
        return input;
    }

    public static void main(String[] args) throws Exception {
        System.out.print("Starting embedded PostgreSQL 17 (blue, wal_level logical) and 18 (green) ... ");
        long start = System.nanoTime();
        PostgresServer.logicalBlue();
        PostgresServer.version18();
        System.out.printf("ready in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        start = System.nanoTime();
        TestDatabase blue = blue(5_000);
        System.out.printf("Blue %s: the sample migrations and 5000 customers with 50000 orders, in %d ms%n", blue.name(),
                (System.nanoTime() - start) / 1_000_000);
        BlueGreenPair pair = new BlueGreenPair(INSTANCE, blue, LocalUpgrade::migrate);
        ObjectNode input = input(pair, blue);
        ApplicationWrites writes = ApplicationWrites.start(pair.databaseUrl(), blue.user(), PostgresServer.APP_PASSWORD);
        Result result;
        try {
            result = run(input, pair, LocalApprovals.approving(1, System.out), Double.parseDouble(System.getProperty("local.wait-scale",
                    "0.05")), System.out);
        } finally {
            writes.stop();
        }
        System.out.println();
        System.out.println(writes.report(pair, blue));
        System.exit(result.execution().status() == Execution.Status.SUCCEEDED ? 0 : 1);
    }
}
