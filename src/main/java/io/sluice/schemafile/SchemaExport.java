package io.sluice.schemafile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.sluice.catalog.CatalogReader;
import io.sluice.catalog.SchemaDiff;
import io.sluice.catalog.Snapshot;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.ExportRequest;
import io.sluice.event.FileLocation;
import io.sluice.event.Finding;
import io.sluice.event.Finding.Severity;
import io.sluice.event.FindingCode;
import io.sluice.event.Request;
import io.sluice.event.SchemaDifference;
import io.sluice.event.SchemaFileReport;
import io.sluice.event.SchemaName;
import io.sluice.event.TargetVersion;
import io.sluice.files.FileRoots;
import io.sluice.migration.ScriptSet;

/**
 * The two uses of a schema file in {@code validate}: {@code export} writes one (the history's schema at a version,
 * built in a scratch database, or the live database's), and preflight's {@code schemaFile} checks a checked-in one
 * against the schema the history produces with every pending script: equal, or each difference with the SQL that
 * brings the file's schema to the history's, and the file as it should read.
 */
public final class SchemaExport {

    private static final Logger LOG = Logger.getLogger(SchemaExport.class);
    /** Differences named in findings; the report has them all. */
    private static final int NAMED = 20;

    /** A check's report and the findings it adds. */
    public record Checked(SchemaFileReport report, List<Finding> findings) {
    }

    private final SchemaBuilds builds;
    private final CatalogReader catalog;
    private final FileRoots roots;

    public SchemaExport(SchemaBuilds builds, CatalogReader catalog, FileRoots roots) {
        this.builds = builds;
        this.catalog = catalog;
        this.roots = roots;
    }

    /** {@code export}: the schema file of the history at the request's version, or of the live database. */
    public SchemaFileReport export(ExportRequest request, Connection live, ScriptSet scripts) throws SQLException {
        if (request.live()) {
            long reading = System.nanoTime();
            Snapshot snapshot = catalog.read(live);
            return report("live", null, snapshot, 0, millis(reading));
        }
        if (!request.target().isLatest() && scripts.versioned(org.flywaydb.core.api.MigrationVersion.fromVersion(request.version())).isEmpty()) {
            throw new InvalidRequest("field 'version': no versioned script has version " + Echo.value(request.version())
                    + (scripts.latestVersion() == null ? " (there is none)" : " (the scripts go up to " + scripts.latestVersion() + ")")
                    + "; give one of theirs, 'latest' or 'live'");
        }
        SchemaBuilds.Built built = builds.history(request, scripts, request.schema(), request.target());
        return report("history", built.version(), built.snapshot(), built.buildMs(), built.readMs());
    }

    /** Preflight's {@code schemaFile}: the checked-in file against the schema the whole history produces. */
    public Checked check(Request request, FileLocation file, ScriptSet scripts, SchemaName schema) throws SQLException {
        String sql = read(file);
        String where = "field 'schemaFile' (" + file + ")";
        SchemaBuilds.Built history = builds.history(request, scripts, schema, TargetVersion.LATEST);
        SchemaBuilds.Built described = builds.file(request, sql, where);
        List<SchemaDifference> differences = SchemaDiff.between(history.snapshot(), described.snapshot());
        String expected = SchemaFile.render(history.snapshot());
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < differences.size() && i < NAMED; i++) {
            SchemaDifference difference = differences.get(i);
            findings.add(Finding.of(Severity.ERROR, FindingCode.SCHEMA_FILE_DIFFERS, history.version(), null, file + " and the history"
                    + " differ: " + difference.kind() + " " + difference.name() + (switch (difference.change()) {
                        case ADDED -> " is in the file, not in the history";
                        case REMOVED -> " is in the history, not in the file";
                        case CHANGED -> " differs " + difference.attributes().keySet();
                    }) + "; regenerate the file (validate mode export) or change the migrations"));
        }
        if (differences.size() > NAMED) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.SCHEMA_FILE_DIFFERS, history.version(), null, (differences.size() - NAMED)
                    + " more differences: see schemaFile.differences in the report"));
        }
        LOG.infof("schema file %s: %s the history at version %s (%d difference(s); history built in %d ms, file in %d ms)", file,
                differences.isEmpty() ? "describes" : "does not describe", history.version(), differences.size(), history.buildMs(),
                described.buildMs());
        SchemaFileReport report = new SchemaFileReport(file.toString(), history.version(), history.snapshot().size(),
                Snapshot.sha256(expected), expected, differences.isEmpty(), differences,
                differences.isEmpty() ? null : SchemaDiff.reconcileScript(differences), history.buildMs(), described.buildMs(),
                history.readMs() + described.readMs());
        return new Checked(report, findings);
    }

    private static SchemaFileReport report(String source, String version, Snapshot snapshot, long buildMs, long readMs) {
        String sql = SchemaFile.render(snapshot);
        return new SchemaFileReport(source, version, snapshot.size(), Snapshot.sha256(sql), sql, null, null, null, buildMs, null, readMs);
    }

    /** The file's text, from under the file roots or the function's classpath. */
    private String read(FileLocation file) {
        try {
            if (!file.classpath()) {
                return Files.readString(roots.file(file.path(), "schemaFile"), StandardCharsets.UTF_8);
            }
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(file.path())) {
                if (in == null) {
                    throw new InvalidRequest("field 'schemaFile': " + file + " does not exist in this function");
                }
                return new String(in.readNBytes(SchemaFile.MAX_CHARS * 4 + 1), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new InvalidRequest("field 'schemaFile': " + file + " cannot be read: " + Echo.value(e.getMessage()), e);
        }
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
