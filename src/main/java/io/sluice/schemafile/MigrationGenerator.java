package io.sluice.schemafile;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.api.FlywayException;

import io.sluice.catalog.CatalogReader;
import io.sluice.catalog.SchemaDiff;
import io.sluice.catalog.Snapshot;
import io.sluice.config.SluiceConfig;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.LintReport;
import io.sluice.event.Phase;
import io.sluice.event.PlannedScript;
import io.sluice.event.ReversibilityCheck;
import io.sluice.event.SchemaDifference;
import io.sluice.event.SchemaDifference.Change;
import io.sluice.event.TargetVersion;
import io.sluice.event.ValidateRequest;
import io.sluice.lint.Linter;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.Script;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;
import io.sluice.scratch.ReversibilityProver;
import io.sluice.scratch.ScratchDatabase;
import io.sluice.sql.CallerErrors;
import io.sluice.sql.SqlStatement;
import io.sluice.sql.SqlText;

/**
 * The next migrations, generated from a desired schema file: the difference between the schema the history produces
 * and the one the file describes, written in the forms lint accepts, each with its undo script, then proven
 * (apply, undo, compare, re-apply) and linted.
 * <ul>
 * <li>An index dropped or built is a script of its own, {@code CONCURRENTLY}: the drops before the rest, the builds
 * after it.</li>
 * <li>A foreign key or CHECK on an existing table is added {@code NOT VALID} and validated in a later script (its own
 * transaction); a {@code UNIQUE} or primary key one is built as a unique index concurrently, then attached
 * ({@code USING INDEX}); {@code SET NOT NULL} on an existing table goes through a validated
 * {@code CHECK (col IS NOT NULL)} first, so that it needs no scan.</li>
 * <li>What drops a column or a table, and so its data, is a {@code contract} phase script of its own, last, saying so
 * (and suppressing the lint rule it names, with the reason): the desired schema asked for it.</li>
 * <li>Renames are never guessed: a column dropped and one added to the same table with the same type are a possible
 * rename, said in the notes and in the script.</li>
 * </ul>
 * Each undo script is what brings the schema after its script back to the schema before it: read from a scratch
 * database where the scripts run one after another, so it undoes exactly what its script did.
 */
public final class MigrationGenerator {

    private static final Pattern ADD_CHECK_OR_FK = Pattern.compile("^ALTER TABLE (\\S+) ADD CONSTRAINT (\\S+) (CHECK|FOREIGN KEY)\\b(.*);$",
            Pattern.DOTALL);
    private static final Pattern ADD_UNIQUE = Pattern.compile("^ALTER TABLE (\\S+) ADD CONSTRAINT (\\S+) (UNIQUE|PRIMARY KEY) \\((.+)\\);$",
            Pattern.DOTALL);
    private static final Pattern SET_NOT_NULL = Pattern.compile("^ALTER TABLE (\\S+) ALTER COLUMN (\\S+) SET NOT NULL;$");
    private static final Pattern DROP_COLUMN = Pattern.compile("^ALTER TABLE (\\S+) DROP COLUMN (\\S+);$");
    private static final Pattern DROP_TABLE = Pattern.compile("^DROP TABLE (\\S+);$");
    private static final Pattern CREATE_TABLE = Pattern.compile("^CREATE (?:UNLOGGED )?TABLE (\\S+)");
    private static final Pattern INDEX_NAME = Pattern.compile("INDEX (?:CONCURRENTLY )?(?:IF EXISTS )?([^\\s;]+)");

    /**
     * One generated pair.
     *
     * @param version the version
     * @param name    {@code V<version>__<description>.sql}
     * @param sql     its text
     * @param undo    {@code U<version>__<description>.sql}, and its text in {@code undoSql}
     * @param phase   expand, or contract for what loses data
     */
    public record Generated(String version, String name, String sql, String undo, String undoSql, Phase phase) {
    }

