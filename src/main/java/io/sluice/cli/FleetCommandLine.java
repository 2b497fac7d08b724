package io.sluice.cli;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.config.SluiceConfig;
import io.sluice.fleet.FleetCommand;
import io.sluice.function.DatabaseTargets;
import io.sluice.function.EventCodec;
import io.sluice.function.FolderReports;
import io.sluice.function.FullReports;
import io.sluice.workflow.Approvals;
import io.sluice.workflow.ConsoleListener;
import io.sluice.workflow.Definition;
import io.sluice.workflow.DefinitionRefused;
import io.sluice.workflow.Execution;
import io.sluice.workflow.LocalApprovals;
import io.sluice.workflow.LocalExecutions;
import io.sluice.workflow.LocalObjects;
import io.sluice.workflow.LocalResources;
import io.sluice.workflow.TaskResources;
import io.sluice.workflow.Template;
import io.sluice.workflow.WorkflowRunner;

/**
 * {@code sluice fleet run}: runs the fleet state machine's definition on this machine: the fleet's waves as Distributed
 * Maps in-process, each database through the pipeline's definition as a child execution, the functions in this
 * process, S3 bound to a folder ({@code --objects}, bucket {@value #BUCKET}). Prints per wave how many databases
 * started, succeeded and failed and its wall time, then where the fleet stopped. Exit code 0 when the fleet is
 * released, 1 when it stops, 2 for a usage error or a definition the runner refuses.
 *
 * <pre>
 * fleet run --input FILE [--definition FILE] [--pipeline FILE] [--objects DIR] [--approve N | --reject] [--wait-scale X]
 *       [--function-timeout S] [--name NAME] [--reports DIR] [--auto-approve-up-to N] [--verbose]
 * </pre>
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the fleet state machine on this machine: the fleet's"
        + " waves, each database through the pipeline, S3 bound to a folder.")
public final class FleetCommandLine implements Callable<Integer> {

    public static final Path DEFAULT_DEFINITION = Path.of("terraform", "statemachine", "fleet.asl.json");
    /** The bucket a local fleet keeps its plan, waves, results and summary in: a folder under {@code --objects}. */
    public static final String BUCKET = "sluice-fleet";
    static final String DEFAULT_OBJECTS = "target/fleet-objects";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sluice.Console console;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "the fleet's input, e.g. events/fleet/fleet.json")
    Path input;

    @Option(names = "--definition", paramLabel = "FILE", description = "the fleet state machine; default terraform/statemachine/fleet.asl.json")
    Path definition = DEFAULT_DEFINITION;

    @Option(names = "--pipeline", paramLabel = "FILE", description = "each database's pipeline; default terraform/statemachine/pipeline.asl.json")
    Path pipeline = PipelineCommandLine.DEFAULT_DEFINITION;

    @Option(names = "--objects", paramLabel = "DIR", description = "the folder S3 is bound to; default " + DEFAULT_OBJECTS)
    Path objects = Path.of(DEFAULT_OBJECTS);

    @Option(names = "--approve", paramLabel = "N", description = "answer the fleet's approval with N approvals")
    Integer approvals;

    @Option(names = "--reject", description = "reject the fleet at its approval")
    boolean reject;

    @Option(names = "--wait-scale", paramLabel = "X", description = "what Wait states and retry intervals are multiplied by (>= 0)")
    String waitScale = "1.0";

    @Option(names = "--function-timeout", paramLabel = "SECONDS", description = "the functions' timeout, 1-900")
    String functionTimeout = Integer.toString(LocalResources.LAMBDA_MAX_SECONDS);

    @Option(names = "--name", description = "the execution's name: 1-80 letters, digits, '_' or '-'")
    String name;

    @Option(names = "--reports", paramLabel = "DIR", description = "where whole results too large for a state go")
    Path reports = Path.of(PipelineCommandLine.DEFAULT_REPORTS);

    @Option(names = "--auto-approve-up-to", paramLabel = "N", description = "the deployment's approval limit; default 3")
    String autoApproveUpTo = Integer.toString(LocalFunctions.LOCAL_APPROVAL_LIMIT);

    @Option(names = "--verbose", description = "print the functions' log lines")
    boolean verbose;

    FleetCommandLine(Sluice.Console console) {
        this.console = console;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code fleet run} with {@code args} (with or without the leading {@code fleet}); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Sluice.run(Sluice.under(new String[] {"fleet", "run"}, args),
                new Sluice.Console(System.getenv(), out, err, Path.of("").toAbsolutePath(), false));
    }

    @Override
    public Integer call() {
        PrintStream out = console.out();
        PrintStream err = console.err();
        if (reject && approvals != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--approve and --reject exclude each other");
        }
        if (name != null && !name.matches("[A-Za-z0-9_-]{1,80}")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--name takes 1-80 letters, digits, '_' or '-' (a Step Functions execution name)");
        }
        if (approvals != null && approvals < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--approve takes a whole number >= 0");
        }
        double scale;
        int timeout;
        int limit;
        try {
            scale = OptionValues.waitScale(waitScale);
            timeout = OptionValues.functionTimeout(functionTimeout);
            limit = OptionValues.count(autoApproveUpTo, "--auto-approve-up-to");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        java.util.logging.Logger.getLogger("").setLevel(verbose ? Level.INFO : Level.OFF);
        Path here = console.workingDirectory();
        try {
            JsonNode in = JSON.readTree(Files.readString(here.resolve(input)));
            Approvals answers = reject ? LocalApprovals.rejecting(out)
                    : approvals != null ? LocalApprovals.approving(approvals, out)
                    : console.terminal() ? LocalApprovals.prompting(new BufferedReader(new InputStreamReader(System.in,
                            StandardCharsets.UTF_8)), out)
                    : LocalApprovals.approving(0, out);
            String execution = name != null ? name : executionName(in);
            Setup setup = new Setup(LocalFunctions.localRun(), new FolderReports(here.resolve(reports)), here.resolve(objects), answers,
                    timeout, scale, limit);
            Result result = execute(Files.readString(here.resolve(definition)), Files.readString(here.resolve(pipeline)), in, execution,
                    setup, out);
            report(result, out);
            return result.execution().status() == Execution.Status.SUCCEEDED ? PipelineCommandLine.SUCCEEDED : PipelineCommandLine.FAILED;
        } catch (DefinitionRefused e) {
            err.println("definition refused: " + e.getMessage());
            return PipelineCommandLine.USAGE;
        } catch (IllegalArgumentException e) {
            err.println("cannot start the execution: " + e.getMessage());
            return PipelineCommandLine.USAGE;
        } catch (IOException e) {
            err.println("cannot read: " + e.getMessage());
            return PipelineCommandLine.USAGE;
        }
    }

    /**
     * What a local fleet runs with.
     *
     * @param config          the functions' configuration
     * @param reports         where results too large for a state machine are kept whole
     * @param objects         the folder S3 is bound to
     * @param approvals       who answers the fleet's approval request
     * @param functionTimeout the functions' timeout, seconds
     * @param waitScale       what Wait states and retry intervals are multiplied by
     * @param approvalLimit   the deployment's approval limit ({@code auto_approve_up_to})
     * @param around          what every binding (the fleet's and each pipeline's) is wrapped in: a measurement, say
     */
    public record Setup(SluiceConfig config, FullReports reports, Path objects, Approvals approvals, int functionTimeout,
            double waitScale, int approvalLimit, UnaryOperator<TaskResources> around) {

        public Setup(SluiceConfig config, FullReports reports, Path objects, Approvals approvals, int functionTimeout,
                double waitScale, int approvalLimit) {
            this(config, reports, objects, approvals, functionTimeout, waitScale, approvalLimit, UnaryOperator.identity());
        }
    }

    /**
     * How a fleet ended.
     *
     * @param execution the fleet's execution
     * @param summary   its summary ({@code summary.json}); null when it stopped before its waves were planned
     * @param resources the fleet's own bindings (what it published)
     */
    public record Result(Execution execution, JsonNode summary, LocalResources resources) {
    }

    /** Renders both definitions, binds them and runs one fleet execution, printing its states as it goes. */
    public static Result execute(String fleetTemplate, String pipelineTemplate, JsonNode input, String name, Setup setup, PrintStream out) {
        Map<String, String> values = LocalFunctions.templateValues(setup.approvalLimit());
        LocalObjects objects = new LocalObjects(setup.objects());
        LocalFleetExecutions fleets = new LocalFleetExecutions(setup.approvals());
        FleetCommand fleet = FleetCommand.over(new EventCodec().mapper(), new LocalFleetObjects(objects), BUCKET, fleets,
                Optional.of(LocalFunctions.FLEET_MACHINE_ARN), new DatabaseTargets(setup.config())::check);
        Map<String, RequestStreamHandler> functions = LocalFunctions.byArn(setup.config(), setup.reports(), fleet);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
            }
        }, true, StandardCharsets.UTF_8);
        // Each database's pipeline gets bindings of its own: its own SSM parameters and messages, as its own execution.
        Supplier<TaskResources> child = () -> setup.around().apply(new LocalResources(functions, setup.functionTimeout(),
                LocalApprovals.approving(0, quiet), quiet).and(objects));
        Definition pipeline = Definition.load(Template.render(pipelineTemplate, values), resource -> child.get().serves(resource));
        LocalExecutions executions = new LocalExecutions(Map.of(LocalFunctions.STATE_MACHINE_ARN, pipeline), child, setup.waitScale());
        LocalResources own = new LocalResources(functions, setup.functionTimeout(), fleets, out);
        TaskResources resources = setup.around().apply(own.and(objects).and(executions));
        Definition definition = Definition.load(Template.render(fleetTemplate, values), resources::serves);
        ConsoleListener listener = new ConsoleListener(out);
        out.printf("Sluice fleet: %d states, execution %s, waits scaled by %s, objects in %s%n", definition.states().size(), name,
                setup.waitScale(), setup.objects().resolve(BUCKET));
        String arn = LocalFunctions.FLEET_MACHINE_ARN.replace(":stateMachine:", ":execution:") + ":" + name;
        fleets.started(LocalFunctions.FLEET_MACHINE_ARN, arn, input);
        Execution execution = null;
        try {
            execution = new WorkflowRunner(definition, resources, setup.waitScale(), listener, LocalFunctions.FLEET_MACHINE_ARN).run(name, input);
        } finally {
            // From here on the fleet's approval holds for nothing: a fleet's approval ends with the fleet.
            fleets.ended(arn, execution == null ? "ABORTED" : execution.status().name());
        }
        listener.summary(execution);
        JsonNode summary = null;
        try {
            summary = JSON.readTree(objects.read(BUCKET, "fleet/" + name + "/summary.json", Long.MAX_VALUE));
        } catch (RuntimeException | IOException e) {
            // Stopped before its waves were planned: there is no summary.
        }
        return new Result(execution, summary, own);
    }

    /** Per wave: started, succeeded, failed, wall time; then where the fleet stopped and where its summary is. */
    public static List<String> waves(Result result) {
        List<String> lines = new ArrayList<>();
        List<Execution.Visit> visits = result.execution().visits().stream().filter(visit -> visit.state().equals("Wave")).toList();
        JsonNode summary = result.summary();
        if (summary == null && result.execution().status() == Execution.Status.SUCCEEDED) {
            JsonNode output = result.execution().output();
            for (JsonNode wave : output.at("/plan/waves")) {
                lines.add(String.format("wave %d (%s): %d database(s): planned", wave.path("wave").asInt(), wave.path("label").asText(),
                        wave.path("count").asInt()));
            }
            lines.add(String.format("dry run: nothing changed; on the canary database the release is %s, %d approval(s), version %s now",
                    output.at("/preflight/changeClass").asText(), output.at("/preflight/approvalsRequired").asInt(),
                    output.at("/preflight/currentVersion").asText("none")));
            return lines;
        }
        if (summary == null) {
            lines.add("no wave started: " + result.execution().error() + ": " + result.execution().cause());
            return lines;
        }
        for (JsonNode wave : summary.path("waves")) {
            int index = wave.path("wave").asInt() - 1;
            String time = index < visits.size() ? String.format("%.1f s", visits.get(index).millis() / 1000.0) : "not started";
            lines.add(String.format("wave %d (%s): %d database(s): started %d, succeeded %d, failed %d, %s", wave.path("wave").asInt(),
                    wave.path("label").asText(), wave.path("count").asInt(), wave.path("started").asInt(), wave.path("succeeded").asInt(),
                    wave.path("failed").asInt(), time));
        }
        if (summary.path("status").asText().equals("stopped")) {
            int at = summary.path("stoppedAt").asInt();
            lines.add((at == 0 ? "fleet stopped before its first wave" : "fleet stopped at wave " + at) + ": "
                    + summary.at("/cause/Error").asText() + ": " + summary.at("/cause/Cause").asText());
        } else {
            lines.add("fleet released: every wave ran");
        }
        lines.add(String.format("released %d, failed %d, rolled back %d, not started %d of %d; every database's outcome: %s",
                summary.path("released").asInt(), summary.path("failed").asInt(), summary.path("rolledBack").asInt(),
                summary.path("notStarted").asInt(), summary.path("targets").asInt(), summary.path("summary").asText()));
        for (JsonNode failure : summary.path("failures")) {
            lines.add("  failed: " + failure.path("name").asText() + " (wave " + failure.path("wave").asInt() + "): "
                    + failure.path("error").asText());
        }
        return lines;
    }

    private static void report(Result result, PrintStream out) {
        out.printf("%nFleet %s%n", result.execution().name());
        waves(result).forEach(line -> out.println("  " + line));
    }

    private static String executionName(JsonNode input) {
        String deployment = input.path("deploymentId").asText("release").replaceAll("[^A-Za-z0-9_-]", "-");
        String stamp = "-fleet-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"));
        return deployment.substring(0, Math.min(deployment.length(), 80 - stamp.length())) + stamp;
    }
}
