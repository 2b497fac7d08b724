package io.sluice.migration;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.api.MigrationVersion;

import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.Phase;
import io.sluice.sql.SqlText;

/**
 * One file of a migration source, named the Flyway way: {@code V<version>__<desc>.sql} (versioned),
 * {@code U<version>__<desc>.sql} (undo), {@code R__<desc>.sql} (repeatable), or a {@code .sql.conf} script
 * configuration.
 *
 * @param path    path relative to the source's root, with '/' separators
 * @param content the text, decoded as UTF-8, without a byte-order mark
 */
public record Script(String path, String content) {

    /** What a file is, judged by its name. */
    public enum Kind { VERSIONED, UNDO, REPEATABLE, CONFIG, UNRECOGNISED }

    private static final Pattern VERSIONED_OR_UNDO = Pattern.compile("([VU])(\\d+(?:[._]\\d+)*)__(.+)\\.sql");
    private static final Pattern REPEATABLE = Pattern.compile("R__(.+)\\.sql");
    /** The line that declares a batched data migration (see {@code io.sluice.backfill.BatchSpec}). */
    public static final Pattern BATCH_HEADER = Pattern.compile("^\\s*--\\s*sluice:batch\\b(.*)$", Pattern.MULTILINE);
    /** The line that declares a versioned script's phase: {@code -- sluice:phase contract}. */
    private static final Pattern PHASE_HEADER = Pattern.compile("^[ \\t]*--[ \\t]*sluice:phase\\b(.*)$", Pattern.MULTILINE);

    public Script {
        if (content.startsWith("\uFEFF")) {
            content = content.substring(1);
        }
    }

    public String fileName() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    public Kind kind() {
        String name = fileName();
        if (name.endsWith(".sql.conf")) {
            return Kind.CONFIG;
        }
        Matcher matcher = VERSIONED_OR_UNDO.matcher(name);
        if (matcher.matches()) {
            return matcher.group(1).equals("V") ? Kind.VERSIONED : Kind.UNDO;
        }
        return REPEATABLE.matcher(name).matches() ? Kind.REPEATABLE : Kind.UNRECOGNISED;
    }

    /** Whether the script declares itself a batched data migration ({@code -- sluice:batch ...}). */
    public boolean isBatched() {
        return BATCH_HEADER.matcher(content).find();
    }

    /**
     * The phase the script declares ({@code -- sluice:phase expand|contract}, on a line of its own anywhere in it);
     * {@code expand} when it declares none.
     *
     * @throws InvalidRequest when the declaration names no phase, two declarations disagree, or a script that is not
     *                        versioned declares one (an undo or repeatable script runs when the migration it belongs to
     *                        runs, so a phase there would say something untrue)
     */
    public Phase phase() {
        Matcher matcher = PHASE_HEADER.matcher(content);
        Phase declared = null;
        while (matcher.find()) {
            String word = matcher.group(1).strip();
            Phase phase = switch (word) {
                case "expand" -> Phase.EXPAND;
                case "contract" -> Phase.CONTRACT;
                default -> throw new InvalidRequest(path + ": '-- sluice:phase " + Echo.value(word) + "' names no phase; write"
                        + " '-- sluice:phase expand' or '-- sluice:phase contract'");
            };
            if (declared != null && declared != phase) {
                throw new InvalidRequest(path + " declares both phases (expand and contract); keep one '-- sluice:phase' line");
            }
            declared = phase;
        }
        if (declared != null && kind() != Kind.VERSIONED) {
            throw new InvalidRequest(path + " declares a phase, and only a versioned (V) script has one: an undo or repeatable"
                    + " script runs when its migration does; remove the '-- sluice:phase' line");
        }
        return declared == null ? Phase.EXPAND : declared;
    }

    /**
     * The text Flyway is given. A batched script's {@code :lo} and {@code :hi} become NULL, so that where Flyway runs
     * it (the scratch databases of a proof, a lock probe or a rebuilt version, whose tables hold no rows) it is a valid
     * statement that touches nothing; on the live database Sluice runs its batches itself and Flyway never does.
     */
    public String flywayText() {
        if (!isBatched()) {
            return content;
        }
        try {
            return SqlText.bind(content, Map.of("lo", "NULL", "hi", "NULL"));
        } catch (IllegalArgumentException e) {
            return content; // another parameter: BatchSpec reports the declaration as invalid
        }
    }

    /** The version of a versioned or undo script; null otherwise. */
    public MigrationVersion version() {
        Matcher matcher = VERSIONED_OR_UNDO.matcher(fileName());
        return matcher.matches() ? MigrationVersion.fromVersion(matcher.group(2)) : null;
    }

    /** The description as Flyway derives it: the part after {@code __}, underscores read as spaces. */
    public String description() {
        Matcher matcher = VERSIONED_OR_UNDO.matcher(fileName());
        if (matcher.matches()) {
            return matcher.group(3).replace('_', ' ');
        }
        Matcher repeatable = REPEATABLE.matcher(fileName());
        return repeatable.matches() ? repeatable.group(1).replace('_', ' ') : null;
    }
}
