package io.sluice.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.logging.Level;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.function.FolderReports;
import io.sluice.workflow.Approvals;
import io.sluice.workflow.ConsoleListener;
import io.sluice.workflow.Definition;
import io.sluice.workflow.DefinitionRefused;
import io.sluice.workflow.Execution;
import io.sluice.workflow.LocalApprovals;
import io.sluice.workflow.LocalResources;
import io.sluice.workflow.Redaction;
import io.sluice.workflow.TaskResources;
import io.sluice.workflow.Template;
import io.sluice.workflow.WorkflowRunner;

/**
 * {@code sluice pipeline run}: runs the release pipeline's Step Functions definition on this machine, against the
 * database the input names, with the functions in this process. This is how a team without Step Functions runs the
 * same pipeline from a CI job. Exit code 0 when the execution succeeds, 1 when it fails, 5 when it was rolled back,
 * 2 for a usage error or a definition the runner refuses.
 *
 * <pre>
 * pipeline run --input FILE [--definition FILE] [--approve N | --reject] [--wait-scale X] [--function-timeout S] [--name NAME]
 *          [--trace FILE] [--reports DIR] [--auto-approve-up-to N] [--verbose]
 * </pre>
 * A function result too large for a state machine is cut, as deployed; the whole one is written under {@code --reports}
 * (default {@value #DEFAULT_REPORTS}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the release pipeline's state machine on this machine,"
        + " against the database the input names, with the functions in this process.")
public final class PipelineCommandLine implements Callable<Integer> {

    public static final int SUCCEEDED = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    public static final Path DEFAULT_DEFINITION = Path.of("terraform", "statemachine", "pipeline.asl.json");
    static final String DEFAULT_REPORTS = "target/pipeline-reports";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sluice.Console console;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "the execution's input, e.g. events/pipeline/release.json")
    Path input;

    @Option(names = "--definition", paramLabel = "FILE", description = "the state machine; default " + "terraform/statemachine/pipeline.asl.json")
    Path definition = DEFAULT_DEFINITION;

    @Option(names = "--approve", paramLabel = "N", description = "answer the approval with N approvals")
    Integer approvals;

    @Option(names = "--reject", description = "reject the release at its approval")
    boolean reject;

    @Option(names = "--wait-scale", paramLabel = "X", description = "what Wait states and retry intervals are multiplied by (>= 0)")
    String waitScale = "1.0";

    @Option(names = "--function-timeout", paramLabel = "SECONDS", description = "the functions' timeout, 1-900")
    String functionTimeout = Integer.toString(LocalResources.LAMBDA_MAX_SECONDS);

    @Option(names = "--name", description = "the execution's name")
    String name;

    @Option(names = "--trace", paramLabel = "FILE", description = "write the execution's trace (secrets redacted)")
    Path trace;

    @Option(names = "--reports", paramLabel = "DIR", description = "where whole results too large for a state go; default " + DEFAULT_REPORTS)
    Path reports = Path.of(DEFAULT_REPORTS);

    @Option(names = "--auto-approve-up-to", paramLabel = "N", description = "the deployment's approval limit; default 3")
    String autoApproveUpTo = Integer.toString(LocalFunctions.LOCAL_APPROVAL_LIMIT);

    @Option(names = "--verbose", description = "print the functions' log lines")
    boolean verbose;

    PipelineCommandLine(Sluice.Console console) {
        this.console = console;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code pipeline run} with {@code args} (with or without the leading {@code pipeline}); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Sluice.run(Sluice.under(new String[] {"pipeline", "run"}, args),
                new Sluice.Console(System.getenv(), out, err, Path.of("").toAbsolutePath(), false));
    }

    @Override
    public Integer call() {
        PrintStream out = console.out();
        PrintStream err = console.err();
        if (reject && approvals != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--approve and --reject exclude each other");
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
        try {
            JsonNode in = JSON.readTree(Files.readString(console.workingDirectory().resolve(input)));
            Approvals answers = reject ? LocalApprovals.rejecting(out)
                    : approvals != null ? LocalApprovals.approving(approvals, out)
                    : console.terminal() ? LocalApprovals.prompting(new BufferedReader(new InputStreamReader(System.in,
                            StandardCharsets.UTF_8)), out)
                    : LocalApprovals.approving(0, out);
            String execution = name != null ? name : executionName(in);
            LocalResources resources = new LocalResources(LocalFunctions.byArn(LocalFunctions.localRun(),
                    new FolderReports(console.workingDirectory().resolve(reports))), timeout, answers, out);
            Result result = execute(Files.readString(console.workingDirectory().resolve(definition)), limit, in, execution, resources, scale, out);
            if (trace != null) {
                Files.writeString(console.workingDirectory().resolve(trace), JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(new Redaction(in).redacted(result.trace())));
            }
            Execution finished = result.execution();
            if (finished.status() == Execution.Status.SUCCEEDED) {
                return SUCCEEDED;
            }
            return "RolledBack".equals(finished.error()) ? Exit.ROLLED_BACK : FAILED;
        } catch (DefinitionRefused e) {
            err.println("definition refused: " + e.getMessage());
            return USAGE;
        } catch (IllegalArgumentException e) {
            err.println("cannot start the execution: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("cannot read: " + e.getMessage());
            return USAGE;
        }
    }

    /**
     * One execution, with its trace: the rendered definition, the input, and every state's visit with what its
     * resources returned or raised; what another Step Functions engine needs to run the same execution.
     */
    public record Result(Execution execution, ObjectNode trace) {
    }

    /** Renders {@code template}, loads it against {@code resources} and runs one execution, printing as it goes. */
    public static Result execute(String template, JsonNode input, String name, TaskResources resources, double waitScale,
            PrintStream out) {
        return execute(template, LocalFunctions.LOCAL_APPROVAL_LIMIT, input, name, resources, waitScale, out);
    }

    /** The same with an approval limit, as a deployment's {@code auto_approve_up_to} renders it. */
    public static Result execute(String template, int approvalLimit, JsonNode input, String name, TaskResources resources,
            double waitScale, PrintStream out) {
        String rendered = Template.render(template, LocalFunctions.templateValues(approvalLimit));
        Definition definition = Definition.load(rendered, resources::serves);
        ConsoleListener listener = new ConsoleListener(out);
        out.printf("Sluice pipeline: %d states, execution %s, waits scaled by %s%n", definition.states().size(), name, waitScale);
        Execution execution = new WorkflowRunner(definition, resources, waitScale, listener, LocalFunctions.STATE_MACHINE_ARN)
                .run(name, input);
        listener.summary(execution);
        ObjectNode trace = JSON.createObjectNode();
        trace.put("name", name);
        try {
            trace.set("definition", JSON.readTree(rendered));
        } catch (IOException e) {
            throw new IllegalStateException("a definition that loaded is JSON", e);
        }
        trace.set("input", input);
        trace.set("execution", JSON.valueToTree(execution));
        return new Result(execution, trace);
    }

    private static String executionName(JsonNode input) {
        String deployment = input.path("deploymentId").asText("release").replaceAll("[^A-Za-z0-9_.-]", "-");
        return deployment + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"));
    }
}
