package io.sluice.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sluice.roles.OwnRoles;
import io.sluice.catalog.SchemaCatalog;
import io.sluice.config.SluiceConfig;
import io.sluice.error.Echo;
import io.sluice.error.SluiceException;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.ExportRequest;
import io.sluice.event.LintFinding;
import io.sluice.event.MigrationSource;
import io.sluice.event.PreflightRequest;
import io.sluice.event.ReversibilityCheck;
import io.sluice.event.SchemaDifference;
import io.sluice.event.SchemaFileReport;
import io.sluice.files.FileRoots;
import io.sluice.lint.LintPolicy;
import io.sluice.lint.Linter;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;
import io.sluice.scratch.ReversibilityProver;
import io.sluice.schemafile.MigrationGenerator;
import io.sluice.schemafile.SchemaBuilds;
import io.sluice.schemafile.SchemaExport;

/**
 * {@code sluice schema}: the schema as a file, for a laptop and for pull requests. Every command builds what it
 * compares in scratch databases on the PostgreSQL server {@code --database} names (the user needs {@code CREATEDB};
 * the password comes from {@code PGPASSWORD}), never in the database itself.
 *
 * <pre>
 * schema export   --database URL --user USER --migrations FOLDER [--version latest|N|live] [--output FILE]
 * schema check    --database URL --user USER --migrations FOLDER --schema-file FILE
 * schema generate --database URL --user USER --migrations FOLDER --desired FILE --name NAME [--output FOLDER]
 * </pre>
 * Exit codes: 0 done (export), the file matches (check), clean scripts written (generate); 1 the file differs, or the
 * generated scripts are not clean (not provably reversible, lint errors, a difference left) and are not written; 2 a
 * usage or read error.
 */
public final class SchemaCommandLine {

