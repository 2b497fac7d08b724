package io.sluice.workflow;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.files.Csv;
import io.sluice.workflow.Definition.State;
import io.sluice.workflow.Execution.Attempt;
import io.sluice.workflow.Execution.Status;
import io.sluice.workflow.Execution.Visit;

/**
 * Runs a {@link Definition} the way Step Functions does: input and output processing (InputPath, Parameters,
 * ResultSelector, ResultPath, OutputPath), Choice rules, Wait, Map (items in parallel, failure tolerance), Retry with backoff and jitter, Catch, task and
 * execution timeouts, the context object ({@code $$.Execution}, {@code $$.State}, {@code $$.Task.Token}), and the
 * payload quota: a state's input after Parameters, a task's result or a state's output over {@value #MAX_PAYLOAD_BYTES}
 * bytes of UTF-8 JSON raises {@code States.DataLimitExceeded}, which {@code States.ALL} does not catch.
 * Task resources come from a {@link TaskResources} binding. Waits and retry intervals are multiplied by a scale
 * (1 runs them as written; 0 skips them), timeouts are not.
 */
public final class WorkflowRunner {

    /** Step Functions ends an execution at 25,000 history events; a runaway loop here ends at this many states. */
    static final int MAX_STATES = 5_000;

    /** A Map without MaxConcurrency (or 0) runs at most this many items at once here. */
    static final int MAX_MAP_THREADS = 40;

    /** Step Functions' quota on an execution's input, a state's input and output and a task's result: 256 KiB of UTF-8. */
    public static final int MAX_PAYLOAD_BYTES = 262_144;

    /** Hears each state as the runner enters and leaves it. */
    public interface Listener {

        void entered(String state, String type);

        void retrying(String state, StatesError error, Duration delay, int attempt);

        void left(Visit visit);

        Listener SILENT = new Listener() {
            @Override
            public void entered(String state, String type) {
            }

            @Override
            public void retrying(String state, StatesError error, Duration delay, int attempt) {
            }

            @Override
            public void left(Visit visit) {
            }
        };
    }

    private final Definition definition;
    private final TaskResources resources;
    private final double waitScale;
    private final Listener listener;
    private final String machineArn;

    /**
     * @param waitScale  what Wait states and retry intervals are multiplied by
     * @param machineArn the state machine's ARN, for the context object's {@code $$.Execution.Id}
     */
    public WorkflowRunner(Definition definition, TaskResources resources, double waitScale, Listener listener, String machineArn) {
        if (!(waitScale >= 0)) {
            throw new IllegalArgumentException("the wait scale must be >= 0");
        }
        this.definition = definition;
        this.resources = resources;
        this.waitScale = waitScale;
        this.listener = listener;
        this.machineArn = machineArn;
    }