    /**
     * What generation gave.
     *
     * @param scripts      the pairs, in order; empty when the history already produces the desired schema
     * @param notes        what a person must know: possible renames, what the scripts could not reach
     * @param unreached    how the schema after the scripts still differs from the desired one (nothing, normally)
     * @param proof        each pair applied, undone, compared and re-applied in a scratch database
     * @param lint         the scripts and their undo scripts linted after the history
     * @param fromVersion  the history's version the scripts follow
     */
    public record Outcome(List<Generated> scripts, List<String> notes, List<SchemaDifference> unreached, List<ReversibilityCheck> proof,
            LintReport lint, String fromVersion) {

        /** Every pair proven reversible, nothing left unreached, no lint error. */
        public boolean clean() {
            return unreached.isEmpty() && proof.stream().allMatch(check -> Boolean.TRUE.equals(check.reversible())) && lint.errors() == 0;
        }
    }

    /** A script being planned: its statements, and what it is. */
    private static final class Planned {
        final String description;
        final Phase phase;
        final List<String> comments = new ArrayList<>();
        final List<String> statements = new ArrayList<>();

        Planned(String description, Phase phase) {
            this.description = description;
            this.phase = phase;
        }
    }

    private final DatabaseConnector connector;
    private final CatalogReader catalog;
    private final SchemaBuilds builds;
    private final ReversibilityProver prover;
    private final Linter linter;
    private final SluiceConfig.Migrate settings;

    public MigrationGenerator(DatabaseConnector connector, CatalogReader catalog, SchemaBuilds builds, ReversibilityProver prover,
            Linter linter, SluiceConfig.Migrate settings) {
        this.connector = connector;
        this.catalog = catalog;
        this.builds = builds;
        this.prover = prover;
        this.linter = linter;
        this.settings = settings;
    }

    /**
     * @param request     where scratch databases are built (its scratch server, else its database's server)
     * @param scripts     the history
     * @param desiredSql  the desired schema file
     * @param description the new scripts' description ({@code add_order_notes}): letters, digits and underscores
     */
    public Outcome generate(ValidateRequest request, ScriptSet scripts, String desiredSql, String description) throws SQLException {
        if (!description.matches("[A-Za-z0-9_]{1,80}")) {
            throw new InvalidRequest("the migration's name must be 1 to 80 letters, digits and underscores, not '" + Echo.value(description)
                    + "'");
        }
        SchemaBuilds.Built history = builds.history(request, scripts, request.schema(), TargetVersion.LATEST);
        SchemaBuilds.Built desired = builds.file(request, desiredSql, "the desired schema file");
        List<String> notes = new ArrayList<>();
        List<Planned> planned = plan(SchemaDiff.between(desired.snapshot(), history.snapshot()), history.snapshot(), description, notes);
        if (planned.isEmpty()) {
            return new Outcome(List.of(), notes, List.of(), List.of(), linter.lint(List.of(), scripts::isTransactional), history.version());
        }
        int next = scripts.latestVersion() == null ? 1 : scripts.latestVersion().getMajor().intValue() + 1;
        List<Generated> generated = new ArrayList<>();
        List<SchemaDifference> unreached;
        try (ScratchDatabase scratch = ScratchDatabase.create(connector, request, "migration generation")) {
            DataSource dataSource = scratch.dataSource();
            try {
                FlywaySetup.create(dataSource, scripts, request.schema(), TargetVersion.LATEST, SessionSettings.from(settings, null, null))
                        .migrate();
            } catch (FlywayException e) {
                throw scratch.replayFailed("the migration generator's replay of the history", "its end", e);
            }
            try (Connection connection = dataSource.getConnection()) {
                Snapshot before = catalog.read(connection);
                for (int i = 0; i < planned.size(); i++) {
                    Planned script = planned.get(i);
                    String version = String.valueOf(next + i);
                    String name = "V" + version + "__" + script.description + ".sql";
                    String sql = text(script);
                    run(connection, sql, name);
                    Snapshot after = catalog.read(connection);
                    String undo = undo(connection, script, before, after, name);
                    // Forward again, from what the undo left: the next script starts where this one ends.
                    run(connection, sql, name);
                    generated.add(new Generated(version, name, sql, "U" + version + "__" + script.description + ".sql", undo, script.phase));
                    before = catalog.read(connection);
                }
                unreached = SchemaDiff.between(desired.snapshot(), before);
            }
        }
        if (!unreached.isEmpty()) {
            notes.add(unreached.size() + " difference(s) the generated scripts do not reach (" + unreached.get(0).summary()
                    + (unreached.size() > 1 ? ", ..." : "") + "): Sluice has no safe SQL for them; write them by hand");
        }
        generated = withUndoSuppressions(generated, scripts);
        List<Script> all = new ArrayList<>(scripts.all());
        List<Script> release = new ArrayList<>();
        List<PlannedScript> pending = new ArrayList<>();
        for (Generated script : generated) {
            Script up = new Script(script.name(), script.sql());
            Script down = new Script(script.undo(), script.undoSql());
            all.add(up);
            all.add(down);
            release.add(up);
            pending.add(new PlannedScript(script.version(), up.description(), script.name(), 0, !up.content().contains(" CONCURRENTLY "),
                    script.undo(), null, script.phase()));
        }
        for (int i = generated.size() - 1; i >= 0; i--) {
            release.add(new Script(generated.get(i).undo(), generated.get(i).undoSql()));
        }
        ScriptSet withGenerated = new ScriptSet(scripts.source(), all);
        List<ReversibilityCheck> proof = prover.prove(request, withGenerated, history.version(), pending);
        LintReport lint = linter.lint(scripts.ofKind(Script.Kind.VERSIONED), release, withGenerated::isTransactional);
        return new Outcome(generated, notes, unreached, proof, lint, history.version());
    }

