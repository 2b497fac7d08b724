package io.sluice.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The intrinsic functions of the ASL the runner implements: {@code States.Format}, {@code States.JsonToString},
 * {@code States.StringToJson}, {@code States.Array}, {@code States.ArrayPartition}, {@code States.ArrayGetItem},
 * {@code States.ArrayLength}, {@code States.ArrayRange}, {@code States.JsonMerge} (shallow, as Step Functions merges)
 * and {@code States.MathAdd} (integers). An
 * argument is a string literal in single quotes (a backslash escapes the next character), a number, {@code true},
 * {@code false}, {@code null}, a path into the input ({@code $...}) or the context object ({@code $$...}), or another
 * intrinsic. Any other function is refused when the definition is loaded.
 */
final class Intrinsics {

    static final Set<String> SUPPORTED = Set.of("States.Format", "States.JsonToString", "States.StringToJson", "States.Array",
            "States.ArrayPartition", "States.ArrayGetItem", "States.ArrayLength", "States.ArrayRange", "States.JsonMerge",
            "States.MathAdd");
    /** States.ArrayRange gives at most this many items, as in Step Functions. */
    static final int MAX_RANGE = 1_000;

    /** A parsed call: the function and its arguments, still unevaluated. */
    record Call(String function, List<Argument> arguments) {
    }

    /** One argument: a literal value, a path ({@code $...} or {@code $$...}), or a nested call. */
    record Argument(JsonNode literal, String path, Call call) {
    }

    private Intrinsics() {
    }

    static boolean isCall(String text) {
        return text.startsWith("States.");
    }

    /** Parses {@code text} and checks every function it calls is supported and every path compiles. */
    static Call parse(String text) {
        Parser parser = new Parser(text);
        Call call = parser.call();
        parser.skipSpaces();
        if (parser.at < text.length()) {
            throw new IllegalArgumentException("unexpected '" + text.substring(parser.at) + "' after the intrinsic function");
        }
        return call;
    }

    /** Evaluates {@code call}; {@code resolve} reads a path ({@code $...} from the input, {@code $$...} from the context). */
    static JsonNode evaluate(Call call, Function<String, JsonNode> resolve) {
        List<JsonNode> values = new ArrayList<>();
        for (Argument argument : call.arguments()) {
            if (argument.literal() != null) {
                values.add(argument.literal());
            } else if (argument.path() != null) {
                values.add(resolve.apply(argument.path()));
            } else {
                values.add(evaluate(argument.call(), resolve));
            }
        }
        return switch (call.function()) {
            case "States.Format" -> format(values);
            case "States.JsonToString" -> new TextNode(one(call, values).toString());
            case "States.StringToJson" -> stringToJson(one(call, values));
            case "States.Array" -> array(values);
            case "States.ArrayPartition" -> arrayPartition(values);
            case "States.ArrayGetItem" -> arrayGetItem(values);
            case "States.ArrayLength" -> {
                if (values.size() != 1 || !values.get(0).isArray()) {
                    throw new StatesError(StatesError.RUNTIME, "States.ArrayLength takes one array, not " + Paths.abbreviate(array(values)));
                }
                yield Paths.JSON.getNodeFactory().numberNode(values.get(0).size());
            }
            case "States.ArrayRange" -> arrayRange(values);
            case "States.JsonMerge" -> jsonMerge(values);
            case "States.MathAdd" -> mathAdd(values);
            default -> throw new IllegalStateException("unsupported intrinsic " + call.function() + " passed the load-time check");
        };
    }