    /**
     * Runs one execution named {@code name} on {@code input} to its end.
     *
     * @throws IllegalArgumentException when {@code input} is over the payload quota: StartExecution refuses it
     */
    public Execution run(String name, JsonNode input) {
        int inputBytes = bytes(input);
        if (inputBytes > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("the execution's input is " + inputBytes + " bytes; Step Functions refuses an input over "
                    + MAX_PAYLOAD_BYTES);
        }
        long start = System.nanoTime();
        ObjectNode context = Paths.JSON.createObjectNode();
        ObjectNode execution = context.putObject("Execution");
        execution.put("Id", machineArn.replace(":stateMachine:", ":execution:") + ":" + name);
        execution.put("Name", name);
        execution.put("StartTime", Instant.now().toString());
        execution.set("Input", input);
        context.putObject("StateMachine").put("Id", machineArn).put("Name", machineArn.substring(machineArn.lastIndexOf(':') + 1));

        List<Visit> visits = new ArrayList<>();
        JsonNode document = input;
        String current = definition.startAt();
        while (true) {
            if (definition.timeoutSeconds() != null && elapsed(start).toSeconds() >= definition.timeoutSeconds()) {
                return new Execution(name, Status.TIMED_OUT, null, StatesError.TIMEOUT,
                        "the execution ran longer than its TimeoutSeconds (" + definition.timeoutSeconds() + ")", visits, millis(start));
            }
            if (visits.size() >= MAX_STATES) {
                return new Execution(name, Status.FAILED, null, StatesError.RUNTIME, "the execution entered " + MAX_STATES
                        + " states; Step Functions would end it at its history limit", visits, millis(start));
            }
            State state = definition.states().get(current);
            listener.entered(state.name(), state.type());
            ObjectNode stateContext = context.putObject("State");
            stateContext.put("Name", state.name());
            stateContext.put("EnteredTime", Instant.now().toString());
            stateContext.put("RetryCount", 0);
            context.remove("Task");
            long entered = System.nanoTime();
            List<Attempt> attempts = new ArrayList<>();
            Step step;
            try {
                step = switch (state.type()) {
                    case "Pass" -> pass(state, document, context);
                    case "Task" -> task(state, document, context, attempts);
                    case "Choice" -> choice(state, document, context);
                    case "Wait" -> await(state, document);
                    case "Map" -> map(state, document, context, name);
                    case "Succeed" -> new Step(Paths.select(Paths.select(document, state.field("InputPath")), state.field("OutputPath")),
                            null, "Succeeded");
                    default -> throw fail(state, document);
                };
                withinQuota(step.output(), "The state '" + state.name() + "' has an output");
            } catch (StatesError e) {
                Visit visit = new Visit(state.name(), state.type(), millis(entered), "failed: " + e.error() + ": " + e.cause(), attempts, null);
                visits.add(visit);
                listener.left(visit);
                return new Execution(name, Status.FAILED, null, e.error(), e.cause(), visits, millis(start));
            }
            Visit visit = new Visit(state.name(), state.type(), millis(entered), step.outcome(), attempts, step.output());
            visits.add(visit);
            listener.left(visit);
            if (step.next() == null) {
                return new Execution(name, Status.SUCCEEDED, step.output(), null, null, visits, millis(start));
            }
            document = step.output();
            current = step.next();
        }
    }

    /** What a state hands on: its output and the next state (null at the end). */
    private record Step(JsonNode output, String next, String outcome) {
    }

    private Step pass(State state, JsonNode document, JsonNode context) {
        JsonNode input = Paths.select(document, state.field("InputPath"));
        JsonNode result;
        if (state.field("Parameters") != null) {
            result = withinQuota(apply(state.field("Parameters"), input, context), "The state '" + state.name() + "' has an input");
        } else if (state.field("Result") != null) {
            result = state.field("Result");
        } else {
            result = input;
        }
        return leave(state, Paths.place(document, state.field("ResultPath"), result));
    }

    private Step task(State state, JsonNode document, ObjectNode context, List<Attempt> attempts) {
        JsonNode input = Paths.select(document, state.field("InputPath"));
        String resource = state.text("Resource");
        if (resource.endsWith(".waitForTaskToken")) {
            context.putObject("Task").put("Token", UUID.randomUUID().toString());
        }
        JsonNode parameters = withinQuota(state.field("Parameters") == null ? input : apply(state.field("Parameters"), input, context),
                "The state '" + state.name() + "' has an input");
        String token = context.path("Task").path("Token").asText(null);
        long timeout = state.field("TimeoutSeconds") == null ? 60 : state.field("TimeoutSeconds").asLong();
        int[] retried = new int[state.field("Retry") == null ? 0 : state.field("Retry").size()];
        while (true) {
            JsonNode result;
            try {
                result = withinQuota(call(new TaskResources.TaskCall(state.name(), resource, parameters, token, timeout)),
                        "The state/task '" + resource + "' returned a result");
                attempts.add(new Attempt(parameters, result, null, null));
            } catch (StatesError e) {
                attempts.add(new Attempt(parameters, null, e.error(), e.cause()));
                Duration delay = retryDelay(state, e, retried);
                if (delay != null) {
                    listener.retrying(state.name(), e, delay, attempts.size());
                    ((ObjectNode) context.get("State")).put("RetryCount", attempts.size());
                    pause(delay);
                    continue;
                }
                return caught(state, document, e);
            }
            if (state.field("ResultSelector") != null) {
                result = apply(state.field("ResultSelector"), result, context);
            }
            return leave(state, Paths.place(document, state.field("ResultPath"), result));
        }
    }