    /** The scripts the differences take, in the order they must run. */
    private static List<Planned> plan(List<SchemaDifference> differences, Snapshot history, String description, List<String> notes) {
        Planned main = new Planned(description, Phase.EXPAND);
        List<Planned> indexDrops = new ArrayList<>();
        List<Planned> validations = new ArrayList<>();
        List<Planned> finishing = new ArrayList<>();
        List<Planned> indexBuilds = new ArrayList<>();
        Planned contract = new Planned(description + "_contract", Phase.CONTRACT);
        Set<String> created = new HashSet<>();
        for (SchemaDifference difference : differences) {
            if (difference.reconcileSql() == null) {
                continue;
            }
            for (SqlStatement each : SqlText.split(difference.reconcileSql())) {
                String statement = each.text().strip() + ";";
                Matcher table = CREATE_TABLE.matcher(statement);
                if (table.find()) {
                    created.add(table.group(1));
                }
                Matcher match;
                if (statement.startsWith("DROP INDEX CONCURRENTLY")) {
                    indexDrops.add(single(description + "_drop_index_" + simple(indexName(statement)), statement));
                } else if (statement.matches("(?s)^CREATE (UNIQUE )?INDEX CONCURRENTLY .*")) {
                    indexBuilds.add(single(description + "_index_" + simple(indexName(statement)), statement));
                } else if ((match = ADD_CHECK_OR_FK.matcher(statement)).matches() && !created.contains(match.group(1))
                        && !statement.contains(" NOT VALID")) {
                    main.statements.add(statement.substring(0, statement.length() - 1) + " NOT VALID;");
                    validations.add(single(description + "_validate_" + simple(match.group(2)),
                            "ALTER TABLE " + match.group(1) + " VALIDATE CONSTRAINT " + match.group(2) + ";"));
                } else if ((match = ADD_UNIQUE.matcher(statement)).matches() && !created.contains(match.group(1))) {
                    indexBuilds.add(single(description + "_index_" + simple(match.group(2)), "CREATE UNIQUE INDEX CONCURRENTLY "
                            + match.group(2) + " ON " + match.group(1) + " (" + match.group(4) + ");"));
                    finishing.add(single(description + "_attach_" + simple(match.group(2)), "ALTER TABLE " + match.group(1)
                            + " ADD CONSTRAINT " + match.group(2) + " " + match.group(3) + " USING INDEX " + match.group(2) + ";"));
                } else if ((match = SET_NOT_NULL.matcher(statement)).matches() && !created.contains(match.group(1))) {
                    String check = quoted(simple(match.group(2)) + "_not_null");
                    main.statements.add("ALTER TABLE " + match.group(1) + " ADD CONSTRAINT " + check + " CHECK (" + match.group(2)
                            + " IS NOT NULL) NOT VALID;");
                    validations.add(single(description + "_validate_" + simple(match.group(2)) + "_not_null",
                            "ALTER TABLE " + match.group(1) + " VALIDATE CONSTRAINT " + check + ";"));
                    Planned finish = single(description + "_" + simple(match.group(2)) + "_not_null", statement);
                    finish.statements.add("ALTER TABLE " + match.group(1) + " DROP CONSTRAINT " + check + ";");
                    finish.comments.add("-- The validated CHECK proves the column has no NULL: SET NOT NULL needs no scan, and the CHECK goes.");
                    finishing.add(finish);
                } else if ((match = DROP_COLUMN.matcher(statement)).matches()) {
                    contract.comments.add("-- The desired schema has no column " + SqlText.printableNames(match.group(2)) + " in "
                            + SqlText.printableNames(match.group(1)) + ": its data goes"
                            + " with it, and the undo script brings it back empty.");
                    contract.statements.add("-- sluice:ignore ban-drop-column (the desired schema drops it; the application no longer"
                            + " uses it)\n" + statement);
                } else if ((match = DROP_TABLE.matcher(statement)).matches()) {
                    contract.comments.add("-- The desired schema has no table " + SqlText.printableNames(match.group(1)) + ": its rows go"
                            + " with it, and the undo"
                            + " script brings it back empty.");
                    contract.statements.add("-- sluice:ignore ban-drop-table (the desired schema drops it; the application no longer uses"
                            + " it)\n" + statement);
                } else {
                    main.statements.add(statement);
                }
            }
        }
        renames(differences, history, main, contract, notes);
        List<Planned> order = new ArrayList<>(indexDrops);
        if (!main.statements.isEmpty()) {
            order.add(main);
        }
        order.addAll(validations);
        order.addAll(indexBuilds);
        order.addAll(finishing);
        if (!contract.statements.isEmpty()) {
            order.add(contract);
        }
        return order;
    }

