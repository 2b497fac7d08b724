package io.sluice.function;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.sluice.event.UpgradeRequest;
import io.sluice.upgrade.UpgradeCommand;

/**
 * Lambda handler {@code upgrade}, invoked by the upgrade state machine: {@link UpgradeRequest} in; a
 * {@link io.sluice.upgrade.BlueGreen}, {@link io.sluice.upgrade.GreenReport} or {@link io.sluice.upgrade.UpgradeCleanup}
 * out.
 */
@Named("upgrade")
public class UpgradeFunction implements RequestStreamHandler {

    private final UpgradeCommand command;
    private final FunctionBoundary boundary;

    @Inject
    public UpgradeFunction(UpgradeCommand command, FunctionBoundary boundary) {
        this.command = command;
        this.boundary = boundary;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        boundary.handle("upgrade", input, output, UpgradeRequest.class, command::run);
    }
}
