package io.sluice.function;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.sluice.command.HealthCommand;
import io.sluice.event.HealthRequest;

/** Lambda handler {@code health}: {@link HealthRequest} in, SmallRye Health's document ({@link io.sluice.event.HealthReport}) out. */
@Named("health")
public class HealthFunction implements RequestStreamHandler {

    private final HealthCommand command;
    private final FunctionBoundary boundary;

    @Inject
    public HealthFunction(HealthCommand command, FunctionBoundary boundary) {
        this.command = command;
        this.boundary = boundary;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        boundary.handle("health", input, output, HealthRequest.class, command::run);
    }
}