    /** The array cut into chunks of the given size, the last one shorter when it does not divide evenly. */
    private static JsonNode arrayPartition(List<JsonNode> values) {
        if (values.size() != 2 || !values.get(0).isArray() || !values.get(1).isIntegralNumber() || !values.get(1).canConvertToInt()
                || values.get(1).intValue() < 1) {
            throw new StatesError(StatesError.RUNTIME, "States.ArrayPartition takes an array and a chunk size >= 1, not "
                    + Paths.abbreviate(array(values)));
        }
        int size = values.get(1).intValue();
        ArrayNode chunks = Paths.JSON.createArrayNode();
        ArrayNode chunk = null;
        for (JsonNode item : values.get(0)) {
            if (chunk == null || chunk.size() == size) {
                chunk = chunks.addArray();
            }
            chunk.add(item);
        }
        return chunks;
    }

    /** The item at a 0-based index; an index outside the array is a runtime error, as in Step Functions. */
    private static JsonNode arrayGetItem(List<JsonNode> values) {
        if (values.size() != 2 || !values.get(0).isArray() || !values.get(1).isIntegralNumber() || !values.get(1).canConvertToInt()) {
            throw new StatesError(StatesError.RUNTIME, "States.ArrayGetItem takes an array and an index, not " + Paths.abbreviate(array(values)));
        }
        int index = values.get(1).intValue();
        if (index < 0 || index >= values.get(0).size()) {
            throw new StatesError(StatesError.RUNTIME, "States.ArrayGetItem: index " + index + " is outside the array of "
                    + values.get(0).size() + " items");
        }
        return values.get(0).get(index);
    }

    /** Integers from start to end, both included, by a step that is not 0; at most {@value #MAX_RANGE} of them. */
    private static JsonNode arrayRange(List<JsonNode> values) {
        if (values.size() != 3 || values.stream().anyMatch(value -> !value.isIntegralNumber() || !value.canConvertToInt())
                || values.get(2).intValue() == 0) {
            throw new StatesError(StatesError.RUNTIME, "States.ArrayRange takes three integers, the step not 0, not "
                    + Paths.abbreviate(array(values)));
        }
        long start = values.get(0).intValue();
        long end = values.get(1).intValue();
        long step = values.get(2).intValue();
        long count = (end - start) / step + 1;
        if (count > MAX_RANGE) {
            throw new StatesError(StatesError.RUNTIME, "States.ArrayRange would give " + count + " items; at most " + MAX_RANGE);
        }
        ArrayNode range = Paths.JSON.createArrayNode();
        for (long value = start; step > 0 ? value <= end : value >= end; value += step) {
            range.add((int) value);
        }
        return range;
    }

