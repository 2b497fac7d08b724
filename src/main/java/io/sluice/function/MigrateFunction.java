package io.sluice.function;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.sluice.command.MigrateCommand;
import io.sluice.event.MigrateRequest;

/** Lambda handler {@code migrate}: {@link MigrateRequest} in, {@link io.sluice.event.MigrateReport} out. */
@Named("migrate")
public class MigrateFunction implements RequestStreamHandler {

    private final MigrateCommand command;
    private final FunctionBoundary boundary;

    @Inject
    public MigrateFunction(MigrateCommand command, FunctionBoundary boundary) {
        this.command = command;
        this.boundary = boundary;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        boundary.handle("migrate", input, output, MigrateRequest.class, request -> command.run(request, Invocations.timeLeft(context)));
    }
}
