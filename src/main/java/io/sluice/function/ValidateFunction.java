package io.sluice.function;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.sluice.command.ValidateCommand;
import io.sluice.event.ValidateRequest;

/** Lambda handler {@code validate}: {@link ValidateRequest} in, {@link io.sluice.event.ValidateReport} out. */
@Named("validate")
public class ValidateFunction implements RequestStreamHandler {

    private final ValidateCommand command;
    private final FunctionBoundary boundary;

    @Inject
    public ValidateFunction(ValidateCommand command, FunctionBoundary boundary) {
        this.command = command;
        this.boundary = boundary;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        boundary.handle("validate", input, output, ValidateRequest.class, request -> command.run(request), context);
    }
}
