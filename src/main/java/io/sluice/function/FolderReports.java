package io.sluice.function;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.sluice.error.Echo;

/**
 * Full reports of a local run in a folder, as the deployed functions keep them in S3:
 * {@code <folder>/<deploymentId>/<function>-<UTC time>.json}.
 */
public final class FolderReports implements FullReports {

    private static final Logger LOG = Logger.getLogger(FolderReports.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path folder;

    public FolderReports(Path folder) {
        this.folder = folder;
    }

    /** Reports in {@code sluice-reports} under the temporary folder: where a cut result's whole report goes when nothing else is configured. */
    public static FolderReports temporary() {
        return new FolderReports(Path.of(System.getProperty("java.io.tmpdir"), "sluice-reports"));
    }

    @Override
    public Optional<String> keep(String function, String deploymentId, byte[] report) {
        Path file = folder.resolve(deploymentId.replaceAll("[^A-Za-z0-9._-]", "-")).resolve(function + "-" + STAMP.format(Instant.now())
                + ".json");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, report);
            return Optional.of(file.toAbsolutePath().toString());
        } catch (IOException e) {
            LOG.warnf("the full report of %s could not be written to %s: %s", function, file, Echo.value(e.getMessage()));
            return Optional.empty();
        }
    }
}