    /** A column dropped and one added to the same table with the same type: said, never acted on. */
    private static void renames(List<SchemaDifference> differences, Snapshot history, Planned main, Planned contract, List<String> notes) {
        Map<String, SchemaDifference> added = new LinkedHashMap<>();
        for (SchemaDifference difference : differences) {
            if (difference.kind().equals("column") && difference.change() == Change.REMOVED) {
                added.put(difference.name(), difference);
            }
        }
        for (SchemaDifference dropped : differences) {
            if (!dropped.kind().equals("column") || dropped.change() != Change.ADDED) {
                continue;
            }
            String table = dropped.name().substring(0, dropped.name().lastIndexOf('.'));
            var droppedColumn = history.objects().stream().filter(object -> object.name().equals(dropped.name())).findFirst();
            for (String name : added.keySet()) {
                if (name.startsWith(table + ".") && droppedColumn.isPresent() && added.get(name).reconcileSql() != null
                        && added.get(name).reconcileSql().contains(" " + droppedColumn.get().attribute("type"))) {
                    String note = "possible rename: " + SqlText.printableNames(dropped.name()) + " → " + SqlText.printableNames(name)
                            + " (one dropped, one added, same type); the"
                            + " scripts drop the one with its data and add the other empty. A rename is never guessed: if it is one,"
                            + " write it as one in two releases (expand: add, copy, write both; contract: drop)";
                    notes.add(note);
                    main.comments.add("-- " + note);
                    contract.comments.add("-- " + note);
                }
            }
        }
    }

    private static Planned single(String description, String statement) {
        Planned planned = new Planned(description.length() > 100 ? description.substring(0, 100) : description, Phase.EXPAND);
        planned.statements.add(statement);
        return planned;
    }

    private static String text(Planned script) {
        StringBuilder text = new StringBuilder("-- Generated by Sluice from the desired schema file: review it as you would your own.\n");
        if (script.phase == Phase.CONTRACT) {
            text.append("-- sluice:phase contract\n");
        }
        script.comments.forEach(comment -> text.append(comment).append('\n'));
        script.statements.forEach(statement -> text.append(SqlText.printableNames(statement)).append('\n'));
        return text.toString();
    }

