package io.sluice.workflow;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A state machine in the Amazon States Language (JSONPath query language), checked when it is loaded: every field of
 * every state must be one the runner implements and every reference must resolve, so a definition the runner would
 * run wrongly is refused before any state runs, naming the state.
 *
 * @param startAt        the first state
 * @param timeoutSeconds the execution's limit, or null for none
 * @param states         the states by name, in the file's order
 */
public record Definition(String startAt, Integer timeoutSeconds, Map<String, State> states) {

    /** One state: its name, {@code Type} and the whole JSON object. */
    public record State(String name, String type, ObjectNode spec) {

        JsonNode field(String name) {
            return spec.get(name);
        }

        String text(String name) {
            JsonNode value = spec.get(name);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    private static final Set<String> TOP = Set.of("Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage");
    private static final Set<String> COMMON = Set.of("Type", "Comment");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Task", Set.of("Resource", "Parameters", "ResultSelector", "ResultPath", "InputPath", "OutputPath", "Retry", "Catch",
                    "TimeoutSeconds", "Next", "End"),
            "Pass", Set.of("Result", "ResultPath", "Parameters", "InputPath", "OutputPath", "Next", "End"),
            "Choice", Set.of("Choices", "Default", "InputPath", "OutputPath"),
            "Wait", Set.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath", "InputPath", "OutputPath", "Next", "End"),
            "Succeed", Set.of("InputPath", "OutputPath"),
            "Fail", Set.of("Error", "Cause", "ErrorPath", "CausePath"),
            "Map", Set.of("ItemProcessor", "ItemsPath", "ItemReader", "ItemSelector", "ResultWriter", "MaxConcurrency",
                    "MaxConcurrencyPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
                    "ToleratedFailureCount", "ToleratedFailureCountPath", "ResultSelector", "ResultPath", "InputPath", "OutputPath",
                    "Retry", "Catch", "Next", "End"));
    private static final Set<String> PROCESSOR = Set.of("Comment", "ProcessorConfig", "StartAt", "States");
    private static final Set<String> PROCESSOR_CONFIG = Set.of("Mode", "ExecutionType");
    private static final Set<String> ITEM_READER = Set.of("Resource", "ReaderConfig", "Parameters");
    private static final Set<String> READER_CONFIG = Set.of("InputType", "CSVHeaderLocation", "CSVHeaders", "MaxItems");
    private static final Set<String> RESULT_WRITER = Set.of("Resource", "Parameters");
    private static final Set<String> RETRIER = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
            "JitterStrategy", "Comment");
    private static final Set<String> CATCHER = Set.of("ErrorEquals", "Next", "ResultPath", "Comment");

    /** Parses {@code json} and checks it; Task resources must be ones {@code resources} serves. */
    public static Definition load(String json, Predicate<String> resources) {
        JsonNode root;
        try {
            root = Paths.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new DefinitionRefused("the definition is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new DefinitionRefused("the definition must be a JSON object");
        }
        unknownFields("the definition", root, TOP);
        return parse(root, resources);
    }

    /**
     * The state machine a Map state runs for each item ({@code ItemProcessor}), checked when its Map state was; null
     * when {@code state} is not a Map.
     */
    static Definition processor(State state) {
        return state.type().equals("Map") ? parse(state.field("ItemProcessor"), resource -> true) : null;
    }

    /** Whether {@code state} is a Map in DISTRIBUTED mode (items as child executions, failures tolerated). */
    static boolean distributed(State state) {
        return "DISTRIBUTED".equals(state.field("ItemProcessor").path("ProcessorConfig").path("Mode").asText("INLINE"));
    }

    private static Definition parse(JsonNode root, Predicate<String> resources) {
        if (root.has("QueryLanguage") && !root.get("QueryLanguage").asText().equals("JSONPath")) {
            throw new DefinitionRefused("QueryLanguage " + root.get("QueryLanguage") + ": the local runner implements JSONPath only");
        }
        if (!root.path("StartAt").isTextual() || !root.path("States").isObject()) {
            throw new DefinitionRefused("the definition needs StartAt and States");
        }
        Map<String, State> states = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("States").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isObject() || !entry.getValue().path("Type").isTextual()) {
                throw DefinitionRefused.inState(entry.getKey(), "a state must be an object with a Type");
            }
            states.put(entry.getKey(), new State(entry.getKey(), entry.getValue().get("Type").asText(), (ObjectNode) entry.getValue()));
        }
        Integer timeout = root.has("TimeoutSeconds") ? positive("the definition", root.get("TimeoutSeconds"), "TimeoutSeconds") : null;
        Definition definition = new Definition(root.get("StartAt").asText(), timeout, Collections.unmodifiableMap(states));
        if (!states.containsKey(definition.startAt())) {
            throw new DefinitionRefused("StartAt names '" + definition.startAt() + "', which is not a state");
        }
        states.values().forEach(state -> definition.check(state, resources));
        return definition;
    }

    private void check(State state, Predicate<String> resources) {
        Set<String> allowed = FIELDS.get(state.type());
        if (allowed == null) {
            throw DefinitionRefused.inState(state.name(), "Type " + state.type() + " is not one the local runner implements "
                    + "(Task, Pass, Choice, Wait, Succeed, Fail, Map)");
        }
        for (Iterator<String> names = state.spec().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!COMMON.contains(name) && !allowed.contains(name)) {
                throw DefinitionRefused.inState(state.name(), "field " + name + " is not one the local runner implements for a "
                        + state.type() + " state");
            }
        }
        if (allowed.contains("Next")) {
            boolean next = state.spec().has("Next");
            boolean end = state.spec().path("End").asBoolean(false);
            if (next == end) {
                throw DefinitionRefused.inState(state.name(), "needs exactly one of Next and End: true");
            }
            if (next) {
                target(state, state.text("Next"));
            }
        }
        for (String pathField : new String[] {"InputPath", "OutputPath", "SecondsPath", "TimestampPath", "ErrorPath", "CausePath"}) {
            JsonNode path = state.field(pathField);
            if (path != null && !path.isNull()) {
                path(state, path.asText());
            }
        }
        resultPath(state, state.field("ResultPath"));
        template(state, state.field("Parameters"));
        template(state, state.field("ResultSelector"));
        switch (state.type()) {
            case "Task" -> checkTask(state, resources);
            case "Map" -> checkMap(state, resources);
            case "Choice" -> checkChoice(state);
            case "Wait" -> {
                int given = (state.spec().has("Seconds") ? 1 : 0) + (state.spec().has("SecondsPath") ? 1 : 0)
                        + (state.spec().has("Timestamp") ? 1 : 0) + (state.spec().has("TimestampPath") ? 1 : 0);
                if (given != 1) {
                    throw DefinitionRefused.inState(state.name(), "a Wait needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath");
                }
                if (state.spec().has("Seconds")) {
                    positive("state '" + state.name() + "'", state.field("Seconds"), "Seconds");
                }
            }
            default -> {
            }
        }
    }

    private void checkTask(State state, Predicate<String> resources) {
        String resource = state.text("Resource");
        if (resource == null) {
            throw DefinitionRefused.inState(state.name(), "a Task needs a Resource");
        }
        if (!resources.test(resource)) {
            throw DefinitionRefused.inState(state.name(), "Resource " + resource + " is not bound in this runner");
        }
        if (state.spec().has("TimeoutSeconds")) {
            positive("state '" + state.name() + "'", state.field("TimeoutSeconds"), "TimeoutSeconds");
        }
        checkErrorHandling(state);
    }

    /**
     * A Map: its item processor is a state machine of its own, checked as one (its states see only each other), run
     * INLINE or DISTRIBUTED (here both in-process, each item on a thread of its own up to MaxConcurrency); the failure
     * tolerance, ItemReader (a JSON array or a CSV file, {@code s3:getObject}) and ResultWriter ({@code s3:putObject}) are
     * DISTRIBUTED's, as in Step Functions.
     */
    private void checkMap(State state, Predicate<String> resources) {
        JsonNode processor = state.field("ItemProcessor");
        if (processor == null || !processor.isObject()) {
            throw DefinitionRefused.inState(state.name(), "a Map needs an ItemProcessor object");
        }
        unknownFields("state '" + state.name() + "' ItemProcessor", processor, PROCESSOR);
        JsonNode config = processor.get("ProcessorConfig");
        if (config != null) {
            unknownFields("state '" + state.name() + "' ProcessorConfig", config, PROCESSOR_CONFIG);
            String mode = config.path("Mode").asText("INLINE");
            if (!Set.of("INLINE", "DISTRIBUTED").contains(mode)) {
                throw DefinitionRefused.inState(state.name(), "ProcessorConfig.Mode must be INLINE or DISTRIBUTED");
            }
            if (config.has("ExecutionType") && (!mode.equals("DISTRIBUTED") || !config.get("ExecutionType").asText().equals("STANDARD"))) {
                throw DefinitionRefused.inState(state.name(), "ExecutionType: the local runner runs DISTRIBUTED child executions as"
                        + " STANDARD ones only");
            }
        }
        try {
            parse(processor, resources);
        } catch (DefinitionRefused e) {
            throw DefinitionRefused.inState(state.name(), "ItemProcessor: " + e.getMessage());
        }
        JsonNode items = state.field("ItemsPath");
        if (items != null && !Paths.isReference(items.asText())) {
            throw DefinitionRefused.inState(state.name(), "ItemsPath '" + items.asText() + "' is not a Reference Path");
        }
        template(state, state.field("ItemSelector"));
        if (state.spec().has("MaxConcurrency")) {
            JsonNode concurrency = state.field("MaxConcurrency");
            if (!concurrency.isIntegralNumber() || concurrency.asInt() < 0) {
                throw DefinitionRefused.inState(state.name(), "MaxConcurrency must be a whole number >= 0 (0: no limit)");
            }
        }
        for (String field : List.of("MaxConcurrency", "ToleratedFailurePercentage", "ToleratedFailureCount")) {
            JsonNode path = state.field(field + "Path");
            if (path != null && state.spec().has(field)) {
                throw DefinitionRefused.inState(state.name(), "a Map has " + field + " or " + field + "Path, not both");
            }
            if (path != null && !Paths.isReference(path.asText())) {
                throw DefinitionRefused.inState(state.name(), field + "Path '" + path.asText() + "' is not a Reference Path");
            }
        }
        boolean tolerates = state.spec().has("ToleratedFailurePercentage") || state.spec().has("ToleratedFailureCount")
                || state.spec().has("ToleratedFailurePercentagePath") || state.spec().has("ToleratedFailureCountPath");
        if (tolerates && !distributed(state)) {
            throw DefinitionRefused.inState(state.name(), "ToleratedFailurePercentage and ToleratedFailureCount belong to a DISTRIBUTED"
                    + " Map (ItemProcessor.ProcessorConfig.Mode)");
        }
        checkItemReader(state, resources);
        JsonNode writer = state.field("ResultWriter");
        if (writer != null) {
            if (!distributed(state)) {
                throw DefinitionRefused.inState(state.name(), "ResultWriter belongs to a DISTRIBUTED Map");
            }
            unknownFields("state '" + state.name() + "' ResultWriter", writer, RESULT_WRITER);
            bound(state, writer.path("Resource").asText(null), LocalObjects.PUT_OBJECT, resources);
            template(state, writer.get("Parameters"));
        }
        JsonNode percentage = state.field("ToleratedFailurePercentage");
        if (percentage != null && (!percentage.isNumber() || percentage.asDouble() < 0 || percentage.asDouble() > 100)) {
            throw DefinitionRefused.inState(state.name(), "ToleratedFailurePercentage must be a number from 0 to 100");
        }
        JsonNode count = state.field("ToleratedFailureCount");
        if (count != null && (!count.isIntegralNumber() || count.asInt() < 0)) {
            throw DefinitionRefused.inState(state.name(), "ToleratedFailureCount must be a whole number >= 0");
        }
        checkErrorHandling(state);
    }

    private static void checkItemReader(State state, Predicate<String> resources) {
        JsonNode reader = state.field("ItemReader");
        if (reader == null) {
            return;
        }
        if (!distributed(state)) {
            throw DefinitionRefused.inState(state.name(), "ItemReader belongs to a DISTRIBUTED Map");
        }
        if (state.spec().has("ItemsPath")) {
            throw DefinitionRefused.inState(state.name(), "a Map reads its items from ItemReader or ItemsPath, not both");
        }
        unknownFields("state '" + state.name() + "' ItemReader", reader, ITEM_READER);
        bound(state, reader.path("Resource").asText(null), LocalObjects.GET_OBJECT, resources);
        template(state, reader.get("Parameters"));
        JsonNode config = reader.get("ReaderConfig");
        if (config == null) {
            throw DefinitionRefused.inState(state.name(), "ItemReader needs ReaderConfig.InputType (JSON or CSV)");
        }
        unknownFields("state '" + state.name() + "' ReaderConfig", config, READER_CONFIG);
        String type = config.path("InputType").asText("");
        if (!Set.of("JSON", "CSV").contains(type)) {
            throw DefinitionRefused.inState(state.name(), "ReaderConfig.InputType must be JSON or CSV (the local runner reads no manifest)");
        }
        if (type.equals("CSV")) {
            String headers = config.path("CSVHeaderLocation").asText("");
            if (headers.equals("GIVEN") != config.path("CSVHeaders").isArray() || !Set.of("FIRST_ROW", "GIVEN").contains(headers)) {
                throw DefinitionRefused.inState(state.name(), "a CSV ItemReader needs CSVHeaderLocation FIRST_ROW, or GIVEN with CSVHeaders");
            }
        }
        if (config.has("MaxItems") && (!config.get("MaxItems").isIntegralNumber() || config.get("MaxItems").asInt() < 0)) {
            throw DefinitionRefused.inState(state.name(), "ReaderConfig.MaxItems must be a whole number >= 0");
        }
    }

    private static void bound(State state, String resource, String expected, Predicate<String> resources) {
        if (!expected.equals(resource)) {
            throw DefinitionRefused.inState(state.name(), "the local runner binds " + expected + " here, not " + resource);
        }
        if (!resources.test(resource)) {
            throw DefinitionRefused.inState(state.name(), "Resource " + resource + " is not bound in this runner");
        }
    }

    /** Retry and Catch of a Task or a Map. */
    private void checkErrorHandling(State state) {
        JsonNode retry = state.field("Retry");
        if (retry != null) {
            errorHandlers(state, retry, RETRIER);
            for (JsonNode retrier : retry) {
                if (retrier.has("MaxAttempts") && (!retrier.get("MaxAttempts").canConvertToInt() || retrier.get("MaxAttempts").asInt() < 0)) {
                    throw DefinitionRefused.inState(state.name(), "MaxAttempts must be a whole number >= 0");
                }
                if (retrier.has("IntervalSeconds")) {
                    positive("state '" + state.name() + "'", retrier.get("IntervalSeconds"), "IntervalSeconds");
                }
                if (retrier.has("MaxDelaySeconds")) {
                    positive("state '" + state.name() + "'", retrier.get("MaxDelaySeconds"), "MaxDelaySeconds");
                }
                if (retrier.has("BackoffRate") && (!retrier.get("BackoffRate").isNumber() || retrier.get("BackoffRate").asDouble() < 1.0)) {
                    throw DefinitionRefused.inState(state.name(), "BackoffRate must be a number >= 1.0");
                }
                if (retrier.has("JitterStrategy") && !Set.of("FULL", "NONE").contains(retrier.get("JitterStrategy").asText())) {
                    throw DefinitionRefused.inState(state.name(), "JitterStrategy must be FULL or NONE");
                }
            }
        }
        JsonNode catchers = state.field("Catch");
        if (catchers != null) {
            errorHandlers(state, catchers, CATCHER);
            for (JsonNode catcher : catchers) {
                target(state, catcher.path("Next").asText(null));
                resultPath(state, catcher.get("ResultPath"));
            }
        }
    }

    private void checkChoice(State state) {
        JsonNode choices = state.field("Choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw DefinitionRefused.inState(state.name(), "a Choice needs a non-empty Choices list");
        }
        for (JsonNode rule : choices) {
            Choices.check(state.name(), rule, true);
            target(state, rule.get("Next").asText());
        }
        if (state.spec().has("Default")) {
            target(state, state.text("Default"));
        }
    }

    private void errorHandlers(State state, JsonNode list, Set<String> fields) {
        if (!list.isArray()) {
            throw DefinitionRefused.inState(state.name(), "Retry and Catch take a list");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode handler = list.get(i);
            unknownFields("state '" + state.name() + "'", handler, fields);
            JsonNode errors = handler.get("ErrorEquals");
            if (errors == null || !errors.isArray() || errors.isEmpty()) {
                throw DefinitionRefused.inState(state.name(), "every Retrier and Catcher needs a non-empty ErrorEquals");
            }
            for (JsonNode error : errors) {
                if (error.asText().equals(StatesError.ALL) && (errors.size() > 1 || i < list.size() - 1)) {
                    throw DefinitionRefused.inState(state.name(), "States.ALL must be alone in its ErrorEquals and in the last Retrier or Catcher");
                }
            }
        }
    }

    private void target(State state, String next) {
        if (next == null || !states.containsKey(next)) {
            throw DefinitionRefused.inState(state.name(), "goes to '" + next + "', which is not a state");
        }
    }

    private static void resultPath(State state, JsonNode resultPath) {
        if (resultPath != null && !resultPath.isNull() && !Paths.isReference(resultPath.asText())) {
            throw DefinitionRefused.inState(state.name(), "ResultPath '" + resultPath.asText() + "' is not a Reference Path");
        }
    }

    private static void path(State state, String path) {
        try {
            Paths.compile(path.startsWith("$$") ? path.substring(1) : path);
        } catch (IllegalArgumentException e) {
            throw DefinitionRefused.inState(state.name(), e.getMessage());
        }
    }

    /** Parameters and ResultSelector: every {@code .$} field holds a path or a supported intrinsic call. */
    private static void template(State state, JsonNode template) {
        if (template == null) {
            return;
        }
        if (template.isArray()) {
            template.forEach(item -> template(state, item));
            return;
        }
        if (!template.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().endsWith(".$")) {
                template(state, field.getValue());
                continue;
            }
            if (!field.getValue().isTextual()) {
                throw DefinitionRefused.inState(state.name(), "field " + field.getKey() + " must hold a path or an intrinsic function");
            }
            String text = field.getValue().asText();
            try {
                if (Intrinsics.isCall(text)) {
                    Intrinsics.parse(text);
                } else {
                    Paths.compile(text.startsWith("$$") ? text.substring(1) : text);
                }
            } catch (IllegalArgumentException e) {
                throw DefinitionRefused.inState(state.name(), "field " + field.getKey() + ": " + e.getMessage());
            }
        }
    }

    private static void unknownFields(String where, JsonNode node, Set<String> allowed) {
        if (!node.isObject()) {
            throw new DefinitionRefused(where + ": expected an object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new DefinitionRefused(where + ": field " + name + " is not one the local runner implements");
            }
        }
    }

    private static int positive(String where, JsonNode value, String field) {
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw new DefinitionRefused(where + ": " + field + " must be a whole number >= 1");
        }
        return value.asInt();
    }
}