    /** The Catcher that takes {@code error} on to its Next, or {@code error} again when none does. */
    private static Step caught(State state, JsonNode document, StatesError error) {
        JsonNode catcher = catcher(state, error);
        if (catcher == null) {
            throw error;
        }
        ObjectNode errorOutput = Paths.JSON.createObjectNode().put("Error", error.error()).put("Cause", error.cause());
        JsonNode resultPath = catcher.has("ResultPath") ? catcher.get("ResultPath") : null;
        String next = catcher.get("Next").asText();
        return new Step(Paths.place(document, resultPath, errorOutput), next, "caught " + error.error() + " -> " + next);
    }

    /**
     * A Map: its ItemProcessor runs once per item of {@code ItemsPath} (each item given by {@code ItemSelector}, with
     * {@code $$.Map.Item.Value} and {@code $$.Map.Item.Index}), up to {@code MaxConcurrency} at once on threads of their
     * own; the output is the results in item order. An item that fails fails the Map with its error, unless a
     * DISTRIBUTED Map tolerates it ({@code ToleratedFailureCount}, {@code ToleratedFailurePercentage}): its result is
     * then {@code {"Error", "Cause"}}, and beyond the tolerance the Map fails with
     * {@code States.ExceedToleratedFailureThreshold}. Once the Map has failed, no further item starts.
     */
    private Step map(State state, JsonNode document, ObjectNode context, String execution) {
        JsonNode input = Paths.select(document, state.field("InputPath"));
        int[] retried = new int[state.field("Retry") == null ? 0 : state.field("Retry").size()];
        while (true) {
            try {
                MapRun run = new MapRun(state, Definition.processor(state), input, context, execution);
                JsonNode result = run.results();
                if (state.field("ResultSelector") != null) {
                    result = apply(state.field("ResultSelector"), result, context);
                }
                Step step = leave(state, Paths.place(document, state.field("ResultPath"), result));
                return new Step(step.output(), step.next(), run.summary() + "; " + step.outcome());
            } catch (StatesError e) {
                // States.Runtime matches no Retrier or Catcher: it ends the execution.
                Duration delay = retryDelay(state, e, retried);
                if (delay != null) {
                    listener.retrying(state.name(), e, delay, 1 + Arrays.stream(retried).sum());
                    pause(delay);
                    continue;
                }
                return caught(state, document, e);
            }
        }
    }

    /** One run of a Map state over its items. */
    private final class MapRun {

        private final State state;
        private final Definition processor;
        private final List<JsonNode> items = new ArrayList<>();
        private final List<JsonNode> inputs = new ArrayList<>();
        private final JsonNode[] results;
        private final boolean[] succeededAt;
        private final JsonNode input;
        private final ObjectNode context;
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicReference<StatesError> failure = new AtomicReference<>();
        private final String execution;
        private final int maxConcurrency;
        private final Double toleratedPercentage;
        private final Integer toleratedCount;

        MapRun(State state, Definition processor, JsonNode input, ObjectNode context, String execution) {
            this.state = state;
            this.input = input;
            this.context = context;
            this.processor = processor;
            this.execution = execution;
            JsonNode list = state.field("ItemReader") != null ? read(state, input, context)
                    : state.field("ItemsPath") == null ? input : Paths.read(input, state.text("ItemsPath"));
            if (!list.isArray()) {
                throw new StatesError(StatesError.RUNTIME, "ItemsPath " + (state.text("ItemsPath") == null ? "$" : state.text("ItemsPath"))
                        + " holds " + list.getNodeType() + ", not an array");
            }
            for (int i = 0; i < list.size(); i++) {
                items.add(list.get(i));
                ObjectNode itemContext = context.deepCopy();
                itemContext.putObject("Map").putObject("Item").put("Index", i).set("Value", list.get(i));
                inputs.add(state.field("ItemSelector") == null ? list.get(i)
                        : withinQuota(apply(state.field("ItemSelector"), input, itemContext), "The state '" + state.name()
                                + "' has an item input"));
            }
            this.results = new JsonNode[items.size()];
            this.succeededAt = new boolean[items.size()];
            JsonNode concurrency = setting(state, "MaxConcurrency", input);
            this.maxConcurrency = concurrency == null ? 0 : concurrency.asInt();
            JsonNode percentage = setting(state, "ToleratedFailurePercentage", input);
            this.toleratedPercentage = percentage == null ? null : percentage.asDouble();
            JsonNode count = setting(state, "ToleratedFailureCount", input);
            this.toleratedCount = count == null ? null : count.asInt();
            if (concurrency != null && (!concurrency.canConvertToInt() || !concurrency.isIntegralNumber() || concurrency.asInt() < 0)
                    || percentage != null && (!percentage.isNumber() || toleratedPercentage < 0 || toleratedPercentage > 100)
                    || count != null && (!count.isIntegralNumber() || !count.canConvertToInt() || toleratedCount < 0)) {
                throw new StatesError(StatesError.RUNTIME, "the state '" + state.name() + "': MaxConcurrencyPath must select a whole number"
                        + " >= 0, ToleratedFailurePercentagePath a number from 0 to 100, ToleratedFailureCountPath a whole number >= 0");
            }
        }

