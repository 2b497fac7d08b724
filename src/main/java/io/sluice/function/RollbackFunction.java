package io.sluice.function;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.sluice.command.RollbackCommand;
import io.sluice.event.RollbackRequest;

/** Lambda handler {@code rollback}: {@link RollbackRequest} in, {@link io.sluice.event.RollbackReport} out. */
@Named("rollback")
public class RollbackFunction implements RequestStreamHandler {

    private final RollbackCommand command;
    private final FunctionBoundary boundary;

    @Inject
    public RollbackFunction(RollbackCommand command, FunctionBoundary boundary) {
        this.command = command;
        this.boundary = boundary;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        boundary.handle("rollback", input, output, RollbackRequest.class, request -> command.run(request, Invocations.timeLeft(context)),
                context);
    }
}
