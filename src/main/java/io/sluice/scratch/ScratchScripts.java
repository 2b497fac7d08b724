package io.sluice.scratch;

import java.util.List;
import java.util.Optional;

import org.flywaydb.core.api.MigrationVersion;

import io.sluice.event.PlannedScript;
import io.sluice.migration.Script;
import io.sluice.migration.ScriptSet;
import io.sluice.sql.ServerWide;
import io.sluice.sql.SqlStatement;
import io.sluice.sql.SqlText;

/**
 * Lint's view of what scratch work would run: scratch databases live on an isolated server (the deployment's
 * {@link io.sluice.isolation.Isolation}) and what runs there runs as a role that may not act beyond its database; on top
 * of that, a script that says it would act beyond one database proves nothing about the database, so none that would
 * run there may act beyond its database ({@link ServerWide#in}: roles, grants of roles, other databases, server
 * settings, files, other sessions) or hide what it does ({@link ServerWide#opaque}: SQL built at run time, a body in
 * another language). The work is then not done, and reported as not provable, naming the script and line.
 */
public final class ScratchScripts {

    /**
     * Why a script cannot run in a scratch database.
     *
     * @param script    the script
     * @param line      the line of what it does
     * @param statement the statement, abbreviated
     * @param reason    what it does: "ALTER ROLE (roles belong to the whole server) acts beyond one database"
     */
    public record Refusal(String script, int line, String statement, String reason) {

        /** "not provable: V3__roles.sql line 4: ALTER ROLE ... acts beyond one database; ..." */
        public String message() {
            return "not provable: " + script + " line " + line + ": " + reason + "; Sluice never runs such a script in a scratch"
                    + " database: what acts beyond one database proves nothing about it";
        }
    }

    private static final int EXCERPT = 120;

    private ScratchScripts() {
    }

    /**
     * The first script that scratch work up to {@code upTo} would run and must not: versioned scripts up to it, their
     * undo scripts when {@code withUndo}, and every repeatable script (a migrate runs them after the versioned ones).
     *
     * @param upTo the highest version the work reaches; null when it applies no versioned script
     */
    public static Optional<Refusal> refusal(ScriptSet scripts, MigrationVersion upTo, boolean withUndo) {
        for (Script script : scripts.all()) {
            if (!runs(script, upTo, withUndo)) {
                continue;
            }
            for (SqlStatement statement : SqlText.split(script.content())) {
                List<ServerWide.Reach> reaches = ServerWide.in(statement.text());
                if (!reaches.isEmpty()) {
                    ServerWide.Reach first = reaches.get(0);
                    return Optional.of(new Refusal(script.path(), first.line(statement.line()),
                            excerpt(statement.text()), first.what() + " acts beyond one database"));
                }
                Optional<String> opaque = ServerWide.opaque(statement.text());
                if (opaque.isPresent()) {
                    return Optional.of(new Refusal(script.path(), statement.line(), excerpt(statement.text()),
                            "cannot be shown to stay in one database: " + opaque.get()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The highest version scratch work reaches: the last pending versioned script's, else the current one's; null for
     * an empty history with nothing pending.
     */
    public static MigrationVersion highest(String current, List<PlannedScript> versioned) {
        if (!versioned.isEmpty()) {
            return MigrationVersion.fromVersion(versioned.get(versioned.size() - 1).version());
        }
        return current == null ? null : MigrationVersion.fromVersion(current);
    }

    private static boolean runs(Script script, MigrationVersion upTo, boolean withUndo) {
        return switch (script.kind()) {
            case REPEATABLE -> true;
            case VERSIONED -> upTo != null && script.version().compareTo(upTo) <= 0;
            case UNDO -> withUndo && upTo != null && script.version().compareTo(upTo) <= 0;
            default -> false;
        };
    }

    private static String excerpt(String statement) {
        String line = statement.replaceAll("\\s+", " ").strip();
        return line.length() <= EXCERPT ? line : line.substring(0, EXCERPT) + "...";
    }
}
