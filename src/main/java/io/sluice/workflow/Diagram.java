package io.sluice.workflow;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Mermaid state diagram of a definition: every state, every transition (Next, Choice rules with their condition,
 * Default, Catch with the errors it takes), start and ends. The README shows the pipeline's; a test regenerates it
 * from the file and fails when they differ.
 */
public final class Diagram {

    private Diagram() {
    }

    public static String mermaid(Definition definition) {
        StringBuilder out = new StringBuilder("stateDiagram-v2\n");
        out.append("    [*] --> ").append(definition.startAt()).append('\n');
        for (Definition.State state : definition.states().values()) {
            String from = state.name();
            switch (state.type()) {
                case "Choice" -> {
                    for (JsonNode rule : state.field("Choices")) {
                        edge(out, from, rule.get("Next").asText(), condition(rule));
                    }
                    if (state.text("Default") != null) {
                        edge(out, from, state.text("Default"), "otherwise");
                    }
                }
                case "Succeed" -> edge(out, from, "[*]", null);
                case "Fail" -> edge(out, from, "[*]", "fails with " + state.text("Error"));
                default -> {
                    if (state.text("Next") != null) {
                        edge(out, from, state.text("Next"), null);
                    } else {
                        edge(out, from, "[*]", null);
                    }
                }
            }
            JsonNode catchers = state.field("Catch");
            if (catchers != null) {
                for (JsonNode catcher : catchers) {
                    if (catcher.get("Next").asText().equals(state.text("Next"))) {
                        continue; // goes on either way
                    }
                    StringBuilder errors = new StringBuilder();
                    catcher.get("ErrorEquals").forEach(error -> errors.append(errors.length() == 0 ? "" : ", ").append(errorName(error.asText())));
                    edge(out, from, catcher.get("Next").asText(), "on " + errors);
                }
            }
        }
        return out.toString();
    }

    private static void edge(StringBuilder out, String from, String to, String label) {
        out.append("    ").append(from).append(" --> ").append(to);
        if (label != null) {
            out.append(" : ").append(label.replace(':', ' ').replace(';', ','));
        }
        out.append('\n');
    }

    /** A Choice rule in a few words: the variable's last name, the operator, the operand. */
    private static String condition(JsonNode rule) {
        if (rule.has("And") || rule.has("Or")) {
            String joiner = rule.has("And") ? " and " : " or ";
            StringBuilder out = new StringBuilder();
            for (JsonNode inner : rule.has("And") ? rule.get("And") : rule.get("Or")) {
                out.append(out.length() == 0 ? "" : joiner).append(condition(inner));
            }
            return out.toString();
        }
        if (rule.has("Not")) {
            return "not " + condition(rule.get("Not"));
        }
        String variable = lastName(rule.get("Variable").asText());
        for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String operator = field.getKey();
            if (operator.equals("Variable") || operator.equals("Next")) {
                continue;
            }
            JsonNode operand = field.getValue();
            if (operator.startsWith("Is")) {
                return variable + (operand.asBoolean() ? " is " : " is not ") + operator.substring(2).toLowerCase(java.util.Locale.ROOT);
            }
            String value = operator.endsWith("Path") ? lastName(operand.asText()) : operand.isTextual() ? operand.asText() : operand.toString();
            String symbol = operator.contains("GreaterThanEquals") ? ">=" : operator.contains("LessThanEquals") ? "<="
                    : operator.contains("GreaterThan") ? ">" : operator.contains("LessThan") ? "<" : "=";
            return variable + " " + symbol + " " + value;
        }
        return variable;
    }

    private static String lastName(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static String errorName(String error) {
        return error.substring(error.lastIndexOf('.') + 1).equals("ALL") ? "any error" : error.substring(error.lastIndexOf('.') + 1);
    }
}