        /** {@code field} as the definition gives it, or read from the state's input through {@code <field>Path}; null when neither. */
        private static JsonNode setting(State state, String field, JsonNode input) {
            if (state.field(field + "Path") != null) {
                return Paths.read(input, state.text(field + "Path"));
            }
            return state.field(field);
        }

        /** The items an ItemReader gives: a JSON array, or a CSV file's rows as objects of strings, up to MaxItems. */
        private JsonNode read(State state, JsonNode input, ObjectNode context) {
            JsonNode reader = state.field("ItemReader");
            JsonNode parameters = reader.has("Parameters") ? apply(reader.get("Parameters"), input, context) : Paths.JSON.createObjectNode();
            JsonNode object = resources.run(new TaskResources.TaskCall(state.name(), reader.get("Resource").asText(), parameters, null, 60));
            String body = object.path("Body").asText();
            JsonNode config = reader.get("ReaderConfig");
            var items = Paths.JSON.createArrayNode();
            if (config.path("InputType").asText().equals("JSON")) {
                JsonNode parsed;
                try {
                    parsed = Paths.JSON.readTree(body);
                } catch (JsonProcessingException e) {
                    throw new StatesError("States.ItemReaderFailed", "the ItemReader's object is not JSON: " + e.getOriginalMessage());
                }
                if (parsed == null || !parsed.isArray()) {
                    throw new StatesError("States.ItemReaderFailed", "the ItemReader's JSON object must be an array");
                }
                items.addAll((com.fasterxml.jackson.databind.node.ArrayNode) parsed);
            } else {
                List<List<String>> rows;
                try {
                    rows = Csv.rows(body);
                } catch (IllegalArgumentException e) {
                    throw new StatesError("States.ItemReaderFailed", e.getMessage());
                }
                List<String> headers = new ArrayList<>();
                if (config.path("CSVHeaderLocation").asText().equals("GIVEN")) {
                    config.get("CSVHeaders").forEach(header -> headers.add(header.asText()));
                } else if (!rows.isEmpty()) {
                    headers.addAll(rows.remove(0));
                }
                for (List<String> row : rows) {
                    ObjectNode item = items.addObject();
                    for (int i = 0; i < headers.size(); i++) {
                        item.put(headers.get(i), i < row.size() ? row.get(i) : "");
                    }
                }
            }
            int max = config.path("MaxItems").asInt(0);
            while (max > 0 && items.size() > max) {
                items.remove(items.size() - 1);
            }
            return items;
        }

        JsonNode results() {
            int limit = maxConcurrency;
            int threads = Math.max(1, Math.min(items.size(), limit == 0 ? MAX_MAP_THREADS : limit));
            ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
                Thread thread = new Thread(runnable, "map-" + state.name());
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    int index = i;
                    running.add(pool.submit(() -> iterate(index)));
                }
                for (Future<?> future : running) {
                    future.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StatesError(StatesError.RUNTIME, "the runner was interrupted while " + state.name() + " ran its items");
            } catch (ExecutionException e) {
                throw new IllegalStateException("a Map item failed outside its execution", e.getCause());
            } finally {
                pool.shutdownNow();
            }
            JsonNode written = state.field("ResultWriter") == null ? null : write();
            if (failure.get() != null) {
                throw failure.get();
            }
            if (written != null) {
                return written;
            }
            var array = Paths.JSON.createArrayNode();
            for (JsonNode result : results) {
                array.add(result);
            }
            return withinQuota(array, "The state '" + state.name() + "' has a result");
        }

