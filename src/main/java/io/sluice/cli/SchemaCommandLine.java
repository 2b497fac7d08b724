package io.sluice.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
 * compares in scratch databases on the PostgreSQL server {@code --url} names (the user needs {@code CREATEDB}; the
 * password from {@code SLUICE_PASSWORD}, {@code FLYWAY_PASSWORD} or {@code PGPASSWORD}, or the project's files as
 * {@link Project} reads them), never in the database itself.
 *
 * <pre>
 * schema export   --url URL --user USER --migrations FOLDER [--version latest|N|live] [--output FILE]
 * schema check    --url URL --user USER --migrations FOLDER --schema-file FILE
 * schema generate --url URL --user USER --migrations FOLDER --desired FILE --name NAME [--output FOLDER]
 * </pre>
 * Exit codes: 0 done (export), the file matches (check), clean scripts written (generate); 1 the file differs, or the
 * generated scripts are not clean (not provably reversible, lint errors, a difference left) and are not written; 2 a
 * usage or read error; 3 the server cannot be reached or refuses the credentials.
 */
@Command(name = "schema", mixinStandardHelpOptions = true, description = "The schema as a file: export it, check it, generate"
        + " migrations from an edited copy.", subcommands = {SchemaCommandLine.Export.class, SchemaCommandLine.Check.class,
                SchemaCommandLine.Generate.class})
public final class SchemaCommandLine implements Runnable {

