package io.sluice.workflow;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Task resources of the pipeline, bound on one machine: {@code lambda:invoke} calls the in-process handler the
 * function ARN names and raises its typed error as the Lambda integration does ({@code Error} the error type,
 * {@code Cause} the error payload); {@code sns:publish} prints and keeps the message; {@code sns:publish.waitForTaskToken}
 * also asks {@link Approvals}; {@code aws-sdk:ssm:putParameter} keeps the parameter in memory and prints it.
 */
public final class LocalResources implements TaskResources {

    public static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    public static final String SNS_PUBLISH = "arn:aws:states:::sns:publish";
    public static final String SNS_PUBLISH_WAIT = "arn:aws:states:::sns:publish.waitForTaskToken";
    public static final String SSM_PUT_PARAMETER = "arn:aws:states:::aws-sdk:ssm:putParameter";

    private static final Set<String> SERVED = Set.of(LAMBDA_INVOKE, SNS_PUBLISH, SNS_PUBLISH_WAIT, SSM_PUT_PARAMETER);
    /** The longest a Lambda function may run. */
    public static final int LAMBDA_MAX_SECONDS = 900;

    private final Map<String, RequestStreamHandler> functions;
    private final int functionTimeoutSeconds;
    private final Approvals approvals;
    private final PrintStream out;
    private final List<JsonNode> published = new ArrayList<>();
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, Integer> parameterVersions = new LinkedHashMap<>();

    /**
     * @param functions the handlers by function ARN (what the rendered definition's {@code FunctionName} holds)
     * @param approvals who answers approval requests
     * @param out       where each call is reported
     */
    public LocalResources(Map<String, RequestStreamHandler> functions, Approvals approvals, PrintStream out) {
        this(functions, LAMBDA_MAX_SECONDS, approvals, out);
    }

    /**
     * @param functionTimeoutSeconds the functions' configured timeout (Terraform's {@code timeout}): a handler's
     *                               remaining time starts from this or the state's TimeoutSeconds, whichever is lower
     */
    public LocalResources(Map<String, RequestStreamHandler> functions, int functionTimeoutSeconds, Approvals approvals, PrintStream out) {
        if (functionTimeoutSeconds < 1 || functionTimeoutSeconds > LAMBDA_MAX_SECONDS) {
            throw new IllegalArgumentException("a function timeout is 1-" + LAMBDA_MAX_SECONDS + " seconds");
        }
        this.functionTimeoutSeconds = functionTimeoutSeconds;
        this.functions = Map.copyOf(functions);
        this.approvals = approvals;
        this.out = out;
    }

    @Override
    public boolean serves(String resource) {
        return SERVED.contains(resource);
    }

    /** Every message published, in order. */
    public synchronized List<JsonNode> published() {
        return List.copyOf(published);
    }

    /** The SSM parameters as the last putParameter left them. */
    public synchronized Map<String, String> parameters() {
        return Map.copyOf(parameters);
    }

    @Override
    public JsonNode run(TaskCall call) {
        return switch (call.resource()) {
            case LAMBDA_INVOKE -> invoke(call);
            case SNS_PUBLISH -> publish(call);
            case SNS_PUBLISH_WAIT -> {
                publish(call);
                JsonNode message = message(call.parameters());
                yield approvals.answer(message, call.timeoutSeconds());
            }
            case SSM_PUT_PARAMETER -> putParameter(call.parameters());
            default -> throw new IllegalStateException(call.resource() + " passed the load-time check but is not bound");
        };
    }

    private JsonNode invoke(TaskCall call) {
        String name = call.parameters().path("FunctionName").asText();
        RequestStreamHandler handler = functions.get(name);
        if (handler == null) {
            throw new StatesError("Lambda.ResourceNotFoundException", "Function not found: " + name);
        }
        byte[] payload;
        try {
            payload = Paths.JSON.writeValueAsBytes(call.parameters().path("Payload"));
        } catch (IOException e) {
            throw new StatesError(StatesError.RUNTIME, "the payload could not be written: " + e.getMessage());
        }
        long deadline = System.currentTimeMillis() + Math.min(call.timeoutSeconds(), functionTimeoutSeconds) * 1000;
        byte[] result;
        try {
            result = HandlerInvocation.invoke(handler, name, payload, deadline);
        } catch (HandlerInvocation.FunctionError e) {
            throw new StatesError(e.errorType(), e.payload());
        }
        ObjectNode response = Paths.JSON.createObjectNode();
        response.put("ExecutedVersion", "$LATEST");
        JsonNode returned;
        try {
            returned = Paths.JSON.readTree(result);
        } catch (IOException e) {
            throw new StatesError("Lambda.Unknown", "the function returned a payload that is not JSON");
        }
        response.set("Payload", returned);
        out.printf("      [lambda] %s: %s%n", name.substring(name.lastIndexOf(':') + 1), call.state().startsWith("Baseline")
                ? baseline(returned) : summary(returned));
        details(returned).forEach(line -> out.printf("        %s%n", line));
        response.put("StatusCode", 200);
        return response;
    }

