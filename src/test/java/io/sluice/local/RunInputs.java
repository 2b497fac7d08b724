package io.sluice.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.workflow.Redaction;

/**
 * The input a local run is given, which holds the embedded databases' passwords: the run reads it from a file only
 * its user may read, deleted when the JVM ends; what stays beside the run's results ({@code record}) has them taken
 * out.
 */
final class RunInputs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunInputs() {
    }

    /** Writes {@code input} redacted to {@code record}; returns the file holding it whole, for the runner's {@code --input}. */
    static Path write(Path record, JsonNode input) throws IOException {
        Files.writeString(record, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(new Redaction().redacted(input)));
        Path whole = Files.createTempFile("sluice-input-", ".json", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        whole.toFile().deleteOnExit();
        Files.writeString(whole, JSON.writeValueAsString(input));
        return whole;
    }
}
