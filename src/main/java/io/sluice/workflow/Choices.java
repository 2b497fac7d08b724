package io.sluice.workflow;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Choice rules as the ASL defines them: {@code And}, {@code Or}, {@code Not}, and a {@code Variable} compared with
 * one operator: String/Numeric/Boolean/Timestamp Equals, LessThan, GreaterThan, LessThanEquals, GreaterThanEquals
 * (each also with a {@code Path} form), {@code StringMatches}, and the type tests {@code IsNull}, {@code IsPresent},
 * {@code IsNumeric}, {@code IsString}, {@code IsBoolean}, {@code IsTimestamp}. A comparison whose operands are not
 * of its type is false, as in Step Functions; a Variable that is not present is a {@code States.Runtime} error
 * except under {@code IsPresent}.
 */
final class Choices {

    private static final Set<String> COMPARISONS = Set.of("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals");
    private static final Set<String> TYPES = Set.of("String", "Numeric", "Boolean", "Timestamp");
    private static final Set<String> TESTS = Set.of("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp");

    private Choices() {
    }

    /** Checks one rule (at the top level {@code top} is true: it must carry Next) at load time. */
    static void check(String state, JsonNode rule, boolean top) {
        if (!rule.isObject()) {
            throw DefinitionRefused.inState(state, "a Choice rule must be an object");
        }
        if (top != rule.has("Next")) {
            throw DefinitionRefused.inState(state, top ? "every Choice rule needs Next" : "only top-level Choice rules take Next");
        }
        if (rule.has("And") || rule.has("Or")) {
            JsonNode list = rule.has("And") ? rule.get("And") : rule.get("Or");
            if (!list.isArray() || list.isEmpty()) {
                throw DefinitionRefused.inState(state, "And/Or takes a non-empty list of rules");
            }
            list.forEach(inner -> check(state, inner, false));
            return;
        }
        if (rule.has("Not")) {
            check(state, rule.get("Not"), false);
            return;
        }
        if (!rule.path("Variable").isTextual()) {
            throw DefinitionRefused.inState(state, "a Choice rule needs a Variable (or And, Or, Not)");
        }
        compilePath(state, rule.get("Variable").asText());
        String operator = operator(rule);
        if (operator == null) {
            throw DefinitionRefused.inState(state, "Choice rule on " + rule.get("Variable").asText()
                    + " has no operator the local runner implements (" + names(rule) + ")");
        }
        if (operator.endsWith("Path")) {
            compilePath(state, rule.get(operator).asText());
        } else if (operator.equals("StringMatches") && !rule.get(operator).isTextual()) {
            throw DefinitionRefused.inState(state, "StringMatches takes a string");
        }
    }

    /** Whether {@code rule} holds for {@code input}; {@code context} resolves {@code $$} paths. */
    static boolean holds(JsonNode rule, JsonNode input, JsonNode context) {
        if (rule.has("And")) {
            for (JsonNode inner : rule.get("And")) {
                if (!holds(inner, input, context)) {
                    return false;
                }
            }
            return true;
        }
        if (rule.has("Or")) {
            for (JsonNode inner : rule.get("Or")) {
                if (holds(inner, input, context)) {
                    return true;
                }
            }
            return false;
        }
        if (rule.has("Not")) {
            return !holds(rule.get("Not"), input, context);
        }
        String variable = rule.get("Variable").asText();
        String operator = operator(rule);
        if (operator.equals("IsPresent")) {
            return rule.get(operator).asBoolean() == Paths.present(input, variable);
        }
        JsonNode value = read(input, context, variable);
        if (TESTS.contains(operator)) {
            boolean is = switch (operator) {
                case "IsNull" -> value.isNull();
                case "IsNumeric" -> value.isNumber();
                case "IsString" -> value.isTextual();
                case "IsBoolean" -> value.isBoolean();
                default -> timestamp(value) != null;
            };
            return rule.get(operator).asBoolean() == is;
        }
        if (operator.equals("StringMatches")) {
            return value.isTextual() && glob(rule.get(operator).asText()).matcher(value.asText()).matches();
        }
        JsonNode operand = operator.endsWith("Path") ? read(input, context, rule.get(operator).asText()) : rule.get(operator);
        String base = operator.endsWith("Path") ? operator.substring(0, operator.length() - 4) : operator;
        String type = TYPES.stream().filter(base::startsWith).findFirst().orElseThrow();
        String comparison = base.substring(type.length());
        Integer order = compare(type, value, operand);
        if (order == null) {
            return false;
        }
        return switch (comparison) {
            case "Equals" -> order == 0;
            case "LessThan" -> order < 0;
            case "GreaterThan" -> order > 0;
            case "LessThanEquals" -> order <= 0;
            default -> order >= 0;
        };
    }

    private static Integer compare(String type, JsonNode value, JsonNode operand) {
        switch (type) {
            case "String":
                return value.isTextual() && operand.isTextual() ? Integer.signum(value.asText().compareTo(operand.asText())) : null;
            case "Numeric":
                return value.isNumber() && operand.isNumber() ? value.decimalValue().compareTo(operand.decimalValue()) : null;
            case "Boolean":
                return value.isBoolean() && operand.isBoolean() ? Boolean.compare(value.asBoolean(), operand.asBoolean()) : null;
            default:
                OffsetDateTime left = timestamp(value);
                OffsetDateTime right = timestamp(operand);
                return left != null && right != null ? left.compareTo(right) : null;
        }
    }

    private static OffsetDateTime timestamp(JsonNode value) {
        if (!value.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static JsonNode read(JsonNode input, JsonNode context, String path) {
        return path.startsWith("$$") ? Paths.read(context, path.substring(1)) : Paths.read(input, path);
    }

    /** StringMatches: {@code *} matches any run of characters, {@code \*} a literal star. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** The rule's one operator field, or null when it has none the runner knows. */
    private static String operator(JsonNode rule) {
        String found = null;
        for (Iterator<String> names = rule.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals("Variable") || name.equals("Next") || name.equals("Comment")) {
                continue;
            }
            if (!isOperator(name) || found != null) {
                return null;
            }
            found = name;
        }
        return found;
    }

    private static boolean isOperator(String name) {
        if (TESTS.contains(name) || name.equals("StringMatches")) {
            return true;
        }
        String base = name.endsWith("Path") ? name.substring(0, name.length() - 4) : name;
        return TYPES.stream().anyMatch(type -> base.startsWith(type) && COMPARISONS.contains(base.substring(type.length())));
    }

    private static void compilePath(String state, String path) {
        try {
            Paths.compile(path.startsWith("$$") ? path.substring(1) : path);
        } catch (IllegalArgumentException e) {
            throw DefinitionRefused.inState(state, e.getMessage());
        }
    }

    private static String names(JsonNode rule) {
        StringBuilder out = new StringBuilder();
        rule.fieldNames().forEachRemaining(name -> out.append(out.length() == 0 ? "" : ", ").append(name));
        return out.toString();
    }
}
