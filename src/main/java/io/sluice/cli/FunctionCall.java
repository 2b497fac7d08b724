package io.sluice.cli;

import java.io.IOException;
import java.time.Duration;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.workflow.HandlerInvocation;

/**
 * One call of a function's handler in this process, as Lambda makes it: the event in, the result document out, or the
 * function's error ({@code errorType}, {@code errorMessage}). What {@code --json} prints is this document, unchanged.
 */
record FunctionCall(JsonNode result, String errorType, String errorMessage) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The longest a command may run: Lambda's limit, as the functions have it. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(io.sluice.workflow.LocalResources.LAMBDA_MAX_SECONDS);

    static FunctionCall of(RequestStreamHandler handler, String function, ObjectNode event) {
        try {
            byte[] result = HandlerInvocation.invoke(handler, function, JSON.writeValueAsBytes(event),
                    System.currentTimeMillis() + TIME_LIMIT.toMillis());
            return new FunctionCall(JSON.readTree(result), null, null);
        } catch (HandlerInvocation.FunctionError e) {
            try {
                JsonNode error = JSON.readTree(e.payload());
                return new FunctionCall(error, e.errorType(), error.path("errorMessage").asText());
            } catch (IOException unreadable) {
                return new FunctionCall(null, e.errorType(), e.payload());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("a handler's result that is not JSON", e);
        }
    }

    boolean failed() {
        return errorType != null;
    }

    /** The error as one line: its simple type and whole message. */
    String errorLine() {
        return errorType.substring(errorType.lastIndexOf('.') + 1) + ": " + errorMessage;
    }
}