    /**
     * The undo script of {@code script}: what brings the schema after it ({@code after}) back to the schema before it,
     * run in the scratch database to see that it does. A statement the reconcile leaves out (an index a dropped
     * constraint took with it) is added from what is still missing.
     */
    private String undo(Connection connection, Planned script, Snapshot before, Snapshot after, String name) throws SQLException {
        StringBuilder text = new StringBuilder("-- Generated by Sluice: brings the schema back to what it was before " + name + ".\n");
        if (script.phase == Phase.CONTRACT) {
            text.append("-- What the script dropped comes back empty: its data is gone.\n");
        }
        String back = SqlText.printableNames(SchemaDiff.reconcileScript(SchemaDiff.between(before, after)));
        run(connection, back, "U" + name.substring(1));
        text.append(back);
        List<SchemaDifference> left = SchemaDiff.between(before, catalog.read(connection));
        if (!left.isEmpty()) {
            String rest = SqlText.printableNames(SchemaDiff.reconcileScript(left));
            run(connection, rest, "U" + name.substring(1));
            text.append(rest);
        }
        return text.toString();
    }

    /**
     * Undo scripts put back what their scripts changed, and sometimes that is what lint warns against (a type narrowed
     * back, {@code SET NOT NULL} back, a CHECK back as it was): each such statement says so, suppressing the rule with
     * the reason, visible in review. The scripts themselves get no suppression: their errors are reported.
     */
    private List<Generated> withUndoSuppressions(List<Generated> generated, ScriptSet scripts) {
        List<Script> release = new ArrayList<>();
        generated.forEach(script -> release.add(new Script(script.name(), script.sql())));
        for (int i = generated.size() - 1; i >= 0; i--) {
            release.add(new Script(generated.get(i).undo(), generated.get(i).undoSql()));
        }
        List<Script> all = new ArrayList<>(scripts.all());
        release.forEach(all::add);
        ScriptSet withGenerated = new ScriptSet(scripts.source(), all);
        Map<String, Map<Integer, Set<String>>> byScript = new LinkedHashMap<>();
        linter.lint(scripts.ofKind(Script.Kind.VERSIONED), release, withGenerated::isTransactional).findings().stream()
                .filter(finding -> finding.severity().equals("ERROR") && finding.script().startsWith("U"))
                .forEach(finding -> byScript.computeIfAbsent(finding.script(), script -> new java.util.TreeMap<>())
                        .computeIfAbsent(finding.line(), line -> new java.util.TreeSet<>()).add(finding.rule()));
        List<Generated> result = new ArrayList<>();
        for (Generated script : generated) {
            Map<Integer, Set<String>> lines = byScript.get(script.undo());
            if (lines == null) {
                result.add(script);
                continue;
            }
            List<String> text = new ArrayList<>(List.of(script.undoSql().split("\n", -1)));
            List<Integer> descending = new ArrayList<>(lines.keySet());
            java.util.Collections.reverse(descending);
            for (int line : descending) {
                text.add(line - 1, "-- sluice:ignore " + String.join(", ", lines.get(line)) + " (an undo script puts back what its script"
                        + " changed; this statement is what that takes)");
            }
            result.add(new Generated(script.version(), script.name(), script.sql(), script.undo(), String.join("\n", text), script.phase()));
        }
        return result;
    }

    /** Runs a generated script's statements one by one, as written. */
    private static void run(Connection connection, String sql, String name) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (SqlStatement each : SqlText.split(sql)) {
                if (each.normalized().isEmpty()) {
                    continue;
                }
                try {
                    statement.execute(each.text());
                } catch (SQLException e) {
                    throw new InvalidRequest(name + ", line " + each.line() + ": the generated statement fails in a scratch database at the"
                            + " history's end: " + CallerErrors.describe(e, each.text(), 0, each.line()), e);
                }
            }
        }
    }

    private static String indexName(String statement) {
        Matcher matcher = INDEX_NAME.matcher(statement);
        return matcher.find() ? matcher.group(1) : "index";
    }

    /** A name for a file: the object's unqualified name, letters, digits and underscores. */
    private static String simple(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1).replace("\"", "");
        return last.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    }

    private static String quoted(String name) {
        return "\"" + (name.length() > 63 ? name.substring(0, 63) : name) + "\"";
    }
}
