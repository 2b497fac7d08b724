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
import java.util.List;
import java.util.logging.Level;

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
 * {@code sluice pipeline}: runs the release pipeline's Step Functions definition on this machine, against the
 * database the input names, with the functions in this process. This is how a team without Step Functions runs the
 * same pipeline from a CI job. Exit code 0 when the execution succeeds, 1 when it fails, 2 for a usage error or a
 * definition the runner refuses.
 *
 * <pre>
 * pipeline --input FILE [--definition FILE] [--approve N | --reject] [--wait-scale X] [--function-timeout S] [--name NAME]
 *          [--trace FILE] [--reports DIR] [--auto-approve-up-to N] [--verbose]
 * </pre>
 * A function result too large for a state machine is cut, as deployed; the whole one is written under {@code --reports}
 * (default {@value #DEFAULT_REPORTS}).
 */
public final class PipelineCommandLine {

    public static final int SUCCEEDED = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    public static final Path DEFAULT_DEFINITION = Path.of("terraform", "statemachine", "pipeline.asl.json");
    static final String DEFAULT_REPORTS = "target/pipeline-reports";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USAGE_TEXT = "usage: pipeline --input FILE [--definition FILE] [--approve N | --reject]"
            + " [--wait-scale X] [--function-timeout S] [--name NAME] [--trace FILE] [--reports DIR] [--auto-approve-up-to N] [--verbose]";

    private PipelineCommandLine() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        java.util.logging.Logger.getLogger("").setLevel(options.verbose() ? Level.INFO : Level.OFF);
        try {
            JsonNode input = JSON.readTree(Files.readString(options.input()));
            Approvals approvals = options.reject() ? LocalApprovals.rejecting(out)
                    : options.approvals() != null ? LocalApprovals.approving(options.approvals(), out)
                    : System.console() != null ? LocalApprovals.prompting(new BufferedReader(new InputStreamReader(System.in,
                            StandardCharsets.UTF_8)), out)
                    : LocalApprovals.approving(0, out);
            String name = options.name() != null ? options.name() : executionName(input);
            LocalResources resources = new LocalResources(LocalFunctions.byArn(LocalFunctions.localRun(), new FolderReports(options.reports())),
                    options.functionTimeout(), approvals, out);
            Result result = execute(Files.readString(options.definition()), options.autoApproveUpTo(), input, name, resources,
                    options.waitScale(), out);
            if (options.trace() != null) {
                Files.writeString(options.trace(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(new Redaction(input)
                        .redacted(result.trace())));
            }
            return result.execution().status() == Execution.Status.SUCCEEDED ? SUCCEEDED : FAILED;
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

    private record Options(Path input, Path definition, Integer approvals, boolean reject, double waitScale, int functionTimeout, String name,
            Path trace, Path reports, int autoApproveUpTo, boolean verbose) {

        static Options parse(List<String> args) {
            Path input = null;
            Path definition = DEFAULT_DEFINITION;
            Integer approvals = null;
            boolean reject = false;
            double waitScale = 1.0;
            int functionTimeout = LocalResources.LAMBDA_MAX_SECONDS;
            String name = null;
            Path trace = null;
            Path reports = Path.of(DEFAULT_REPORTS);
            int autoApproveUpTo = LocalFunctions.LOCAL_APPROVAL_LIMIT;
            boolean verbose = false;
            int start = !args.isEmpty() && args.get(0).equals("pipeline") ? 1 : 0;
            for (int i = start; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--input" -> input = Path.of(OptionValues.value(args, ++i, arg));
                    case "--definition" -> definition = Path.of(OptionValues.value(args, ++i, arg));
                    case "--approve" -> approvals = OptionValues.count(OptionValues.value(args, ++i, arg), arg);
                    case "--reject" -> reject = true;
                    case "--wait-scale" -> waitScale = OptionValues.waitScale(OptionValues.value(args, ++i, arg));
                    case "--function-timeout" -> functionTimeout = OptionValues.functionTimeout(OptionValues.value(args, ++i, arg));
                    case "--name" -> name = OptionValues.value(args, ++i, arg);
                    case "--trace" -> trace = Path.of(OptionValues.value(args, ++i, arg));
                    case "--reports" -> reports = Path.of(OptionValues.value(args, ++i, arg));
                    case "--auto-approve-up-to" -> autoApproveUpTo = OptionValues.count(OptionValues.value(args, ++i, arg), arg);
                    case "--verbose" -> verbose = true;
                    default -> throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                }
            }
            if (input == null) {
                throw new IllegalArgumentException("--input is required: the execution's input, e.g. events/pipeline/release.json");
            }
            if (reject && approvals != null) {
                throw new IllegalArgumentException("--approve and --reject exclude each other");
            }
            return new Options(input, definition, approvals, reject, waitScale, functionTimeout, name, trace, reports, autoApproveUpTo,
                    verbose);
        }
    }
}
