package io.sluice.function;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.sluice.command.CanaryCommand;
import io.sluice.event.CanaryCheckRequest;

/** Lambda handler {@code canary-check}: {@link CanaryCheckRequest} in, {@link io.sluice.event.CanaryReport} out. */
@Named("canary-check")
public class CanaryCheckFunction implements RequestStreamHandler {

    private final CanaryCommand command;
    private final FunctionBoundary boundary;

    @Inject
    public CanaryCheckFunction(CanaryCommand command, FunctionBoundary boundary) {
        this.command = command;
        this.boundary = boundary;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        boundary.handle("canary-check", input, output, CanaryCheckRequest.class, command::run);
    }
}
