package io.sluice.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.config.SluiceConfig;
import io.sluice.error.Echo;
import io.sluice.workflow.Redaction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The subcommands that work on one database: each builds the event of the function that does the work from its flags
 * and the project's settings ({@link Project}), calls that function's handler in this process, and prints its result
 * for a person, or with {@code --json} exactly as the function returns it.
 */
final class DatabaseCommands {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DatabaseCommands() {
    }

    /** Where the database and the scripts are, and how to print: every database command's options. */
    static final class Connection {
        @Option(names = "--url", paramLabel = "JDBC_URL", description = "jdbc:postgresql://host:5432/db (SLUICE_URL, FLYWAY_URL, flyway.url)")
        String url;

        @Option(names = "--user", description = "the role Sluice connects as (SLUICE_USER, FLYWAY_USER, flyway.user)")
        String user;

        @Option(names = "--password", description = "its password; prefer SLUICE_PASSWORD, FLYWAY_PASSWORD or PGPASSWORD, which other"
                + " users of the machine cannot read from the process list")
        String password;

        @Option(names = "--secret-arn", paramLabel = "ARN", description = "a Secrets Manager secret as RDS writes it, instead of URL,"
                + " user and password (SLUICE_SECRET_ARN)")
        String secretArn;

        @Option(names = "--migrations", paramLabel = "LOCATION", description = "a folder, filesystem:DIR, classpath:PATH or"
                + " s3://bucket/key.zip (SLUICE_MIGRATIONS, FLYWAY_LOCATIONS, flyway.locations)")
        String migrations;

        @Option(names = "--bundle-sha256", paramLabel = "HEX", description = "the SHA-256 of the s3:// bundle, which is refused unless it matches")
        String bundleSha256;

        @Option(names = "--schema", description = "the schema Flyway manages (SLUICE_SCHEMA, FLYWAY_SCHEMAS, flyway.schemas); default public")
        String schema;

        @Option(names = "--config", paramLabel = "FILE", description = "Sluice's settings; default ./sluice.toml when there is one")
        Path config;

        @Option(names = "--flyway-config", paramLabel = "FILE", description = "a flyway.conf or flyway.toml; default those in the working directory")
        Path flywayConfig;

        @Option(names = "--environment", paramLabel = "NAME", description = "flyway.toml's environment (FLYWAY_ENVIRONMENT); default its"
                + " [flyway] environment, else default")
        String environment;

        @Option(names = "--deployment-id", paramLabel = "ID", description = "the correlation id the function echoes; generated when absent")
        String deploymentId;

        @Option(names = "--event", paramLabel = "FILE", description = "an event of the function to start from (every field it takes);"
                + " the flags and the project's settings win")
        Path event;

        @Option(names = "--json", description = "print the function's result document, exactly")
        boolean json;

        @Option(names = "--verbose", description = "print the functions' log lines")
        boolean verbose;

        Map<String, String> flags() {
            Map<String, String> flags = new LinkedHashMap<>();
            flags.put("url", url);
            flags.put("user", user);
            flags.put("password", password);
            flags.put("secret-arn", secretArn);
            flags.put("migrations", migrations);
            flags.put("schema", schema);
            return flags;
        }
    }

    /** One database command: the event, the function that takes it, its text and exit code. */
    abstract static class DatabaseCommand implements Callable<Integer> {

        final Sluice.Console console;

        @Mixin
        Connection connection;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Files the event names beside the scripts, which the function may then read. */
        final Set<Path> roots = new LinkedHashSet<>();

        DatabaseCommand(Sluice.Console console) {
            this.console = console;
        }

        /** The function whose handler does the work ({@code migrate}, {@code validate}, ...). */
        abstract String function();

        /** Whether the function's event names scripts. */
        boolean takesMigrations() {
            return true;
        }

        /** This command's fields of the event. */
        abstract void fill(ObjectNode event, Project project);

        /** The result, for a person. */
        abstract void text(JsonNode result, PrintStream out);