    public static final int DONE = 0;
    public static final int DIFFERS = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: schema export   --database URL --user USER --migrations FOLDER [--version latest|N|live] [--output FILE]
                   schema check    --database URL --user USER --migrations FOLDER --schema-file FILE
                   schema generate --database URL --user USER --migrations FOLDER --desired FILE --name NAME [--output FOLDER]
            The password is read from PGPASSWORD.""";

    private SchemaCommandLine() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    private record Options(String command, String url, String user, String migrations, String version, Path output, Path schemaFile,
            Path desired, String name) {
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            err.println("schema: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String password = environment.get("PGPASSWORD");
        if (password == null || password.isEmpty()) {
            err.println("schema: set PGPASSWORD to the password of " + options.user());
            return USAGE;
        }
        try {
            Path folder = Path.of(options.migrations()).toAbsolutePath().normalize();
            List<String> roots = new ArrayList<>(List.of(folder.toString()));
            for (Path file : new Path[] {options.schemaFile(), options.desired()}) {
                if (file != null) {
                    roots.add(file.toAbsolutePath().normalize().getParent().toString());
                }
            }
            SluiceConfig config = LocalFunctions.config("prod", Map.of("sluice.database.event-credentials", "true",
                    "sluice.files.roots", String.join(",", roots)));
            DatabaseConnector connector = new DatabaseConnector(config, OwnRoles.LOCAL);
            SchemaCatalog catalog = new SchemaCatalog(config);
            ScriptSet scripts = new ScriptLoader(FileRoots.of(roots)).load(MigrationSource.parse("filesystem:" + folder));
            DatabaseTarget server = new DatabaseTarget(options.url(), options.user(), password);
            SchemaBuilds builds = new SchemaBuilds(connector, catalog.reader(), config.migrate());
            SchemaExport export = new SchemaExport(builds, catalog.reader(), FileRoots.of(roots));
            return switch (options.command()) {
                case "export" -> export(options, server, scripts, export, connector, out);
                case "check" -> check(options, server, scripts, export, out);
                default -> generate(options, server, scripts, new MigrationGenerator(connector, catalog.reader(), builds,
                        new ReversibilityProver(connector, catalog, config.migrate()), new Linter(LintPolicy.from(config.lint())),
                        config.migrate()), folder, out);
            };
        } catch (SluiceException e) {
            err.println("schema: " + e.getMessage());
            return USAGE;
        } catch (IOException | java.sql.SQLException | RuntimeException e) {
            err.println("schema: " + Echo.value(e.getMessage()));
            return USAGE;
        }
    }

    private static int export(Options options, DatabaseTarget server, ScriptSet scripts, SchemaExport export, DatabaseConnector connector,
            PrintStream out) throws IOException, java.sql.SQLException {
        ExportRequest request = new ExportRequest(null, server, scripts.source(), null, options.version(), null, null);
        SchemaFileReport report;
        try (var connection = connector.open(server, java.time.Duration.ofMinutes(5))) {
            report = export.export(request, connection, scripts);
        }
        if (options.output() == null) {
            out.print(report.sql());
        } else {
            Files.writeString(options.output(), report.sql(), StandardCharsets.UTF_8);
            out.printf("%s: %d object(s), the %s%s (sha256 %s); history built in %d ms, read in %d ms%n", options.output(), report.objects(),
                    report.source(), report.version() == null ? "" : " at version " + report.version(), report.sha256(), report.buildMs(),
                    report.readMs());
        }
        return DONE;
    }

    private static int check(Options options, DatabaseTarget server, ScriptSet scripts, SchemaExport export, PrintStream out)
            throws java.sql.SQLException {
        PreflightRequest request = new PreflightRequest(null, server, scripts.source(), null, null, null, null, null, null, null, null);
        SchemaExport.Checked checked = export.check(request, io.sluice.event.FileLocation.parse("filesystem:"
                + options.schemaFile().toAbsolutePath().normalize()), scripts, request.schema());
        SchemaFileReport report = checked.report();
        if (Boolean.TRUE.equals(report.equal())) {
            out.printf("%s describes the schema the migrations produce (version %s, %d objects); history built in %d ms, file in %d ms%n",
                    options.schemaFile(), report.version(), report.objects(), report.buildMs(), report.fileMs());
            return DONE;
        }
        out.printf("%s does not describe the schema the migrations produce (version %s): %d difference(s)%n", options.schemaFile(),
                report.version(), report.differences().size());
        for (SchemaDifference difference : report.differences()) {
            out.println("  " + Echo.line(difference.summary()));
        }
        out.println("SQL that brings the file's schema to the history's:");
        out.print(report.reconcileScript());
        out.println("Regenerate the file with: schema export --version latest --output " + options.schemaFile());
        return DIFFERS;
    }

    private static int generate(Options options, DatabaseTarget server, ScriptSet scripts, MigrationGenerator generator, Path folder,
            PrintStream out) throws IOException, java.sql.SQLException {
        PreflightRequest request = new PreflightRequest(null, server, scripts.source(), null, null, null, null, null, null, null, null);
        MigrationGenerator.Outcome outcome = generator.generate(request, scripts, Files.readString(options.desired()), options.name());
        if (outcome.scripts().isEmpty()) {
            out.println("the migrations already produce the desired schema (version " + outcome.fromVersion() + "): nothing to generate");
            return DONE;
        }
        Path target = options.output() != null ? options.output() : folder;
        for (MigrationGenerator.Generated script : outcome.scripts()) {
            out.printf("%s (%s) and %s%n", script.name(), script.phase().toString().toLowerCase(java.util.Locale.ROOT), script.undo());
        }
        outcome.notes().forEach(note -> out.println("note: " + note));
        for (ReversibilityCheck check : outcome.proof()) {
            out.printf("proof: %s %s%s%n", check.script(), Boolean.TRUE.equals(check.reversible()) ? "reversible" : "NOT reversible",
                    check.message() == null ? "" : ": " + check.message());
        }
        for (LintFinding finding : outcome.lint().findings()) {
            out.printf("lint: %s:%d: %s [%s] %s%n", finding.script(), finding.line(), finding.severity().toLowerCase(java.util.Locale.ROOT),
                    finding.rule(), Echo.line(finding.message()));
        }
        if (!outcome.clean()) {
            out.println("not written: the scripts are not clean (above); edit the desired schema or write these steps by hand");
            return DIFFERS;
        }
        Files.createDirectories(target);
        for (MigrationGenerator.Generated script : outcome.scripts()) {
            Files.writeString(target.resolve(script.name()), script.sql(), StandardCharsets.UTF_8);
            Files.writeString(target.resolve(script.undo()), script.undoSql(), StandardCharsets.UTF_8);
        }
        out.printf("written to %s: %d pair(s) after version %s, each proven reversible, no lint error%n", target, outcome.scripts().size(),
                outcome.fromVersion());
        return DONE;
    }

    private static Options options(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && rest.get(0).equals("schema")) {
            rest.remove(0);
        }
        if (rest.isEmpty() || !List.of("export", "check", "generate").contains(rest.get(0))) {
            throw new IllegalArgumentException("name a command: export, check or generate");
        }
        String command = rest.remove(0);
        String url = null;
        String user = null;
        String migrations = null;
        String version = null;
        Path output = null;
        Path schemaFile = null;
        Path desired = null;
        String name = null;
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            switch (arg) {
                case "--database" -> url = OptionValues.value(rest, ++i, arg);
                case "--user" -> user = OptionValues.value(rest, ++i, arg);
                case "--migrations" -> migrations = OptionValues.value(rest, ++i, arg);
                case "--version" -> version = OptionValues.value(rest, ++i, arg);
                case "--output" -> output = Path.of(OptionValues.value(rest, ++i, arg));
                case "--schema-file" -> schemaFile = Path.of(OptionValues.value(rest, ++i, arg));
                case "--desired" -> desired = Path.of(OptionValues.value(rest, ++i, arg));
                case "--name" -> name = OptionValues.value(rest, ++i, arg);
                default -> throw new IllegalArgumentException("unexpected argument '" + Echo.value(arg) + "'");
            }
        }
        if (url == null || user == null || migrations == null) {
            throw new IllegalArgumentException("--database, --user and --migrations are required");
        }
        if (command.equals("check") && schemaFile == null) {
            throw new IllegalArgumentException("check needs --schema-file");
        }
        if (command.equals("generate") && (desired == null || name == null)) {
            throw new IllegalArgumentException("generate needs --desired and --name");
        }
        if (!command.equals("export") && version != null) {
            throw new IllegalArgumentException("--version is export's");
        }
        return new Options(command, url, user, migrations, version, output, schemaFile, desired, name);
    }
}
