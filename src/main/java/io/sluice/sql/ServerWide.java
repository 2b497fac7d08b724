package io.sluice.sql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What in a statement acts beyond the one database it runs in: roles and role memberships, databases, tablespaces,
 * server settings, subscriptions, files and programs of the server, other sessions. A scratch database isolates a
 * database, not the server it lives on, so a script holding any of these must never run there; lint reports them
 * ({@code server-wide-statement}). The bodies of DO blocks and of the functions and procedures a statement creates are
 * read as statements too (a function created in one script runs when a later one calls it); what cannot be read
 * ({@link #opaque}: SQL built at run time, a body in another language) cannot be shown to stay in its database.
 */
public final class ServerWide {

    /**
     * One thing a statement does beyond its database.
     *
     * @param offset where in the statement (as {@link SqlText#decoded} reads it) it is written
     * @param lines  how many line breaks come before it in the statement
     * @param what   what it is, for a person: "ALTER ROLE (roles belong to the whole server)"
     */
    public record Reach(int offset, int lines, String what) {

        /** Its line in the script, for a statement that starts on line {@code firstLine}. */
        public int line(int firstLine) {
            return firstLine + lines;
        }
    }

    /** @param names whether its second group is a name, said in lower case (PostgreSQL folds it so) */
    private record Kind(Pattern pattern, String what, boolean names) {
    }

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
    /** Where a statement starts: the text's start, a ';', or the PL/pgSQL words a statement follows. */
    private static final String START = "(?:^|;|\\b(?:BEGIN|THEN|ELSE|LOOP)\\b)\\s*";
    private static final List<Kind> KINDS = List.of(
            kind("(CREATE|ALTER|DROP)\\s+(ROLE|USER|GROUP)\\b(?!\\s+MAPPING\\b)", "%1$s %2$s (roles belong to the whole server)"),
            kind("(GRANT)\\s+(?:(?!\\bON\\b)[^;])*?\\bTO\\b", "GRANT of a role (role memberships belong to the whole server)"),
            kind("(REVOKE)\\s+(?:(?!\\bON\\b)[^;])*?\\bFROM\\b", "REVOKE of a role (role memberships belong to the whole server)"),
            kind("(GRANT|REVOKE)\\s+[^;]*?\\bON\\s+(DATABASE|TABLESPACE|PARAMETER)\\b", "%1$s ON %2$s (a shared object)"),
            kind("(REASSIGN|DROP)\\s+OWNED\\b", "%1$s OWNED (reaches the server's shared objects)"),
            kind("(CREATE|ALTER|DROP)\\s+DATABASE\\b", "%1$s DATABASE (acts on a database other than its own)"),
            kind("(ALTER)\\s+SYSTEM\\b", "ALTER SYSTEM (the server's configuration)"),
            kind("(CREATE|ALTER|DROP)\\s+TABLESPACE\\b", "%1$s TABLESPACE (tablespaces belong to the whole server)"),
            kind("(CREATE|ALTER|DROP)\\s+SUBSCRIPTION\\b", "%1$s SUBSCRIPTION (connects to another server)"),
            kind("(COMMENT|SECURITY\\s+LABEL)\\s+ON\\s+(ROLE|DATABASE|TABLESPACE)\\b", "%1$s ON %2$s (a shared object)"),
            kind("(LOAD)\\b", "LOAD (a library into the server)"),
            named("(LOCK)\\s+(?:TABLE\\s+)?(?:ONLY\\s+)?(?:[^;]*?[\\s,.\"])?(" + String.join("|", SharedCatalogs.NAMES)
                    + ")\"?(?![\\w$])", "LOCK of the shared catalog %2$s (every database's sessions read it: logins, roles)"));
    private static final Pattern COPY = Pattern.compile(START + "(COPY)\\b", FLAGS);

    /** A COPY's direction; a quoted file name may follow it with no space between. */
    private static final Pattern COPY_DIRECTION = Pattern.compile("\\b(FROM|TO)\\b", FLAGS);

    /**
     * Functions that signal or stop other sessions, change the server, or reach its files or other databases: named
     * anywhere, not only called, since an operator, a cast or an aggregate can call what it names
     * ({@code CREATE OPERATOR !! (FUNCTION = pg_terminate_backend, ...)}).
     */
    private static final Pattern FUNCTION = Pattern.compile("(?<![\\w$])(pg_terminate_backend|pg_cancel_backend|pg_signal_backend"
            + "|pg_reload_conf|pg_rotate_logfile|pg_promote|pg_switch_wal|pg_create_restore_point|pg_log_backend_memory_contexts"
            + "|pg_backup_start|pg_backup_stop|pg_start_backup|pg_stop_backup|pg_wal_replay_pause|pg_wal_replay_resume"
            + "|pg_create_physical_replication_slot|pg_create_logical_replication_slot|pg_drop_replication_slot"
            + "|pg_copy_physical_replication_slot|pg_copy_logical_replication_slot|pg_replication_slot_advance"
            + "|pg_replication_origin_\\w+|pg_read_file|pg_read_binary_file|pg_ls_\\w*dir|pg_stat_file|pg_file_\\w+"
            + "|lo_import|lo_export|dblink\\w*)(?![\\w$])", Pattern.CASE_INSENSITIVE);
    /**
     * Functions that run the text they are given as a query: what they run is SQL built at run time. Their constant
     * arguments are read as statements as well, so that a call hidden in one is found as if written plainly.
     * {@code ts_rewrite} does so in its two-argument form only ({@code ts_rewrite(query, 'SELECT ...')}).
     */
    private static final Pattern RUNS_QUERY_TEXT = Pattern.compile("(?<![\\w$])(\\w*_to_xml\\w*|ts_stat|ts_rewrite)\\s*\\(",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BODY_OWNER = Pattern.compile("^(DO\\b|CREATE (OR REPLACE )?(FUNCTION|PROCEDURE)\\b)");
    private static final Pattern LANGUAGE = Pattern.compile("\\bLANGUAGE\\s+\"?'?([A-Za-z0-9_]+)");
    private static final Pattern DYNAMIC = Pattern.compile("\\bEXECUTE\\b(?!\\s+(FUNCTION|PROCEDURE)\\b)", Pattern.CASE_INSENSITIVE);
    private static final int MAX_DEPTH = 4;

    private ServerWide() {
    }

    private static Kind kind(String regex, String what) {
        return new Kind(Pattern.compile(START + regex, FLAGS), what, false);
    }

    private static Kind named(String regex, String what) {
        return new Kind(Pattern.compile(START + regex, FLAGS), what, true);
    }

    /**
     * What statement {@code sql} does beyond its database, in the order written; empty when nothing. Read as PostgreSQL
     * reads it: Unicode escapes decoded first ({@link SqlText#decoded}).
     */
    public static List<Reach> in(String sql) {
        String decoded = SqlText.decoded(sql);
        List<Reach> found = new ArrayList<>();
        collect(decoded, 0, 0, found);
        found.sort(Comparator.comparingInt(Reach::offset));
        return found.stream().map(reach -> new Reach(reach.offset(), lines(decoded, reach.offset()), reach.what())).toList();
    }

    private static int lines(String text, int offset) {
        return (int) text.substring(0, Math.min(offset, text.length())).chars().filter(c -> c == '\n').count();
    }

    private static void collect(String sql, int base, int depth, List<Reach> found) {
        String blanked = SqlText.blanked(sql);
        for (Kind kind : KINDS) {
            Matcher matcher = kind.pattern().matcher(blanked);
            while (matcher.find()) {
                Object[] words = new Object[matcher.groupCount()];
                for (int g = 0; g < words.length; g++) {
                    words[g] = matcher.group(g + 1) == null ? "" : matcher.group(g + 1).replaceAll("\\s+", " ");
                    words[g] = kind.names() && g == 1 ? words[g].toString().toLowerCase(Locale.ROOT) : words[g];
                }
                found.add(new Reach(base + matcher.start(1), 0, String.format(kind.what(), words)));
            }
        }
        Matcher copy = COPY.matcher(blanked);
        while (copy.find()) {
            copyTarget(sql, blanked, copy.end(1)).ifPresent(what -> found.add(new Reach(base + copy.start(1), 0, what)));
        }
        // A quoted name calls the same function (in any case PostgreSQL's are lower-case): the quotes go, after blanking.
        Matcher call = FUNCTION.matcher(blanked.replace('"', ' '));
        while (call.find()) {
            found.add(new Reach(base + call.start(1), 0, call.group(1).toLowerCase(Locale.ROOT)
                    + "() (acts on other sessions, the server, its files or other databases)"));
        }
        if (depth < MAX_DEPTH && (depth > 0 || ownsBodies(sql) || RUNS_QUERY_TEXT.matcher(blanked.replace('"', ' ')).find())) {
            for (SqlText.Literal literal : SqlText.literals(sql)) {
                collect(literal.content(), base + literal.start() + (literal.escaped() ? 2 : 1), depth + 1, found);
            }
        }
    }

    /**
     * What the COPY at {@code from} reads or writes when that is the server's: its {@code FROM} or {@code TO} (outside
     * parentheses, before the statement ends) followed by {@code PROGRAM} or a file name.
     */
    private static Optional<String> copyTarget(String sql, String blanked, int from) {
        int depth = 0;
        Matcher word = COPY_DIRECTION.matcher(blanked).useTransparentBounds(true);
        for (int i = from; i < blanked.length() && blanked.charAt(i) != ';'; i++) {
            char c = blanked.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && word.region(i, blanked.length()).lookingAt()) {
                // Blanked, the file name is spaces too: what follows is read in the text itself.
                String next = sql.substring(word.end()).stripLeading().toUpperCase(Locale.ROOT);
                String direction = word.group(1).toUpperCase(Locale.ROOT);
                if (next.startsWith("PROGRAM")) {
                    return Optional.of("COPY ... " + direction + " PROGRAM (runs a program on the server)");
                }
                // A file name is any string constant: '...', E'...', U&'...' or dollar-quoted.
                if (next.startsWith("'") || next.startsWith("E'") || next.startsWith("U&'") || next.startsWith("$")) {
                    return Optional.of("COPY ... " + direction + " a server file (the server's file system)");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Why statement {@code sql} cannot be shown to stay in its database, or empty when it can: a DO block or a
     * function that runs SQL it builds at run time ({@code EXECUTE} of anything but one string literal), or whose body
     * is in a language other
     * than SQL or PL/pgSQL, or an escape-string body ({@code E'...'}), which is not read; or one after which the server
     * reads the script's strings otherwise than lint did ({@link StringReading}).
     */
    public static Optional<String> opaque(String sql) {
        Optional<String> strings = StringReading.change(sql);
        if (strings.isPresent()) {
            return strings;
        }
        return opaque(SqlText.decoded(sql), 0);
    }

    private static Optional<String> opaque(String sql, int depth) {
        Matcher runsQuery = RUNS_QUERY_TEXT.matcher(SqlText.blanked(sql).replace('"', ' '));
        while (runsQuery.find()) {
            String function = runsQuery.group(1).toLowerCase(Locale.ROOT);
            if (!function.equals("ts_rewrite") || arguments(sql, runsQuery.end()) == 2) {
                return Optional.of("it runs SQL built at run time (" + function + "() runs the text it is given as a query)");
            }
        }
        if (depth == 0 && !ownsBodies(sql)) {
            return Optional.empty();
        }
        String shape = SqlText.shape(sql);
        Matcher language = LANGUAGE.matcher(shape);
        if (language.find() && !List.of("SQL", "PLPGSQL").contains(language.group(1).toUpperCase(Locale.ROOT))) {
            return Optional.of("its body is in " + language.group(1).toLowerCase(Locale.ROOT) + ", which Sluice does not read");
        }
        for (SqlText.Literal literal : SqlText.literals(sql)) {
            if (literal.escaped()) {
                return Optional.of("its body is an escape string (E'...'), which Sluice does not read");
            }
            Matcher execute = DYNAMIC.matcher(SqlText.blanked(literal.content()));
            while (execute.find()) {
                if (!constantArgument(literal.content(), execute.end())) {
                    return Optional.of("it runs SQL built at run time (EXECUTE), which could do anything");
                }
            }
            if (depth < MAX_DEPTH) {
                Optional<String> inner = opaque(literal.content(), depth + 1);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the {@code EXECUTE} ending at {@code from} runs one string literal (then read like any body, for what it
     * does), optionally with {@code INTO} or {@code USING}: {@code EXECUTE 'CREATE TABLE t (id int)'}.
     */
    private static boolean constantArgument(String body, int from) {
        int at = from;
        while (at < body.length() && Character.isWhitespace(body.charAt(at))) {
            at++;
        }
        for (SqlText.Literal literal : SqlText.literals(body)) {
            if (literal.start() == at && !literal.escaped()) {
                String rest = SqlText.blanked(body.substring(literal.end())).stripLeading();
                return rest.isEmpty() || rest.startsWith(";") || rest.startsWith("INTO ") || rest.startsWith("USING ");
            }
        }
        return false;
    }

    /** How many arguments the call whose opening parenthesis ends just before {@code from} has (literals blanked). */
    private static int arguments(String sql, int from) {
        String blanked = SqlText.blanked(sql);
        int depth = 1;
        int commas = 0;
        int i = from;
        for (; i < blanked.length(); i++) {
            char c = blanked.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                break;
            } else if (c == ',' && depth == 1) {
                commas++;
            }
        }
        return sql.substring(from, Math.min(i, sql.length())).isBlank() ? 0 : commas + 1;
    }

    private static boolean ownsBodies(String sql) {
        return BODY_OWNER.matcher(SqlText.shape(sql)).find();
    }
}