        /** The exit code of a result (not an error). */
        abstract int exit(JsonNode result);

        @Override
        public Integer call() {
            if (connection.verbose) {
                java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
            }
            Project project = Project.resolve(connection.flags(), console.environment(), console.workingDirectory(), connection.config,
                    connection.flywayConfig, connection.environment);
            ObjectNode event = base(project);
            fill(event, project);
            Map<String, String> overrides = new LinkedHashMap<>();
            overrides.put("sluice.database.event-credentials", "true");
            List<String> folders = new ArrayList<>();
            folders.add(console.workingDirectory().toString());
            roots.forEach(root -> folders.add(root.toString()));
            overrides.put("sluice.files.roots", String.join(",", folders));
            if (project.get("secret-arn") != null) {
                overrides.put("sluice.aws.enabled", "true");
                overrides.put("sluice.database.allowed-secrets", project.get("secret-arn"));
            }
            if (event.path("migrations").has("s3")) {
                overrides.put("sluice.aws.enabled", "true");
            }
            SluiceConfig config;
            try {
                config = LocalFunctions.config("prod", overrides, project.settings(), "sluice.toml");
            } catch (RuntimeException e) {
                throw new Project.Refused("Sluice's settings are refused: " + Echo.line(String.valueOf(e.getMessage())));
            }
            Map<String, RequestStreamHandler> handlers = LocalFunctions.byArn(config);
            FunctionCall call;
            try (MigrateProgress progress = !connection.json && function().equals("migrate") ? MigrateProgress.attach(console.out()) : null) {
                call = FunctionCall.of(handlers.get(LocalFunctions.arn(function())), function(), event);
            }
            if (call.failed()) {
                if (connection.json && call.result() != null) {
                    console.out().println(write(call.result()));
                }
                console.err().println(console.paint(spec.qualifiedName() + " failed", 31) + ": " + new Redaction(event).redacted(call.errorLine()));
                return Exit.of(call.errorType());
            }
            if (connection.json) {
                console.out().println(write(call.result()));
            } else {
                text(call.result(), console.out());
            }
            return exit(call.result());
        }

