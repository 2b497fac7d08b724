package io.sluice.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * {@code terraform/} as HashiCorp's HCL parser reads it ({@code @cdktf/hcl2json}, through {@link NodeTools}), and what
 * it deploys: the environment a function gets and the event the drift schedule sends, evaluated as Terraform evaluates
 * them with every variable at its default. References to what only exists after {@code terraform apply} (an
 * instance's address, a topic's ARN) are given by the caller as the stand-ins a test created; a reference neither
 * given nor declared in the module fails the test, naming it, so that a new setting cannot reach a deployment
 * untested.
 */
public final class TerraformModule {

    public static final Path FOLDER = Path.of("terraform");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code ${expression}}, not {@code $${...}}, which is Terraform's escape for a literal {@code ${}. */
    private static final Pattern INTERPOLATION = Pattern.compile("(?<!\\$)\\$\\{([^}]+)}");
    private static final Pattern BY_HANDLER = Pattern.compile("each\\.key == \"([a-z-]+)\" \\? \"([^\"]*)\" : \"([^\"]*)\"");
    private static final Pattern RESOURCE_ATTRIBUTE = Pattern.compile("(aws_[a-z0-9_]+)\\.([a-z0-9_]+)\\.([a-z0-9_]+)");

    private static JsonNode files;

    private TerraformModule() {
    }

    /** Every {@code .tf} file (and {@code terraform.tfvars.example}) by name, parsed; skips the caller without Node. */
    public static synchronized JsonNode files() {
        if (files == null) {
            try {
                files = JSON.readTree(NodeTools.node(Path.of("src", "test", "node", "hcl2json.cjs"), NodeTools.modules().toString(),
                        FOLDER.toString()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("hcl2json's output is not JSON", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return files;
    }

    /** {@code kind type.name}'s block (e.g. {@code resource aws_lambda_function.this}), wherever it is declared. */
    public static JsonNode block(String kind, String type, String name) {
        for (JsonNode file : files()) {
            JsonNode found = file.path(kind).path(type).path(name);
            if (found.isArray()) {
                return found.get(0);
            }
        }
        throw new AssertionError(kind + " " + type + "." + name + " is not declared in " + FOLDER);
    }

    /** The local {@code name} (a locals block's attribute), unevaluated. */
    public static JsonNode local(String name) {
        for (JsonNode file : files()) {
            for (JsonNode locals : file.path("locals")) {
                if (locals.has(name)) {
                    return locals.get(name);
                }
            }
        }
        throw new AssertionError("local." + name + " is not declared in " + FOLDER);
    }

    /** The default of variable {@code name}. */
    public static JsonNode variableDefault(String name) {
        JsonNode variable = null;
        for (JsonNode file : files()) {
            JsonNode declared = file.path("variable").path(name);
            if (declared.isArray()) {
                variable = declared.get(0);
            }
        }
        if (variable == null || !variable.has("default")) {
            throw new AssertionError("variable " + name + " has no default: a deployment must set it, the test must too");
        }
        return variable.get("default");
    }

    /**
     * The environment Terraform gives the function of {@code handler} (functions.tf), evaluated.
     *
     * @param standIns what stands in for each attribute known only after apply, by reference
     *                 ({@code aws_db_instance.this.address})
     */
    public static Map<String, String> functionEnvironment(String handler, Map<String, String> standIns) {
        JsonNode variables = block("resource", "aws_lambda_function", "this").at("/environment/0/variables");
        if (!variables.isObject()) {
            throw new AssertionError("aws_lambda_function.this's environment is not a literal map: " + variables);
        }
        Map<String, String> environment = new LinkedHashMap<>();
        variables.fields().forEachRemaining(variable -> environment.put(variable.getKey(),
                evaluate(variable.getValue(), reference -> reference.equals("each.key") ? handler : standIns.get(reference)).asText()));
        return environment;
    }

    /** The drift schedule's event as the scheduler sends it: {@code jsonencode(local.drift_check_event)}, evaluated. */
    public static String driftScheduleEvent(Map<String, String> standIns) {
        return scheduleEvent("drift", "drift_check_event", standIns);
    }

    /** The health schedule's event as the scheduler sends it: {@code jsonencode(local.health_check_event)}, evaluated. */
    public static String healthScheduleEvent(Map<String, String> standIns) {
        return scheduleEvent("health", "health_check_event", standIns);
    }

    /** {@code check}'s event: the schedules send {@code jsonencode(each.value.event)} of {@code local.scheduled_checks}. */
    private static String scheduleEvent(String check, String event, Map<String, String> standIns) {
        JsonNode schedule = block("resource", "aws_scheduler_schedule", "check");
        if (!schedule.path("for_each").asText().equals("${local.enabled_checks}")
                || !schedule.at("/target/0/input").asText().equals("${jsonencode(each.value.event)}")) {
            throw new AssertionError("the schedules no longer send jsonencode(each.value.event) of local.enabled_checks: " + schedule);
        }
        String named = local("scheduled_checks").path(check).path("event").asText();
        if (!named.equals("${local." + event + "}")) {
            throw new AssertionError("the " + check + " schedule sends " + named + ", not local." + event);
        }
        return evaluatedLocal(event, standIns).toString();
    }

    /** The local {@code name}, evaluated (a string or an object of strings). */
    public static JsonNode evaluatedLocal(String name, Map<String, String> standIns) {
        return evaluate(local(name), standIns::get);
    }

    /** {@code value} with every string evaluated: literals, {@code $${} escapes, interpolations of known references. */
    private static JsonNode evaluate(JsonNode value, Function<String, String> given) {
        if (value.isObject()) {
            ObjectNode evaluated = JSON.createObjectNode();
            value.fields().forEachRemaining(field -> evaluated.set(field.getKey(), evaluate(field.getValue(), given)));
            return evaluated;
        }
        if (!value.isTextual()) {
            return value;
        }
        Matcher interpolation = INTERPOLATION.matcher(value.asText());
        StringBuilder text = new StringBuilder();
        while (interpolation.find()) {
            interpolation.appendReplacement(text, Matcher.quoteReplacement(resolve(interpolation.group(1).trim(), given)));
        }
        interpolation.appendTail(text);
        return new TextNode(text.toString().replace("$${", "${"));
    }

    private static String resolve(String reference, Function<String, String> given) {
        String standIn = given.apply(reference);
        if (standIn != null) {
            return standIn;
        }
        // each.key == "handler" ? "a" : "b", the one conditional the environment has (which function names what).
        Matcher byHandler = BY_HANDLER.matcher(reference);
        if (byHandler.matches() && given.apply("each.key") != null) {
            return given.apply("each.key").equals(byHandler.group(1)) ? byHandler.group(2) : byHandler.group(3);
        }
        if (reference.startsWith("var.")) {
            JsonNode value = variableDefault(reference.substring(4));
            if (value.isContainerNode()) {
                throw new AssertionError(reference + " is not a single value");
            }
            return value.asText();
        }
        Matcher attribute = RESOURCE_ATTRIBUTE.matcher(reference);
        if (attribute.matches()) {
            JsonNode declared = block("resource", attribute.group(1), attribute.group(2)).get(attribute.group(3));
            if (declared != null && !declared.isContainerNode()) {
                return evaluate(declared, given).asText();
            }
        }
        throw new AssertionError("the deployed configuration refers to " + reference + ", which no test stands in for and the module"
                + " does not declare: give the test a stand-in for it");
    }
}