    private static ArrayNode array(List<JsonNode> values) {
        ArrayNode array = Paths.JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    /** The sum of two integers (Step Functions' MathAdd takes integers between -2^31 and 2^31 - 1). */
    private static JsonNode mathAdd(List<JsonNode> values) {
        if (values.size() != 2 || !values.get(0).canConvertToInt() || !values.get(1).canConvertToInt() || !values.get(0).isIntegralNumber()
                || !values.get(1).isIntegralNumber()) {
            throw new StatesError(StatesError.RUNTIME, "States.MathAdd takes two integers, not " + values);
        }
        return Paths.JSON.getNodeFactory().numberNode(Math.addExact(values.get(0).intValue(), values.get(1).intValue()));
    }

    /** The second object's fields over the first's; Step Functions only merges shallowly (the third argument false). */
    private static JsonNode jsonMerge(List<JsonNode> values) {
        if (values.size() != 3 || !values.get(0).isObject() || !values.get(1).isObject() || !values.get(2).isBoolean()) {
            throw new StatesError(StatesError.RUNTIME, "States.JsonMerge takes two JSON objects and false");
        }
        if (values.get(2).booleanValue()) {
            throw new StatesError(StatesError.RUNTIME, "States.JsonMerge: deep merging (true) is not supported; pass false");
        }
        ObjectNode merged = values.get(0).deepCopy();
        merged.setAll((ObjectNode) values.get(1));
        return merged;
    }

    private static JsonNode format(List<JsonNode> values) {
        if (values.isEmpty() || !values.get(0).isTextual()) {
            throw new StatesError(StatesError.RUNTIME, "States.Format takes a template string first");
        }
        String template = values.get(0).asText();
        StringBuilder out = new StringBuilder();
        int next = 1;
        for (int i = 0; i < template.length(); i++) {
            if (template.startsWith("{}", i)) {
                if (next >= values.size()) {
                    throw new StatesError(StatesError.RUNTIME, "States.Format: the template '" + template + "' has more {} than arguments");
                }
                JsonNode value = values.get(next++);
                if (value.isContainerNode()) {
                    throw new StatesError(StatesError.RUNTIME, "States.Format takes strings, numbers, booleans or null, not " + value);
                }
                out.append(value.isTextual() ? value.asText() : value.toString());
                i++;
            } else {
                out.append(template.charAt(i));
            }
        }
        if (next != values.size()) {
            throw new StatesError(StatesError.RUNTIME, "States.Format: the template '" + template + "' has fewer {} than arguments");
        }
        return new TextNode(out.toString());
    }

    private static JsonNode stringToJson(JsonNode value) {
        if (!value.isTextual()) {
            throw new StatesError(StatesError.RUNTIME, "States.StringToJson takes a string");
        }
        try {
            return Paths.JSON.readTree(value.asText());
        } catch (JsonProcessingException e) {
            throw new StatesError(StatesError.RUNTIME, "States.StringToJson: '" + value.asText() + "' is not JSON");
        }
    }

    private static JsonNode one(Call call, List<JsonNode> values) {
        if (values.size() != 1) {
            throw new StatesError(StatesError.RUNTIME, call.function() + " takes one argument, not " + values.size());
        }
        return values.get(0);
    }

    /** A recursive-descent parser over the intrinsic call syntax. */
    private static final class Parser {

        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        Call call() {
            skipSpaces();
            int open = text.indexOf('(', at);
            if (open < 0) {
                throw new IllegalArgumentException("'" + text + "' is not an intrinsic function call");
            }
            String function = text.substring(at, open).trim();
            if (!SUPPORTED.contains(function)) {
                throw new IllegalArgumentException(function + " is not one of the intrinsic functions the local runner implements "
                        + SUPPORTED);
            }
            at = open + 1;
            List<Argument> arguments = new ArrayList<>();
            skipSpaces();
            if (peek() == ')') {
                at++;
                return new Call(function, arguments);
            }
            while (true) {
                arguments.add(argument());
                skipSpaces();
                char c = peek();
                at++;
                if (c == ')') {
                    return new Call(function, arguments);
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected ',' or ')' in '" + text + "'");
                }
            }
        }

        private Argument argument() {
            skipSpaces();
            char c = peek();
            if (c == '\'') {
                return new Argument(new TextNode(string()), null, null);
            }
            if (c == '$') {
                int start = at;
                while (at < text.length() && text.charAt(at) != ',' && text.charAt(at) != ')') {
                    at++;
                }
                String path = text.substring(start, at).trim();
                Paths.compile(path.startsWith("$$") ? path.substring(1) : path);
                return new Argument(null, path, null);
            }
            if (text.startsWith("States.", at)) {
                return new Argument(null, null, call());
            }
            int start = at;
            while (at < text.length() && text.charAt(at) != ',' && text.charAt(at) != ')') {
                at++;
            }
            String literal = text.substring(start, at).trim();
            try {
                JsonNode value = Paths.JSON.readTree(literal);
                if (value == null || value.isContainerNode() || value.isTextual()) {
                    throw new IllegalArgumentException("'" + literal + "' is not an argument");
                }
                return new Argument(value, null, null);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("'" + literal + "' is not an argument (strings take single quotes)");
            }
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            at++;
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '\\' && at < text.length()) {
                    out.append(text.charAt(at++));
                } else if (c == '\'') {
                    return out.toString();
                } else {
                    out.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated string in '" + text + "'");
        }

        private char peek() {
            if (at >= text.length()) {
                throw new IllegalArgumentException("'" + text + "' ends too early");
            }
            return text.charAt(at);
        }

        void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
