package io.sluice.function;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.sluice.approval.StartCommand;
import io.sluice.event.StartRequest;

/**
 * Lambda handler {@code start}, behind its function URL ({@code AWS_IAM} auth): a request whose body is the pipeline's
 * input ({@link StartRequest}); it records the caller as the execution's starter and starts it. An HTTP response with
 * the {@link io.sluice.event.StartReport}.
 */
@Named("start")
public class StartFunction implements RequestStreamHandler {

    private final StartCommand command;
    private final FunctionBoundary boundary;

    @Inject
    public StartFunction(StartCommand command, FunctionBoundary boundary) {
        this.command = command;
        this.boundary = boundary;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        boundary.handleUrl("start", input, output, StartRequest.class, command::run);
    }
}