        /**
         * The results as a Distributed Map's ResultWriter leaves them: {@code <Prefix>/<map run>/SUCCEEDED_0.json} and
         * {@code FAILED_0.json} (each item's execution ARN, name, status, and its input and output as JSON text, or its
         * error and cause) and {@code manifest.json}; the state's result is then where they are, as in Step Functions.
         */
        private JsonNode write() {
            JsonNode parameters = apply(state.field("ResultWriter").path("Parameters"), input, context);
            String bucket = parameters.path("Bucket").asText();
            String prefix = parameters.path("Prefix").asText("");
            String run = UUID.randomUUID().toString();
            String folder = (prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/") + run + "/";
            var succeeded = Paths.JSON.createArrayNode();
            var failedItems = Paths.JSON.createArrayNode();
            for (int i = 0; i < results.length; i++) {
                if (results[i] == null) {
                    continue;
                }
                String name = execution + "-" + state.name() + "-" + i;
                ObjectNode entry = Paths.JSON.createObjectNode().put("ExecutionArn", mapRunArn(run).replace(":mapRun:", ":execution:")
                        + ":" + i).put("Name", name).put("StateMachineArn", mapRunArn(run).replace(":mapRun:", ":stateMachine:"));
                entry.put("Input", inputs.get(i).toString());
                if (succeededAt[i]) {
                    entry.put("Status", "SUCCEEDED").put("Output", results[i].toString());
                    succeeded.add(entry);
                } else {
                    entry.put("Status", "FAILED").put("Error", results[i].path("Error").asText()).put("Cause", results[i].path("Cause").asText());
                    failedItems.add(entry);
                }
            }
            ObjectNode manifest = Paths.JSON.createObjectNode().put("DestinationBucket", bucket).put("MapRunArn", mapRunArn(run));
            ObjectNode files = manifest.putObject("ResultFiles");
            put(bucket, folder + "SUCCEEDED_0.json", succeeded, files.putArray("SUCCEEDED"));
            put(bucket, folder + "FAILED_0.json", failedItems, files.putArray("FAILED"));
            files.putArray("PENDING");
            put(bucket, folder + "manifest.json", manifest, null);
            ObjectNode result = Paths.JSON.createObjectNode().put("MapRunArn", mapRunArn(run));
            result.putObject("ResultWriterDetails").put("Bucket", bucket).put("Key", folder + "manifest.json");
            return result;
        }

        private void put(String bucket, String key, JsonNode body, com.fasterxml.jackson.databind.node.ArrayNode listed) {
            ObjectNode parameters = Paths.JSON.createObjectNode().put("Bucket", bucket).put("Key", key);
            parameters.set("Body", body);
            resources.run(new TaskResources.TaskCall(state.name(), LocalObjects.PUT_OBJECT, parameters, null, 60));
            if (listed != null) {
                listed.addObject().put("Key", key).put("Size", bytes(body));
            }
        }

        private String mapRunArn(String run) {
            return machineArn.replace(":stateMachine:", ":mapRun:") + "/" + state.name() + ":" + run;
        }

        private void iterate(int index) {
            if (failure.get() != null) {
                return;
            }
            WorkflowRunner child = new WorkflowRunner(processor, resources, waitScale, Listener.SILENT, machineArn);
            Execution done = child.run(execution + "-" + state.name() + "-" + index, inputs.get(index));
            finished.incrementAndGet();
            if (done.status() == Status.SUCCEEDED) {
                results[index] = Paths.orNull(done.output());
                succeededAt[index] = true;
                return;
            }
            results[index] = Paths.JSON.createObjectNode().put("Error", done.error()).put("Cause", done.cause());
            int failures = failed.incrementAndGet();
            if (!Definition.distributed(state)) {
                failure.compareAndSet(null, new StatesError(done.error(), done.cause()));
            } else if (beyondTolerance(failures)) {
                failure.compareAndSet(null, new StatesError(StatesError.EXCEED_TOLERATED_FAILURE_THRESHOLD, failures + " of " + items.size() + " items failed, more"
                        + " than the Map tolerates (" + tolerance() + "); the last: " + brief(done.error(), done.cause())));
            }
        }

        /**
         * An item's error in a line: a child execution's own error and cause rather than its whole description (which
         * holds its input), at most 300 characters.
         */
        private static String brief(String error, String cause) {
            String text = error + ": " + cause;
            if (cause != null && cause.startsWith("{")) {
                try {
                    JsonNode description = Paths.JSON.readTree(cause);
                    if (description.has("Error")) {
                        text = error + " (" + description.path("Name").asText("child") + "): " + description.path("Error").asText() + ": "
                                + description.path("Cause").asText("");
                    }
                } catch (JsonProcessingException e) {
                    // not a child's description: as it is
                }
            }
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }

        private boolean beyondTolerance(int failures) {
            if (toleratedCount == null && toleratedPercentage == null) {
                return true;
            }
            boolean overCount = toleratedCount == null || failures > toleratedCount;
            boolean overPercentage = toleratedPercentage == null || 100.0 * failures / items.size() > toleratedPercentage;
            return overCount && overPercentage;
        }

        private String tolerance() {
            List<String> parts = new ArrayList<>();
            if (toleratedCount != null) {
                parts.add("ToleratedFailureCount " + toleratedCount);
            }
            if (toleratedPercentage != null) {
                parts.add("ToleratedFailurePercentage " + toleratedPercentage);
            }
            return parts.isEmpty() ? "none" : String.join(", ", parts);
        }

        String summary() {
            return items.size() + " item(s): " + (finished.get() - failed.get()) + " succeeded, " + failed.get() + " failed";
        }
    }