    public static final int DONE = 0;
    public static final int DIFFERS = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: export, check or generate");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs {@code schema} with {@code args} (with or without the leading {@code schema}); returns the exit code. */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return Sluice.run(Sluice.under("schema", args), new Sluice.Console(environment, out, err, Path.of("").toAbsolutePath(), false));
    }

    /** What every schema command takes: the server, the scripts, the project's files. */
    abstract static class SchemaCommand implements Callable<Integer> {

        final Sluice.Console console;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"--url", "--database"}, paramLabel = "JDBC_URL", description = "the server scratch databases are built on"
                + " (SLUICE_URL, FLYWAY_URL, flyway.url)")
        String url;

        @Option(names = "--user", description = "a role with CREATEDB (SLUICE_USER, FLYWAY_USER, flyway.user)")
        String user;

        @Option(names = "--migrations", paramLabel = "FOLDER", description = "the scripts (SLUICE_MIGRATIONS, FLYWAY_LOCATIONS, flyway.locations)")
        String migrations;

        @Option(names = "--config", paramLabel = "FILE", description = "Sluice's settings; default ./sluice.toml when there is one")
        Path config;

        @Option(names = "--flyway-config", paramLabel = "FILE", description = "a flyway.conf or flyway.toml")
        Path flywayConfig;

        SchemaCommand(Sluice.Console console) {
            this.console = console;
        }

        @Override
        public Integer call() throws IOException, java.sql.SQLException {
            Map<String, String> flags = new java.util.LinkedHashMap<>();
            flags.put("url", url);
            flags.put("user", user);
            flags.put("migrations", migrations);
            Project project = Project.resolve(flags, console.environment(), console.workingDirectory(), config, flywayConfig, null);
            for (String key : List.of("url", "user", "migrations")) {
                if (project.get(key) == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--" + key + " is required (or SLUICE_"
                            + key.toUpperCase(java.util.Locale.ROOT) + ", the project's files)");
                }
            }
            String password = project.get("password");
            if (password == null) {
                throw new Project.Refused("set PGPASSWORD (or SLUICE_PASSWORD, FLYWAY_PASSWORD) to the password of " + project.get("user"));
            }
            String location = project.get("migrations");
            if (location.startsWith("classpath:") || location.startsWith("s3:")) {
                throw new Project.Refused("schema reads a folder of scripts, not " + Echo.value(location));
            }
            Path folder = console.workingDirectory().resolve(location.startsWith("filesystem:") ? location.substring("filesystem:".length())
                    : location).toAbsolutePath().normalize();
            List<String> roots = new ArrayList<>(List.of(folder.toString()));
            for (Path file : files()) {
                roots.add(console.workingDirectory().resolve(file).toAbsolutePath().normalize().getParent().toString());
            }
            Map<String, String> overrides = Map.of("sluice.database.event-credentials", "true", "sluice.files.roots", String.join(",", roots));
            SluiceConfig sluice = LocalFunctions.config("prod", overrides, project.settings(), "sluice.toml");
            DatabaseConnector connector = new DatabaseConnector(sluice, OwnRoles.LOCAL);
            SchemaCatalog catalog = new SchemaCatalog(sluice);
            DatabaseTarget server = new DatabaseTarget(project.get("url"), project.get("user"), password);
            try {
                ScriptSet scripts = new ScriptLoader(FileRoots.of(roots)).load(MigrationSource.parse("filesystem:" + folder));
                SchemaBuilds builds = new SchemaBuilds(connector, catalog.reader(), sluice.migrate());
                SchemaExport export = new SchemaExport(builds, catalog.reader(), FileRoots.of(roots));
                return work(new Work(server, scripts, export, connector, catalog, sluice, folder), console.out());
            } catch (SluiceException e) {
                console.err().println("schema " + spec.name() + ": " + e.getMessage());
                return Exit.of(e.getClass().getName());
            }
        }

        /** The files this command reads beside the scripts. */
        abstract List<Path> files();

        abstract int work(Work work, PrintStream out) throws IOException, java.sql.SQLException;

        /** A path given on the command line, from the working directory. */
        Path resolved(Path path) {
            return path == null ? null : console.workingDirectory().resolve(path);
        }
    }

    record Work(DatabaseTarget server, ScriptSet scripts, SchemaExport export, DatabaseConnector connector, SchemaCatalog catalog,
            SluiceConfig config, Path folder) {
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "The schema file of the history (or of the live database).")
    static final class Export extends SchemaCommand {
        @Option(names = "--version", description = "latest (default), a version, or live: the database's own schema")
        String version;

        @Option(names = "--output", paramLabel = "FILE", description = "where to write it; default standard output")
        Path output;

        Export(Sluice.Console console) {
            super(console);
        }

        @Override
        List<Path> files() {
            return output == null ? List.of() : List.of(output);
        }

        @Override
        int work(Work work, PrintStream out) throws IOException, java.sql.SQLException {
            return export(version, resolved(output), output, work.server(), work.scripts(), work.export(), work.connector(), out);
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Whether a schema file describes what the history builds.")
    static final class Check extends SchemaCommand {
        @Option(names = "--schema-file", required = true, paramLabel = "FILE")
        Path schemaFile;

        Check(Sluice.Console console) {
            super(console);
        }

        @Override
        List<Path> files() {
            return List.of(schemaFile);
        }

        @Override
        int work(Work work, PrintStream out) throws java.sql.SQLException {
            return check(schemaFile, resolved(schemaFile), work.server(), work.scripts(), work.export(), out);
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true, description = "Migration and undo scripts from an edited schema"
            + " file, written only when proven reversible and lint-clean.")
    static final class Generate extends SchemaCommand {
        @Option(names = "--desired", required = true, paramLabel = "FILE", description = "the edited schema file")
        Path desired;

        @Option(names = "--name", required = true, description = "the scripts' description, e.g. add_orders_status")
        String name;

        @Option(names = "--output", paramLabel = "FOLDER", description = "where to write them; default the migrations folder")
        Path output;

        Generate(Sluice.Console console) {
            super(console);
        }

        @Override
        List<Path> files() {
            return List.of(desired);
        }

        @Override
        int work(Work work, PrintStream out) throws IOException, java.sql.SQLException {
            SluiceConfig config = work.config();
            MigrationGenerator generator = new MigrationGenerator(work.connector(), work.catalog().reader(),
                    new SchemaBuilds(work.connector(), work.catalog().reader(), config.migrate()),
                    new ReversibilityProver(work.connector(), work.catalog(), config.migrate()), new Linter(LintPolicy.from(config.lint())),
                    config.migrate());
            return generate(resolved(desired), name, resolved(output), work.server(), work.scripts(), generator, work.folder(), out);
        }
    }

    private static int export(String version, Path output, Path shown, DatabaseTarget server, ScriptSet scripts, SchemaExport export,
            DatabaseConnector connector, PrintStream out) throws IOException, java.sql.SQLException {
        ExportRequest request = new ExportRequest(null, server, scripts.source(), null, version, null, null);
        SchemaFileReport report;
        try (var connection = connector.open(server, java.time.Duration.ofMinutes(5))) {
            report = export.export(request, connection, scripts);
        }
        if (output == null) {
            out.print(report.sql());
        } else {
            Files.writeString(output, report.sql(), StandardCharsets.UTF_8);
            out.printf("%s: %d object(s), the %s%s (sha256 %s); history built in %d ms, read in %d ms%n", shown, report.objects(),
                    report.source(), report.version() == null ? "" : " at version " + report.version(), report.sha256(), report.buildMs(),
                    report.readMs());
        }
        return DONE;
    }

    private static int check(Path schemaFile, Path file, DatabaseTarget server, ScriptSet scripts, SchemaExport export, PrintStream out)
            throws java.sql.SQLException {
        PreflightRequest request = new PreflightRequest(null, server, scripts.source(), null, null, null, null, null, null, null, null);
        SchemaExport.Checked checked = export.check(request, io.sluice.event.FileLocation.parse("filesystem:"
                + file.toAbsolutePath().normalize()), scripts, request.schema());
        SchemaFileReport report = checked.report();
        if (Boolean.TRUE.equals(report.equal())) {
            out.printf("%s describes the schema the migrations produce (version %s, %d objects); history built in %d ms, file in %d ms%n",
                    schemaFile, report.version(), report.objects(), report.buildMs(), report.fileMs());
            return DONE;
        }
        out.printf("%s does not describe the schema the migrations produce (version %s): %d difference(s)%n", schemaFile,
                report.version(), report.differences().size());
        for (SchemaDifference difference : report.differences()) {
            out.println("  " + Echo.line(difference.summary()));
        }
        out.println("SQL that brings the file's schema to the history's:");
        out.print(report.reconcileScript());
        out.println("Regenerate the file with: sluice schema export --version latest --output " + schemaFile);
        return DIFFERS;
    }

    private static int generate(Path desired, String name, Path output, DatabaseTarget server, ScriptSet scripts, MigrationGenerator generator,
            Path folder, PrintStream out) throws IOException, java.sql.SQLException {
        PreflightRequest request = new PreflightRequest(null, server, scripts.source(), null, null, null, null, null, null, null, null);
        MigrationGenerator.Outcome outcome = generator.generate(request, scripts, Files.readString(desired), name);
        if (outcome.scripts().isEmpty()) {
            out.println("the migrations already produce the desired schema (version " + outcome.fromVersion() + "): nothing to generate");
            return DONE;
        }
        Path target = output != null ? output : folder;
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

}
