package io.sluice.function;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.sluice.event.FleetRequest;
import io.sluice.fleet.FleetCommand;

/**
 * Lambda handler {@code fleet}, invoked by the fleet state machine (and, in mode {@code approval}, by the pipeline):
 * {@link FleetRequest} in; a {@link io.sluice.fleet.WavePlan}, {@link io.sluice.fleet.FleetSummary} or
 * {@link io.sluice.fleet.FleetApproval} out.
 */
@Named("fleet")
public class FleetFunction implements RequestStreamHandler {

    private final FleetCommand command;
    private final FunctionBoundary boundary;

    @Inject
    public FleetFunction(FleetCommand command, FunctionBoundary boundary) {
        this.command = command;
        this.boundary = boundary;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        boundary.handle("fleet", input, output, FleetRequest.class, command::run);
    }
}
