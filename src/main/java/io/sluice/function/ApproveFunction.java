package io.sluice.function;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.sluice.approval.ApproveCommand;
import io.sluice.event.ApproveRequest;

/**
 * Lambda handler {@code approve}, behind its function URL ({@code AWS_IAM} auth): a request whose body is an
 * {@link ApproveRequest}, from the principal who votes; an HTTP response with the {@link io.sluice.event.ApproveReport}.
 */
@Named("approve")
public class ApproveFunction implements RequestStreamHandler {

    private final ApproveCommand command;
    private final FunctionBoundary boundary;

    @Inject
    public ApproveFunction(ApproveCommand command, FunctionBoundary boundary) {
        this.command = command;
        this.boundary = boundary;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        boundary.handleUrl("approve", input, output, ApproveRequest.class, command::run);
    }
}