    /** Runs the resource within the task's timeout; a resource still running then is interrupted and waited for. */
    private JsonNode call(TaskResources.TaskCall call) {
        AtomicReference<JsonNode> result = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                result.set(resources.run(call));
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "task-" + call.state());
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(Duration.ofSeconds(call.timeoutSeconds()).toMillis());
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join();
                throw new StatesError(StatesError.TIMEOUT, "the task ran longer than its TimeoutSeconds (" + call.timeoutSeconds() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatesError(StatesError.RUNTIME, "the runner was interrupted while " + call.state() + " ran");
        }
        if (failure.get() instanceof StatesError error) {
            throw error;
        }
        if (failure.get() != null) {
            throw new StatesError(failure.get().getClass().getName(), String.valueOf(failure.get().getMessage()));
        }
        return Paths.orNull(result.get());
    }

    /** The delay before the next attempt, or null when no Retrier (or no attempt left) handles {@code error}. */
    private static Duration retryDelay(State state, StatesError error, int[] retried) {
        JsonNode retriers = state.field("Retry");
        if (retriers == null) {
            return null;
        }
        for (int i = 0; i < retriers.size(); i++) {
            JsonNode retrier = retriers.get(i);
            if (!handles(retrier, error)) {
                continue;
            }
            int maxAttempts = retrier.path("MaxAttempts").asInt(3);
            if (retried[i] >= maxAttempts) {
                return null;
            }
            double seconds = retrier.path("IntervalSeconds").asDouble(1) * Math.pow(retrier.path("BackoffRate").asDouble(2.0), retried[i]);
            if (retrier.has("MaxDelaySeconds")) {
                seconds = Math.min(seconds, retrier.get("MaxDelaySeconds").asDouble());
            }
            if (retrier.path("JitterStrategy").asText("NONE").equals("FULL")) {
                seconds = ThreadLocalRandom.current().nextDouble() * seconds;
            }
            retried[i]++;
            return Duration.ofMillis(Math.round(seconds * 1000));
        }
        return null;
    }

    private static JsonNode catcher(State state, StatesError error) {
        JsonNode catchers = state.field("Catch");
        if (catchers == null) {
            return null;
        }
        for (JsonNode catcher : catchers) {
            if (handles(catcher, error)) {
                return catcher;
            }
        }
        return null;
    }

    private static boolean handles(JsonNode handler, StatesError error) {
        for (JsonNode name : handler.get("ErrorEquals")) {
            if (error.matches(name.asText())) {
                return true;
            }
        }
        return false;
    }

    private Step choice(State state, JsonNode document, JsonNode context) {
        JsonNode input = Paths.select(document, state.field("InputPath"));
        for (JsonNode rule : state.field("Choices")) {
            if (Choices.holds(rule, input, context)) {
                String next = rule.get("Next").asText();
                return new Step(Paths.select(input, state.field("OutputPath")), next, "-> " + next);
            }
        }
        String fallback = state.text("Default");
        if (fallback == null) {
            throw new StatesError(StatesError.NO_CHOICE_MATCHED, "no Choice rule matched and there is no Default");
        }
        return new Step(Paths.select(input, state.field("OutputPath")), fallback, "-> " + fallback + " (Default)");
    }

    private Step await(State state, JsonNode document) {
        JsonNode input = Paths.select(document, state.field("InputPath"));
        Duration wait;
        if (state.field("Seconds") != null) {
            wait = Duration.ofSeconds(state.field("Seconds").asLong());
        } else if (state.field("SecondsPath") != null) {
            JsonNode seconds = Paths.read(input, state.text("SecondsPath"));
            if (!seconds.canConvertToLong() || !seconds.isIntegralNumber() || seconds.asLong() < 0) {
                throw new StatesError(StatesError.RUNTIME, "SecondsPath " + state.text("SecondsPath") + " holds " + seconds
                        + ", not a whole number of seconds >= 0");
            }
            wait = Duration.ofSeconds(seconds.asLong());
        } else {
            JsonNode stamp = state.field("Timestamp") != null ? state.field("Timestamp") : Paths.read(input, state.text("TimestampPath"));
            try {
                wait = Duration.between(Instant.now(), OffsetDateTime.parse(stamp.asText()).toInstant());
            } catch (DateTimeParseException e) {
                throw new StatesError(StatesError.RUNTIME, "'" + stamp.asText() + "' is not an ISO-8601 timestamp");
            }
            wait = wait.isNegative() ? Duration.ZERO : wait;
        }
        Duration scaled = pause(wait);
        Step step = leave(state, input);
        return new Step(step.output(), step.next(), step.outcome() + " after waiting " + scaled.toMillis() + " ms ("
                + wait.toSeconds() + " s scaled by " + waitScale + ")");
    }

    private static StatesError fail(State state, JsonNode document) {
        String error = state.field("ErrorPath") != null ? Paths.read(document, state.text("ErrorPath")).asText() : state.text("Error");
        String cause = state.field("CausePath") != null ? Paths.read(document, state.text("CausePath")).asText() : state.text("Cause");
        return new StatesError(error == null ? "States.Fail" : error, cause == null ? "" : cause);
    }

    private static Step leave(State state, JsonNode afterResult) {
        JsonNode output = Paths.select(afterResult, state.field("OutputPath"));
        String next = state.text("Next");
        return new Step(output, next, next == null ? "end" : "-> " + next);
    }

    /** Fills a Parameters or ResultSelector template: {@code name.$} fields take a path's value or an intrinsic's. */
    static JsonNode apply(JsonNode template, JsonNode input, JsonNode context) {
        if (template.isArray()) {
            var array = Paths.JSON.createArrayNode();
            template.forEach(item -> array.add(apply(item, input, context)));
            return array;
        }
        if (!template.isObject()) {
            return template;
        }
        ObjectNode out = Paths.JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (!key.endsWith(".$")) {
                out.set(key, apply(field.getValue(), input, context));
                continue;
            }
            String expression = field.getValue().asText();
            JsonNode value;
            if (Intrinsics.isCall(expression)) {
                value = Intrinsics.evaluate(Intrinsics.parse(expression), path -> resolve(path, input, context));
            } else {
                value = resolve(expression, input, context);
            }
            out.set(key.substring(0, key.length() - 2), value);
        }
        return out;
    }

    private static JsonNode resolve(String path, JsonNode input, JsonNode context) {
        return path.startsWith("$$") ? Paths.read(context, path.substring(1)) : Paths.read(input, path);
    }

    private Duration pause(Duration wait) {
        Duration scaled = Duration.ofMillis(Math.round(wait.toMillis() * waitScale));
        if (!scaled.isZero()) {
            try {
                Thread.sleep(scaled.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StatesError(StatesError.RUNTIME, "the runner was interrupted during a wait");
            }
        }
        return scaled;
    }

    /** {@code value}, or {@code States.DataLimitExceeded} when its JSON is over the payload quota. */
    private static JsonNode withinQuota(JsonNode value, String what) {
        int size = bytes(value);
        if (size > MAX_PAYLOAD_BYTES) {
            throw new StatesError(StatesError.DATA_LIMIT_EXCEEDED, what + " of " + size + " bytes, exceeding the maximum number of bytes"
                    + " service limit (" + MAX_PAYLOAD_BYTES + ")");
        }
        return value;
    }

    private static int bytes(JsonNode value) {
        try {
            return value == null ? 0 : Paths.JSON.writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static long millis(long startNanos) {
        return elapsed(startNanos).toMillis();
    }
}
