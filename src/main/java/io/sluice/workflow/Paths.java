package io.sluice.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

/**
 * The ASL's paths over Jackson trees: reading any JSONPath with Jayway JsonPath, and writing a result at a
 * Reference Path ({@code ResultPath}), which the specification restricts to names and indexes (no wildcards, no
 * filters) so that it addresses exactly one place.
 */
final class Paths {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final Configuration JAYWAY = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(JSON))
            .mappingProvider(new JacksonMappingProvider(JSON))
            .build();

    /** One step of a Reference Path: {@code .name}, {@code ['name']} or {@code [3]}. */
    private static final Pattern REFERENCE_STEP = Pattern.compile("\\.([A-Za-z_$][A-Za-z0-9_$-]*)|\\['([^'\\\\]*)'\\]|\\[(\\d{1,9})\\]");

    private Paths() {
    }

    /** Compiles {@code path} or says why it is not a JSONPath; for checks at load time. */
    static void compile(String path) {
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException("'" + path + "' is not a path (paths start with $)");
        }
        try {
            JsonPath.compile(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + path + "' is not a valid JSONPath: " + e.getMessage());
        }
    }

    /** Whether {@code path} is a Reference Path (what ResultPath must be). */
    static boolean isReference(String path) {
        return referenceSteps(path) != null;
    }

    /** The value at {@code path} in {@code document}; a path that matches nothing is a {@code States.Runtime} error. */
    static JsonNode read(JsonNode document, String path) {
        if (path.equals("$")) {
            return document;
        }
        try {
            Object value = JsonPath.using(JAYWAY).parse(document).read(path);
            return value instanceof JsonNode node ? node : JSON.valueToTree(value);
        } catch (PathNotFoundException e) {
            throw new StatesError(StatesError.RUNTIME, "the JSONPath '" + path + "' could not be found in the input '"
                    + abbreviate(document) + "'");
        }
    }

    /** Whether {@code path} matches something in {@code document} (Choice's IsPresent). */
    static boolean present(JsonNode document, String path) {
        try {
            read(document, path);
            return true;
        } catch (StatesError e) {
            return false;
        }
    }

    /**
     * {@code input} with {@code result} placed at {@code resultPath}: the whole result for {@code $}, the input
     * unchanged for a null ResultPath, else a copy of the input with missing objects on the way created.
     */
    static JsonNode place(JsonNode input, JsonNode resultPath, JsonNode result) {
        if (resultPath == null || resultPath.isMissingNode()) {
            return result;
        }
        if (resultPath.isNull()) {
            return input;
        }
        List<Step> steps = referenceSteps(resultPath.asText());
        if (steps.isEmpty()) {
            return result;
        }
        if (!input.isObject()) {
            throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "unable to apply ResultPath '" + resultPath.asText()
                    + "' to input '" + abbreviate(input) + "': it is not an object");
        }
        JsonNode root = input.deepCopy();
        JsonNode at = root;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            boolean last = i == steps.size() - 1;
            if (step.name() == null) {
                int index = step.index();
                if (!(at instanceof ArrayNode array) || index >= array.size()) {
                    throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "unable to apply ResultPath '" + resultPath.asText()
                            + "': no element " + index + " to write to");
                }
                if (last) {
                    array.set(index, result);
                } else {
                    at = array.get(index);
                }
                continue;
            }
            if (!(at instanceof ObjectNode object)) {
                throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "unable to apply ResultPath '" + resultPath.asText()
                        + "': '" + step.name() + "' is below a value that is not an object");
            }
            if (last) {
                object.set(step.name(), result);
            } else {
                JsonNode next = object.get(step.name());
                if (next == null || next.isNull()) {
                    next = object.putObject(step.name());
                }
                at = next;
            }
        }
        return root;
    }

    /** What InputPath and OutputPath select: the whole document when absent, an empty object when null. */
    static JsonNode select(JsonNode document, JsonNode path) {
        if (path == null || path.isMissingNode()) {
            return document;
        }
        if (path.isNull()) {
            return JSON.createObjectNode();
        }
        return read(document, path.asText());
    }

    /** A document shortened for an error message. */
    static String abbreviate(JsonNode document) {
        String text = document == null ? "null" : document.toString();
        return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + (text.length() - 300) + " more characters)";
    }

    static JsonNode orNull(JsonNode node) {
        return node == null ? NullNode.getInstance() : node;
    }

    /** One step of a Reference Path: a member name, or (name null) an array index. */
    private record Step(String name, int index) {
    }

    /** The steps of a Reference Path, or null when it is not one. */
    private static List<Step> referenceSteps(String path) {
        if (!path.startsWith("$") || path.startsWith("$$")) {
            return null;
        }
        List<Step> steps = new ArrayList<>();
        Matcher matcher = REFERENCE_STEP.matcher(path);
        int at = 1;
        while (at < path.length()) {
            if (!matcher.find(at) || matcher.start() != at) {
                return null;
            }
            if (matcher.group(3) != null) {
                steps.add(new Step(null, Integer.parseInt(matcher.group(3))));
            } else {
                steps.add(new Step(matcher.group(1) != null ? matcher.group(1) : matcher.group(2), 0));
            }
            at = matcher.end();
        }
        return steps;
    }
}