    /** One line on a function's result: its status, verdict, validity or whether it passed, and where a backfill stands. */
    private static String summary(JsonNode payload) {
        StringBuilder line = new StringBuilder();
        for (String field : new String[] {"status", "verdict", "valid", "passed"}) {
            if (payload.has(field)) {
                line.append(field).append(' ').append(payload.get(field).asText());
                break;
            }
        }
        if (payload.has("passed") && payload.has("findings")) {
            line.append(", ").append(payload.get("findings").size()).append(" finding(s), ").append(payload.path("planned").asInt())
                    .append(" quer(ies) planned on both");
        }
        if (payload.has("applied") && payload.get("applied").size() > 0) {
            line.append(", applied ").append(payload.get("applied").size()).append(" script(s)");
        }
        for (JsonNode backfill : payload.path("backfills")) {
            line.append(String.format(", %s %.1f %% (%,d rows in %d batches, invocation %d)", backfill.path("script").asText(),
                    backfill.path("percentDone").asDouble(), backfill.path("rowsDone").asLong(), backfill.path("batches").asInt(),
                    backfill.path("invocations").asInt()));
        }
        return line.length() == 0 ? "returned" : line.toString();
    }

    /**
     * A baseline window's check as what it is: the window's counters read, its verdict unused (the release has not run,
     * so probes on what it brings cannot run yet, and a database no migrate has run against has no Sluice history).
     */
    private static String baseline(JsonNode payload) {
        StringBuilder line = new StringBuilder("baseline");
        List<String> probes = new ArrayList<>();
        String state = null;
        for (JsonNode signal : payload.path("signals")) {
            if (!"FAILED".equals(signal.path("status").asText())) {
                continue;
            }
            if ("probe-p95".equals(signal.path("check").asText())) {
                probes.add(signal.path("message").asText());
            } else if ("sluice-state".equals(signal.path("check").asText())) {
                state = signal.path("message").asText();
            }
        }
        if (!probes.isEmpty()) {
            line.append(": ").append(probes.size()).append(" probe(s) cannot run yet, before the release (").append(String.join("; ", probes))
                    .append(')');
        }
        if (state != null) {
            line.append(probes.isEmpty() ? ": " : "; ").append(state).append(" yet");
        }
        if (probes.isEmpty() && state == null) {
            line.append(" read");
        }
        return line.append(" (a baseline's verdict decides nothing: its counters are what later windows compare with)").toString();
    }

    /**
     * What a person must see of a result beyond its summary line, whole: a preflight's warnings and errors (a pending
     * script without an undo script under {@code undoPolicy: warn}, each lint finding at warning or error).
     */
    private static List<String> details(JsonNode payload) {
        List<String> lines = new ArrayList<>();
        for (JsonNode finding : payload.path("findings")) {
            if (finding.has("code") && finding.has("severity")) {
                lines.add(finding.path("severity").asText().toLowerCase(java.util.Locale.ROOT) + " " + finding.path("code").asText()
                        + (finding.hasNonNull("script") ? " " + finding.path("script").asText() : "") + ": " + finding.path("message").asText());
            }
        }
        for (JsonNode finding : payload.path("lint").path("findings")) {
            String severity = finding.path("severity").asText();
            if (severity.equals("ERROR") || severity.equals("WARNING")) {
                lines.add("lint " + severity.toLowerCase(java.util.Locale.ROOT) + " [" + finding.path("rule").asText() + "] "
                        + finding.path("script").asText() + ":" + finding.path("line").asInt() + ": " + finding.path("message").asText());
            }
        }
        if (payload.path("lint").path("truncated").asBoolean(false) || payload.hasNonNull("fullReport")) {
            lines.add("the whole report: " + payload.path("fullReport").asText("(none kept)"));
        }
        return lines;
    }

    private synchronized JsonNode publish(TaskCall call) {
        JsonNode message = message(call.parameters());
        published.add(message);
        out.printf("      [sns] %s: %s%n", call.parameters().path("TopicArn").asText(), Paths.abbreviate(message));
        return Paths.JSON.createObjectNode().put("MessageId", UUID.randomUUID().toString());
    }

    private synchronized JsonNode putParameter(JsonNode request) {
        String name = request.path("Name").asText(null);
        String value = request.path("Value").asText(null);
        if (name == null || value == null) {
            throw new StatesError("Ssm.ValidationException", "putParameter needs Name and Value");
        }
        if (parameters.containsKey(name) && !request.path("Overwrite").asBoolean(false)) {
            throw new StatesError("Ssm.ParameterAlreadyExistsException", "The parameter already exists. To overwrite this value, set "
                    + "the overwrite option in the request to true.");
        }
        parameters.put(name, value);
        int version = parameterVersions.merge(name, 1, Integer::sum);
        out.printf("      [ssm] %s = %s (version %d)%n", name, value, version);
        return Paths.JSON.createObjectNode().put("Tier", "Standard").put("Version", version);
    }

    /** SNS's Message: a JSON object in the definition, or a string holding one. */
    private static JsonNode message(JsonNode parameters) {
        JsonNode message = parameters.path("Message");
        if (message.isTextual()) {
            try {
                return Paths.JSON.readTree(message.asText());
            } catch (IOException e) {
                return message;
            }
        }
        return message;
    }
}
