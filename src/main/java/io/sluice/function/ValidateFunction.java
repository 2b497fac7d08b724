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
    private final EventCodec codec;

    @Inject
    public ValidateFunction(ValidateCommand command, EventCodec codec) {
        this.command = command;
        this.codec = codec;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        LogContext.begin("validate");
        ValidateRequest request = codec.read(input, ValidateRequest.class);
        LogContext.deployment(request.deploymentId());
        codec.write(output, command.run(request));
    }
}
