package io.sluice.workflow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.UUID;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One invocation of a handler in this process, as Lambda makes it: the payload in, the result out, or a function error
 * whose type is the exception's class and whose payload is Lambda's error document ({@code errorMessage},
 * {@code errorType}, {@code stackTrace}); the context gives the time left until {@code deadline}.
 */
public final class HandlerInvocation {

    /** A handler's exception, as Lambda reports it: Step Functions names the error by its type. */
    public static final class FunctionError extends Exception {

        private final String errorType;
        private final String payload;

        FunctionError(String errorType, String payload) {
            super(errorType, null, false, false);
            this.errorType = errorType;
            this.payload = payload;
        }

        public String errorType() {
            return errorType;
        }

        /** Lambda's error document, JSON. */
        public String payload() {
            return payload;
        }
    }

    private HandlerInvocation() {
    }

    /**
     * @param function   the function's ARN (or name)
     * @param deadlineMs epoch milliseconds at which the invocation times out
     */
    public static byte[] invoke(RequestStreamHandler handler, String function, byte[] payload, long deadlineMs) throws FunctionError {
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(payload), result,
                    new InvocationContext(function, UUID.randomUUID().toString(), deadlineMs));
        } catch (RuntimeException | IOException e) {
            ObjectNode error = Paths.JSON.createObjectNode();
            error.put("errorMessage", String.valueOf(e.getMessage()));
            error.put("errorType", e.getClass().getName());
            error.putArray("stackTrace");
            throw new FunctionError(e.getClass().getName(), error.toString());
        }
        return result.toByteArray();
    }

    /** The Lambda context a handler sees: its function, the request id, the time left before the task's timeout. */
    private record InvocationContext(String function, String requestId, long deadline) implements Context {

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/local";
        }

        @Override
        public String getLogStreamName() {
            return "local";
        }

        @Override
        public String getFunctionName() {
            return function.substring(function.lastIndexOf(':') + 1);
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return function;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(1, deadline - System.currentTimeMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return null;
        }
    }
}