        /** The event's common part: the event file's fields, then the database, scripts, schema and id. */
        private ObjectNode base(Project project) {
            ObjectNode event = JSON.createObjectNode();
            if (connection.event != null) {
                Path file = console.workingDirectory().resolve(connection.event);
                try {
                    JsonNode read = JSON.readTree(Files.readString(file));
                    if (!(read instanceof ObjectNode object)) {
                        throw new Project.Refused(file + " is no JSON object: an event is one");
                    }
                    event = object;
                } catch (IOException e) {
                    throw new Project.Refused("cannot read the event " + file + ": " + Echo.line(String.valueOf(e.getMessage())));
                }
            }
            if (connection.deploymentId != null) {
                event.put("deploymentId", connection.deploymentId);
            }
            if (project.get("secret-arn") != null) {
                event.putObject("database").put("secretArn", project.get("secret-arn"));
            } else if (project.get("url") != null) {
                ObjectNode database = event.putObject("database");
                database.put("jdbcUrl", project.get("url"));
                database.put("username", required(project, "user", "--user, SLUICE_USER, FLYWAY_USER or flyway.user"));
                database.put("password", required(project, "password",
                        "SLUICE_PASSWORD, FLYWAY_PASSWORD, PGPASSWORD, --password or flyway.password"));
            } else if (!event.has("database")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no database: give --url JDBC_URL (or SLUICE_URL, FLYWAY_URL,"
                        + " flyway.url in flyway.conf, url in sluice.toml's [project]) or --secret-arn");
            }
            if (takesMigrations()) {
                String location = project.get("migrations");
                if (location != null) {
                    event.set("migrations", migrations(location));
                } else if (!event.has("migrations")) {
                    Path flywayDefault = console.workingDirectory().resolve("sql");
                    if (!Files.isDirectory(flywayDefault)) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "no scripts: give --migrations FOLDER (or"
                                + " SLUICE_MIGRATIONS, FLYWAY_LOCATIONS, flyway.locations, migrations in sluice.toml's [project])");
                    }
                    event.set("migrations", migrations(flywayDefault.toString()));
                }
            }
            if (project.get("schema") != null) {
                event.put("schema", project.get("schema"));
            }
            return event;
        }

        private static String required(Project project, String key, String sources) {
            String value = project.get(key);
            if (value == null) {
                throw new Project.Refused("the database's " + key + " is not given: set it with " + sources);
            }
            return value;
        }

        /** A location as the event takes it; a folder (bare or {@code filesystem:}) made absolute and readable. */
        private JsonNode migrations(String location) {
            if (location.startsWith("s3://")) {
                if (connection.bundleSha256 == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "an s3:// bundle needs --bundle-sha256 HEX: it is"
                            + " refused unless its digest is the one given");
                }
                ObjectNode bundle = JSON.createObjectNode();
                bundle.put("s3", location);
                bundle.put("sha256", connection.bundleSha256);
                return bundle;
            }
            if (location.startsWith("classpath:")) {
                return JSON.getNodeFactory().textNode(location);
            }
            return JSON.getNodeFactory().textNode("filesystem:" + readable(location.startsWith("filesystem:")
                    ? location.substring("filesystem:".length()) : location));
        }

        /** {@code path} from the working directory, absolute, and among the folders the function may read. */
        String readable(String path) {
            Path absolute = console.workingDirectory().resolve(path).toAbsolutePath().normalize();
            roots.add(Files.isDirectory(absolute) ? absolute : absolute.getParent());
            return absolute.toString();
        }

        static String write(JsonNode node) {
            try {
                return JSON.writeValueAsString(node);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** What a finding's severity counts as against {@code --fail-on}. */
    enum FailOn {
        WARNING, ERROR;

        boolean reached(String severity) {
            return severity.equalsIgnoreCase("error") || this == WARNING && severity.equalsIgnoreCase("warning");
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply the pending scripts (Flyway's migrate, with"
            + " Sluice's lock retries, phases and snapshots).")
    static final class Migrate extends DatabaseCommand {
        @Option(names = "--target", paramLabel = "VERSION", description = "latest (default) or the version to stop at")
        String target;

        @Option(names = "--phase", description = "expand (default), contract or all")
        String phase;

        @Option(names = "--dry-run", description = "print the plan, change nothing")
        boolean dryRun;

        @Option(names = "--baseline-version", paramLabel = "VERSION", description = "adopt a database with objects and no history at this version")
        String baselineVersion;

        @Option(names = "--lock-timeout", paramLabel = "DURATION", description = "per statement, e.g. 2s")
        String lockTimeout;

        @Option(names = "--statement-timeout", paramLabel = "DURATION", description = "per statement, e.g. 10min")
        String statementTimeout;

        Migrate(Sluice.Console console) {
            super(console);
        }

        @Override
        String function() {
            return "migrate";
        }

        @Override
        void fill(ObjectNode event, Project project) {
            putIf(event, "target", target);
            putIf(event, "phase", phase);
            if (dryRun) {
                event.put("dryRun", true);
            }
            putIf(event, "baselineVersion", baselineVersion);
            putIf(event, "lockTimeout", lockTimeout);
            putIf(event, "statementTimeout", statementTimeout);
        }

        @Override
        void text(JsonNode result, PrintStream out) {
            String status = result.path("status").asText();
            if (status.equals("PLANNED")) {
                out.printf("Dry run: %s at version %s; %d script(s) would run in phase %s:%n", result.path("schema").asText(),
                        version(result.path("versionBefore")), result.path("plan").size(), result.path("phase").asText());
                for (JsonNode script : result.path("plan")) {
                    out.printf("  %s %s%s%n", script.path("script").asText(), script.path("phase").asText(),
                            script.path("undoScript").isTextual() ? "" : "  (no undo script)");
                }
            } else {
                out.printf("%s: %s from version %s to %s; %d script(s) applied in %d ms%n", console.paint(status, 32),
                        result.path("schema").asText(), version(result.path("versionBefore")), version(result.path("versionAfter")),
                        result.path("applied").size(), result.path("durationMs").asLong());
                for (JsonNode retry : result.path("lockRetries")) {
                    out.printf("  lock retry: %s try %d waited %d ms: %s%n", retry.path("script").asText(), retry.path("attempt").asInt(),
                            retry.path("waitedMs").asLong(), Echo.line(retry.path("detail").asText()));
                }
                if (result.path("stopReason").isTextual()) {
                    out.println("  stopped: " + result.path("stopReason").asText() + "; run sluice migrate again to go on");
                }
            }
            int contract = result.path("contractPending").asInt();
            if (contract > 0) {
                out.printf("%d contract script(s) pending: sluice migrate --phase contract once no running code needs the old schema%n",
                        contract);
            }
        }

        @Override
        int exit(JsonNode result) {
            return Exit.OK;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Applied, pending and failed migrations, and the contract"
            + " scripts pending (Flyway's info, with phases).")
    static final class Info extends DatabaseCommand {
        Info(Sluice.Console console) {
            super(console);
        }

        @Override
        String function() {
            return "info";
        }

        @Override
        void fill(ObjectNode event, Project project) {
        }

        @Override
        void text(JsonNode result, PrintStream out) {
            out.printf("%s of %s: version %s; %d applied, %d pending (%d contract), %d failed%n", result.path("schema").asText(),
                    result.path("database").asText(), version(result.path("currentVersion")), result.path("applied").asInt(),
                    result.path("pending").asInt(), result.path("contractPending").asInt(), result.path("failed").asInt());
            out.printf("  %-10s %-9s %-10s %-8s %-20s %s%n", "version", "type", "state", "phase", "installed on", "description");
            for (JsonNode migration : result.path("migrations")) {
                String state = migration.path("state").asText();
                out.printf("  %-10s %-9s %-10s %-8s %-20s %s%n", migration.path("version").asText("(repeat)"),
                        migration.path("type").asText(), state.equals("Failed") ? console.paint(state, 31) : state,
                        migration.path("phase").asText(""), migration.path("installedOn").asText("").replace('T', ' ')
                                .replaceAll("\\.\\d+Z$", "Z"), migration.path("description").asText());
            }
        }

        @Override
        int exit(JsonNode result) {
            return result.path("failed").asInt() > 0 ? Exit.FAILED : Exit.OK;
        }
    }

    /** What validate and check print and exit with. */
    abstract static class ValidateBase extends DatabaseCommand {
        @Option(names = "--fail-on", description = "the findings that fail the command: error (default) or warning")
        FailOn failOn = FailOn.ERROR;

        ValidateBase(Sluice.Console console) {
            super(console);
        }

        @Override
        String function() {
            return "validate";
        }

        @Override
        void text(JsonNode result, PrintStream out) {
            for (JsonNode finding : findings(result)) {
                String severity = finding.path("severity").asText();
                String where = finding.path("script").isTextual() ? finding.path("script").asText()
                        + (finding.path("line").isInt() ? ":" + finding.path("line").asInt() : "") + ": " : "";
                out.printf("%s %s %s%s%n", console.paint(severity.toLowerCase(Locale.ROOT), severity.equals("ERROR") ? 31 : 33),
                        finding.has("code") ? finding.path("code").asText() : finding.path("rule").asText(), where,
                        Echo.line(finding.path("message").asText()));
            }
            JsonNode lint = result.path("lint");
            if (lint.isObject()) {
                out.printf("lint: %d script(s), %d statement(s), change class %s, %d approval(s) required%n", lint.path("scripts").asInt(),
                        lint.path("statements").asInt(), lint.path("changeClass").asText(), lint.path("approvalsRequired").asInt());
            }
            JsonNode compatibility = result.path("compatibility");
            if (compatibility.isObject()) {
                out.printf("compatibility: %d query(ies) checked, %d compatible, %d broken, %d unchecked%n", compatibility.path("checked").size(),
                        compatibility.path("compatible").size(), compatibility.path("broken").size(), compatibility.path("unchecked").size());
            }
            JsonNode plans = result.path("plans");
            if (plans.path("skipped").isTextual() && !plans.path("skipped").asText().startsWith("not asked")) {
                out.println("plans: skipped: " + plans.path("skipped").asText());
            } else if (plans.path("regressions").isArray()) {
                out.printf("plans: %d regression(s)%n", plans.path("regressions").size());
            }
            for (JsonNode difference : result.path("differences")) {
                out.printf("  %s %s %s%n", difference.path("change").asText(), difference.path("kind").asText(),
                        difference.path("name").asText());
            }
            if (result.path("reconcileScript").isTextual() && !result.path("reconcileScript").asText().isEmpty()) {
                out.println("reconcile SQL:");
                out.println(result.path("reconcileScript").asText().stripTrailing());
            }
            boolean failed = exit(result) != Exit.OK;
            out.printf("%s %s of %s at version %s: %d pending script(s), %d finding(s)%n",
                    failed ? console.paint("FAILED", 31) : console.paint("OK", 32), result.path("mode").asText(),
                    result.path("schema").asText(), version(result.path("currentVersion")), result.path("pending").size(),
                    findings(result).size());
        }

        /** The report's findings and, for preflight, lint's. */
        private static List<JsonNode> findings(JsonNode result) {
            List<JsonNode> findings = new ArrayList<>();
            result.path("findings").forEach(findings::add);
            result.path("lint").path("findings").forEach(findings::add);
            return findings;
        }

        @Override
        int exit(JsonNode result) {
            if (!result.path("valid").asBoolean(true)) {
                return Exit.FAILED;
            }
            return findings(result).stream().anyMatch(finding -> failOn.reached(finding.path("severity").asText())) ? Exit.FAILED : Exit.OK;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "One of validate's modes: preflight, post-migrate,"
            + " drift, config, upgrade-readiness, export, parity.")
    static final class Validate extends ValidateBase {
        @Option(names = "--mode", description = "preflight (default), post-migrate, drift, config, upgrade-readiness, export or parity")
        String mode = "preflight";

        @Option(names = "--undo-policy", description = "preflight: error, warn (default) or off for a V script without its U script")
        String undoPolicy;

        @Option(names = "--contract", paramLabel = "FILE", description = "post-migrate: the tables and columns the application needs")
        String contract;

        @Option(names = "--required-extension", paramLabel = "NAME", description = "config: an extension that must be installed")
        List<String> requiredExtensions;

        @Option(names = "--target-engine-version", paramLabel = "VERSION", description = "upgrade-readiness: the version green would run")
        String targetEngineVersion;

        Validate(Sluice.Console console) {
            super(console);
        }

        @Override
        void fill(ObjectNode event, Project project) {
            event.put("mode", mode);
            putIf(event, "undoPolicy", undoPolicy);
            if (contract != null) {
                event.put("contract", contract.startsWith("classpath:") ? contract : "filesystem:" + readable(contract));
            }
            if (requiredExtensions != null) {
                ArrayNode extensions = event.putArray("requiredExtensions");
                requiredExtensions.forEach(extensions::add);
            }
            putIf(event, "targetEngineVersion", targetEngineVersion);
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "The preflight a release gets before approval: history,"
            + " lint, undo scripts, and with --queries the compatibility proof and with --plans the plan check.")
    static final class Check extends ValidateBase {
        @Option(names = "--queries", paramLabel = "FOLDER", description = "the running application's queries, one .sql file each:"
                + " each must prepare before and after every expand script")
        String queries;

        @Option(names = "--new-queries", paramLabel = "FOLDER", description = "the new release's queries: each must prepare once the"
                + " expand scripts are applied")
        String newQueries;

        @Option(names = "--plans", description = "plan --queries with the live database's statistics before and after (PostgreSQL 18)")
        boolean plans;

        @Option(names = "--prove", description = "prove each pending script's undo script restores the schema")
        boolean prove;

        @Option(names = "--probe-locks", description = "measure the locks each pending statement takes, in a scratch database")
        boolean probeLocks;

        @Option(names = "--undo-policy", description = "error, warn (default) or off for a V script without its U script")
        String undoPolicy;

        @Option(names = "--schema-file", paramLabel = "FILE", description = "the schema file the history must build")
        String schemaFile;

        Check(Sluice.Console console) {
            super(console);
        }

        @Override
        void fill(ObjectNode event, Project project) {
            if (plans && queries == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--plans plans the queries of --queries FOLDER: name it");
            }
            event.put("mode", "preflight");
            putIf(event, "undoPolicy", undoPolicy);
            if (queries != null || newQueries != null) {
                ObjectNode compatibility = event.putObject("compatibility");
                if (queries != null) {
                    compatibility.put("queriesFrom", "filesystem:" + readable(queries));
                }
                if (newQueries != null) {
                    compatibility.put("newQueriesFrom", "filesystem:" + readable(newQueries));
                }
            }
            if (plans) {
                event.putObject("plans").put("queriesFrom", "filesystem:" + readable(queries));
            }
            if (prove) {
                event.put("proveReversible", true);
            }
            if (probeLocks) {
                event.put("probeLocks", true);
            }
            if (schemaFile != null) {
                event.put("schemaFile", "filesystem:" + readable(schemaFile));
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Undo the releases above a version with their undo"
            + " scripts, verified against the schema recorded for it; every attempt audited.")
    static final class Rollback extends DatabaseCommand {
        @Option(names = "--to", required = true, paramLabel = "VERSION", description = "the version to return to")
        String to;

        @Option(names = "--reason", required = true, description = "why, for the audit")
        String reason;

        @Option(names = "--dry-run", description = "print the plan and its blockers, change nothing")
        boolean dryRun;

        @Option(names = "--prove", description = "with --dry-run: run the undo scripts in a scratch database first and check the schema")
        boolean prove;

        @Option(names = "--requested-by", description = "who asks, for the audit; default cli:<user>")
        String requestedBy;

        @Option(names = "--lock-timeout", paramLabel = "DURATION")
        String lockTimeout;

        Rollback(Sluice.Console console) {
            super(console);
        }

        @Override
        String function() {
            return "rollback";
        }

        @Override
        void fill(ObjectNode event, Project project) {
            if (prove && !dryRun) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--prove goes with --dry-run: the proof runs before you decide");
            }
            event.put("targetVersion", to);
            event.put("reason", reason);
            event.put("requestedBy", requestedBy != null ? requestedBy
                    : "cli:" + console.environment().getOrDefault("USER", System.getProperty("user.name", "unknown")));
            if (dryRun) {
                event.put("dryRun", true);
            }
            if (prove) {
                event.put("prove", true);
            }
            putIf(event, "lockTimeout", lockTimeout);
        }

        @Override
        void text(JsonNode result, PrintStream out) {
            out.printf("%s: %s from version %s to %s%s%n", console.paint(result.path("status").asText(), 32), result.path("schema").asText(),
                    version(result.path("versionBefore")), version(result.path("versionAfter")),
                    result.path("auditId").isMissingNode() || result.path("auditId").isNull() ? "" : " (audit " + result.path("auditId").asText() + ")");
            for (JsonNode step : result.path("plan")) {
                out.printf("  undo %s with %s%n", step.path("version").asText(), step.path("undoScript").asText("(none)"));
            }
            for (JsonNode blocker : result.path("blockers")) {
                out.println("  " + console.paint("blocked", 31) + ": " + Echo.line(blocker.asText()));
            }
            for (JsonNode step : result.path("proof")) {
                out.printf("  proof %s %s: %s%n", step.path("version").asText(), step.path("undoScript").asText(),
                        step.path("ok").asBoolean() ? "ok" : Echo.line(step.path("message").asText()));
            }
            if (result.has("verified")) {
                out.println("  verified against the recorded schema: " + result.path("verified").asBoolean());
            }
        }

        @Override
        int exit(JsonNode result) {
            return result.path("blockers").isEmpty() ? Exit.OK : Exit.FAILED;
        }
    }

    @Command(name = "canary-check", mixinStandardHelpOptions = true, description = "One canary window's verdict: error rate,"
            + " deadlocks, probe latency, connections, lock waits, replication lag, invalid indexes.")
    static final class CanaryCheck extends DatabaseCommand {
        @Option(names = "--stage", description = "the traffic percentage of this window (5, 25, 50, 100)")
        Integer stage;

        @Option(names = "--probe", paramLabel = "SQL", description = "a read-only query to time (repeatable)")
        List<String> probes;

        @Option(names = "--probe-runs", paramLabel = "N", description = "runs of each probe")
        Integer probeRuns;

        CanaryCheck(Sluice.Console console) {
            super(console);
        }

        @Override
        String function() {
            return "canary-check";
        }

        @Override
        boolean takesMigrations() {
            return false;
        }

        @Override
        void fill(ObjectNode event, Project project) {
            // sluice.toml's [canary] first (its keys as the event names them, or kebab-case), then the flags.
            project.canary().fields().forEachRemaining(field -> event.set(camel(field.getKey()), field.getValue()));
            if (stage != null) {
                event.put("stage", stage);
            }
            if (probes != null) {
                ArrayNode array = event.putArray("probes");
                probes.forEach(array::add);
            }
            if (probeRuns != null) {
                event.put("probeRuns", probeRuns);
            }
        }

        @Override
        void text(JsonNode result, PrintStream out) {
            String verdict = result.path("verdict").asText();
            out.printf("%s at stage %s%s%n", console.paint(verdict, verdict.equals("HEALTHY") ? 32 : verdict.equals("FAILED") ? 31 : 33),
                    result.path("stage").asText(), result.path("nextStage").isNull() ? "" : "; next stage " + result.path("nextStage").asText());
            for (JsonNode signal : result.path("signals")) {
                out.printf("  %-20s %-8s %s%n", signal.path("check").asText(), signal.path("status").asText(),
                        Echo.line(signal.path("message").asText()));
            }
        }

        @Override
        int exit(JsonNode result) {
            return result.path("verdict").asText().equals("FAILED") ? Exit.FAILED : Exit.OK;
        }
    }

    @Command(name = "health", mixinStandardHelpOptions = true, description = "Liveness and readiness of the database (MicroProfile"
            + " Health's document).")
    static final class Health extends DatabaseCommand {
        @Option(names = "--max-connection-share", paramLabel = "SHARE", description = "the share of connections in use above which it is DOWN")
        Double maxConnectionShare;

        Health(Sluice.Console console) {
            super(console);
        }

        @Override
        String function() {
            return "health";
        }

        @Override
        boolean takesMigrations() {
            return false;
        }

        @Override
        void fill(ObjectNode event, Project project) {
            if (maxConnectionShare != null) {
                event.put("maxConnectionShare", maxConnectionShare);
            }
        }

        @Override
        void text(JsonNode result, PrintStream out) {
            String status = result.path("status").asText();
            out.println(console.paint(status, status.equals("UP") ? 32 : 31));
            for (JsonNode check : result.path("checks")) {
                out.printf("  %-24s %s%s%n", check.path("name").asText(), check.path("status").asText(),
                        check.path("data").isObject() ? "  " + Echo.line(check.path("data").toString()) : "");
            }
        }

        @Override
        int exit(JsonNode result) {
            return result.path("status").asText().equals("UP") ? Exit.OK : Exit.FAILED;
        }
    }

    static void putIf(ObjectNode event, String field, String value) {
        if (value != null) {
            event.put(field, value);
        }
    }

    private static String version(JsonNode version) {
        return version.isNull() || version.isMissingNode() ? "(none)" : version.asText();
    }

    private static String camel(String key) {
        StringBuilder camel = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }
}
