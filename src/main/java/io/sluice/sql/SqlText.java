package io.sluice.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits PostgreSQL script text into statements. It knows the lexical rules that decide where a statement ends:
 * quoted strings ({@code '...'}, {@code E'...'} with backslash escapes), quoted identifiers, dollar quoting
 * ({@code $$...$$}, {@code $tag$...$tag$}), line and nested block comments, SQL-standard function bodies
 * ({@code BEGIN ATOMIC ... END} of a {@code CREATE FUNCTION} or {@code PROCEDURE}) and the data lines of
 * {@code COPY ... FROM STDIN}. Identifiers are PostgreSQL's: any character beyond ASCII belongs to one, and a
 * {@code $} inside one (as in {@code €$$}) starts no dollar quote.
 */
public final class SqlText {

    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$([A-Za-z_\\u0080-\\uFFFF][A-Za-z0-9_\\u0080-\\uFFFF]*)?\\$");
    /** The words that may open a routine whose body is {@code BEGIN ATOMIC ... END}. */
    private static final Set<String> ROUTINE_PREFIX = Set.of("CREATE", "OR", "REPLACE");
    /** A dot between the parts of a qualified name, with the blanks a script may put around it. */
    private static final Pattern TOKEN_DOT = Pattern.compile(" ?\\. ?(?=[A-Za-z_\"*\\u0080-\\uFFFF])");
    private static final Pattern COPY_FROM_STDIN = Pattern.compile("^COPY\\b.*\\bFROM\\s+STDIN\\b.*", Pattern.DOTALL);

    private SqlText() {
    }

    /** Whether {@code c} may start an identifier, as PostgreSQL's scanner says: an ASCII letter, {@code _}, any non-ASCII character. */
    static boolean isIdentifierStart(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c >= 0x80;
    }

    /** Whether {@code c} may continue an identifier: a start character, a digit or {@code $}. */
    static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || c >= '0' && c <= '9' || c == '$';
    }

    /**
     * Where {@code sql} has a {@code ;} outside strings, quoted identifiers, dollar bodies and comments, other than one
     * that only whitespace and comments follow; -1 when it has none: one statement as PostgreSQL reads it.
     */
    public static int separatorInside(String sql) {
        int i = 0;
        while (i < sql.length()) {
            int end = Scanner.skipQuotedOrComment(sql, i);
            if (end != i) {
                i = end;
                continue;
            }
            if (sql.charAt(i) == ';' && !withoutComments(sql.substring(i + 1)).isBlank()) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /**
     * The text of the one statement {@code sql} holds, without the comments and blanks around it and its last
     * {@code ;}: what can be written inside parentheses. {@code sql} has passed {@link QueryGate}, or holds one
     * statement otherwise.
     */
    public static String statementText(String sql) {
        List<SqlStatement> statements = split(sql);
        return statements.isEmpty() ? "" : statements.get(0).text();
    }

    public static List<SqlStatement> split(String sql) {
        List<SqlStatement> statements = new ArrayList<>();
        Scanner scanner = new Scanner(sql);
        while (true) {
            SqlStatement statement = scanner.next();
            if (statement == null) {
                return statements;
            }
            statements.add(statement);
        }
    }

    /** The text with comments replaced by a space; strings and quoted identifiers are kept as they are. */
    public static String withoutComments(String sql) {
        return rewrite(sql, Literals.KEEP);
    }

    /**
     * The text with every comment, string literal and dollar body replaced by spaces of the same length, line breaks
     * kept, upper-cased: positions (and so lines) in it are positions in the text.
     */
    public static String blanked(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            int end = Scanner.skipQuotedOrComment(sql, i);
            if (end == i || sql.charAt(i) == '"') {
                out.append(sql, i, end == i ? i + 1 : end);
                i = end == i ? i + 1 : end;
                continue;
            }
            for (int j = i; j < end; j++) {
                out.append(sql.charAt(j) == '\n' ? '\n' : ' ');
            }
            i = end;
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }

    /**
     * The statement with comments removed and each dollar-quoted body (a function's, a DO block's) written as the
     * plain string literal {@code 'body'}: what a grammar without dollar quoting reads the same way PostgreSQL does.
     */
    public static String withPlainBodies(String sql) {
        return rewrite(sql, Literals.PLAIN_BODIES);
    }

    /**
     * The statement's keyword skeleton for pattern matching: comments removed, string literals and dollar-quoted
     * bodies replaced by {@code ?}, whitespace collapsed, upper-cased. Quoted identifiers stay (upper-cased).
     */
    public static String shape(String sql) {
        return rewrite(sql, Literals.BLANK).replaceAll("\\s+", " ").trim().toUpperCase(Locale.ROOT);
    }

    /** What stands for a blank inside a quoted identifier in {@link #tokenShape}, so that one name is one token. */
    public static final char NAME_BLANK = '\u00A0';

    /**
     * {@link #shape} read token by token, as PostgreSQL's scanner splits the text: every {@code (}, {@code )} and
     * {@code ,} stands apart with one blank each side, a qualified name is one token ({@code app . t} reads
     * {@code APP.T}), and a blank inside a quoted identifier is {@link #NAME_BLANK}. So a pattern's {@code \S+} reads
     * exactly one name whatever the spelling: {@code ON t(x)}, {@code ON t (x)}, {@code ON "My t"(x)}, a line break
     * before the parenthesis.
     */
    public static String tokenShape(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int i = 0;
        while (i < sql.length()) {
            int end = Scanner.skipQuotedOrComment(sql, i);
            char c = sql.charAt(i);
            if (end == i) {
                if (c == '(' || c == ')' || c == ',') {
                    out.append(' ').append(c).append(' ');
                } else {
                    out.append(c);
                }
                i++;
                continue;
            }
            if (c == '-' || c == '/') {
                out.append(' ');
            } else if (c == '"') {
                for (int j = i; j < end; j++) {
                    char inside = sql.charAt(j);
                    out.append(Character.isWhitespace(inside) ? NAME_BLANK : inside);
                }
            } else {
                if (c == '\'' && Scanner.hasEscapePrefix(sql, i)) {
                    out.setLength(out.length() - 1);
                }
                out.append('?');
            }
            i = end;
        }
        return TOKEN_DOT.matcher(out.toString().replaceAll("\\s+", " ").trim()).replaceAll(".").toUpperCase(Locale.ROOT);
    }

    /**
     * A fragment of a {@link #tokenShape} spelled for people: no blanks inside parentheses or before a comma, a
     * quoted name's blanks back ({@code ARCHIVE_ORDERS ( INT , TEXT )} reads {@code ARCHIVE_ORDERS(INT, TEXT)}).
     */
    public static String spelled(String fragment) {
        return fragment.replace(" ( ", "(").replace("( ", "(").replace(" )", ")").replace(" , ", ", ")
                .replace(NAME_BLANK, ' ');
    }

    /**
     * The {@code :name} parameters of {@code sql} outside strings, quoted identifiers, dollar bodies and comments
     * ({@code ::type} casts are not parameters), in order of appearance.
     */
    public static List<String> parameters(String sql) {
        List<String> found = new ArrayList<>();
        forEachParameter(sql, (name, start, end) -> found.add(name));
        return found;
    }

    /** {@code sql} with each {@code :name} parameter (as {@link #parameters} finds them) replaced by its value. */
    public static String bind(String sql, Map<String, String> values) {
        StringBuilder out = new StringBuilder(sql.length());
        int[] copied = {0};
        forEachParameter(sql, (name, start, end) -> {
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for parameter :" + name);
            }
            out.append(sql, copied[0], start).append(value);
            copied[0] = end;
        });
        return out.append(sql, copied[0], sql.length()).toString();
    }

    private interface ParameterVisitor {
        void visit(String name, int start, int end);
    }

    private static void forEachParameter(String sql, ParameterVisitor visitor) {
        int i = 0;
        while (i < sql.length()) {
            int end = Scanner.skipQuotedOrComment(sql, i);
            if (end != i) {
                i = end;
                continue;
            }
            char c = sql.charAt(i);
            if (c == ':' && i + 1 < sql.length() && (i == 0 || sql.charAt(i - 1) != ':') && sql.charAt(i + 1) != ':'
                    && Character.isLetter(sql.charAt(i + 1))) {
                int stop = i + 1;
                while (stop < sql.length() && (Character.isLetterOrDigit(sql.charAt(stop)) || sql.charAt(stop) == '_')) {
                    stop++;
                }
                visitor.visit(sql.substring(i + 1, stop), i, stop);
                i = stop;
                continue;
            }
            i++;
        }
    }

    /**
     * The functions {@code sql} calls, outside strings, comments and dollar bodies: each name that comes before a
     * {@code (} (whitespace and comments between them allowed), the last part of a qualified name. An unquoted name is
     * lower-cased, as PostgreSQL folds it; a quoted one is kept as it is. Keywords before a parenthesis ({@code IN},
     * {@code VALUES}) come along too.
     */
    public static List<String> functionCalls(String sql) {
        List<String> calls = new ArrayList<>();
        String pending = null;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int end = Scanner.skipQuotedOrComment(sql, i);
            if (c == '"' && end > i) {
                pending = sql.substring(i + 1, Math.max(i + 1, end - 1)).replace("\"\"", "\"");
                i = end;
            } else if (end > i) {
                i = end;
            } else if (isIdentifierStart(c)) {
                int wordEnd = i;
                while (wordEnd < sql.length() && isIdentifierPart(sql.charAt(wordEnd))) {
                    wordEnd++;
                }
                pending = sql.substring(i, wordEnd).toLowerCase(Locale.ROOT);
                i = wordEnd;
            } else if (c == '(' && pending != null) {
                calls.add(pending);
                pending = null;
                i++;
            } else {
                if (!Character.isWhitespace(c)) {
                    pending = null;
                }
                i++;
            }
        }
        return calls;
    }

    /**
     * A string literal or dollar-quoted body of a statement.
     *
     * @param start   where it starts in the statement (its opening quote, or the E of an escape string)
     * @param end     where it ends: just after its closing quote or tag
     * @param content what it holds: a dollar body's text, a string's with each {@code ''} read as one quote
     * @param escaped whether it is an escape string ({@code E'...'}), whose backslash sequences are left unread
     */
    public record Literal(int start, int end, String content, boolean escaped) {
    }

    /** The string literals and dollar-quoted bodies of {@code sql}, in order (not those inside comments). */
    public static List<Literal> literals(String sql) {
        List<Literal> literals = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            int end = Scanner.skipQuotedOrComment(sql, i);
            if (end == i) {
                i++;
                continue;
            }
            char c = sql.charAt(i);
            if (c == '\'') {
                boolean escaped = Scanner.hasEscapePrefix(sql, i);
                String inner = sql.substring(i + 1, Math.max(i + 1, end - 1));
                literals.add(new Literal(escaped ? i - 1 : i, end, escaped ? inner : inner.replace("''", "'"), escaped));
            } else if (c == '$') {
                int tagEnd = sql.indexOf('$', i + 1) + 1;
                String tag = sql.substring(i, tagEnd);
                int bodyEnd = end - tag.length();
                boolean closed = bodyEnd >= tagEnd && sql.startsWith(tag, bodyEnd);
                literals.add(new Literal(i, end, closed ? sql.substring(tagEnd, bodyEnd) : sql.substring(tagEnd, end), false));
            }
            i = end;
        }
        return literals;
    }

    private static final Pattern UESCAPE = Pattern.compile("(?is)(\\s|--[^\\n]*|/\\*.*?\\*/)*UESCAPE\\s*'([^'])'");

    /**
     * The text as PostgreSQL reads it once its Unicode escapes are decoded: each {@code U&"..."} becomes the quoted
     * identifier {@code "..."} and each {@code U&'...'} the plain string {@code '...'} it denotes, their {@code UESCAPE}
     * clause gone (the line breaks it held kept, so that lines stay lines). What matches names or reads bodies reads
     * this, so that {@code U&"pg_termin\0061te_backend"} is {@code "pg_terminate_backend"} to it, as it is to the server.
     * An escape PostgreSQL would reject is left as written: the statement fails there anyway.
     */
    public static String decoded(String sql) {
        if (sql.indexOf('&') < 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            int end = Scanner.skipQuotedOrComment(sql, i);
            if (end == i) {
                out.append(sql.charAt(i++));
                continue;
            }
            char c = sql.charAt(i);
            if ((c == '"' || c == '\'') && unicodePrefix(sql, i)) {
                char escape = '\\';
                int after = end;
                Matcher clause = UESCAPE.matcher(sql).region(end, sql.length());
                if (clause.lookingAt()) {
                    escape = clause.group(2).charAt(0);
                    after = clause.end();
                }
                String inner = sql.substring(i + 1, Math.max(i + 1, end - 1)).replace(String.valueOf(c) + c, String.valueOf(c));
                String text = unescape(inner, escape);
                out.setLength(out.length() - 2);
                out.append(c).append(text.replace(String.valueOf(c), String.valueOf(c) + c)).append(c);
                sql.substring(end, after).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = after;
                continue;
            }
            out.append(sql, i, end);
            i = end;
        }
        return out.toString();
    }

    /**
     * {@code sql} (a statement, or a name as SQL spells it) with each quoted identifier that holds a control character
     * (a line break, a tab...) respelled {@code U&"..."} with the character as an escape: the same name to PostgreSQL, on
     * one line, so that no name can end a {@code --} comment it is written into, or start a statement after it. The
     * one escaping function of every script Sluice writes; strings, comments and other names stay as they are.
     */
    public static String printableNames(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            int end = Scanner.skipQuotedOrComment(sql, i);
            if (end == i) {
                out.append(sql.charAt(i++));
                continue;
            }
            String token = sql.substring(i, end);
            boolean unicode = i >= 2 && unicodePrefix(sql, i);
            if (sql.charAt(i) == '"' && !unicode && token.chars().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
                String name = token.substring(1, Math.max(1, token.length() - 1));
                StringBuilder escaped = new StringBuilder("U&\"");
                for (int k = 0; k < name.length(); k++) {
                    char c = name.charAt(k);
                    if (c == '\\') {
                        escaped.append("\\\\");
                    } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                        escaped.append(String.format("\\%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
                out.append(escaped).append('"');
            } else {
                out.append(token);
            }
            i = end;
        }
        return out.toString();
    }

    /** Whether the quote at {@code quote} follows {@code U&} (either case), the U starting a word. */
    private static boolean unicodePrefix(String sql, int quote) {
        return quote >= 2 && sql.charAt(quote - 1) == '&' && (sql.charAt(quote - 2) == 'U' || sql.charAt(quote - 2) == 'u')
                && (quote == 2 || !isIdentifierPart(sql.charAt(quote - 3)));
    }

    /**
     * A Unicode-escaped text with its escapes read: {@code \XXXX} (four hex digits, a UTF-16 code unit: surrogate pairs
     * combine), {@code \+XXXXXX} (six, a code point) and the escape character twice for itself; {@code escape} stands for
     * the backslash when a {@code UESCAPE} clause names another.
     */
    private static String unescape(String text, char escape) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != escape || i + 1 >= text.length()) {
                out.append(c);
                i++;
            } else if (text.charAt(i + 1) == escape) {
                out.append(escape);
                i += 2;
            } else if (text.charAt(i + 1) == '+' && hex(text, i + 2, 6)) {
                int codePoint = Integer.parseInt(text.substring(i + 2, i + 8), 16);
                if (Character.isValidCodePoint(codePoint)) {
                    out.appendCodePoint(codePoint);
                } else {
                    out.append(text, i, i + 8);
                }
                i += 8;
            } else if (hex(text, i + 1, 4)) {
                out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                i += 5;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean hex(String text, int from, int digits) {
        if (from + digits > text.length()) {
            return false;
        }
        for (int i = from; i < from + digits; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** What {@link #rewrite} does with literals. */
    private enum Literals { KEEP, BLANK, PLAIN_BODIES }

    /**
     * Comments become a space; with {@code BLANK}, string literals and dollar bodies (with an E prefix) become
     * {@code ?}; with {@code PLAIN_BODIES}, dollar bodies become {@code 'body'}.
     */
    private static String rewrite(String sql, Literals literals) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            int end = Scanner.skipQuotedOrComment(sql, i);
            if (end == i) {
                out.append(sql.charAt(i++));
                continue;
            }
            char c = sql.charAt(i);
            if (c == '-' || c == '/') {
                out.append(' ');
            } else if (literals == Literals.PLAIN_BODIES && c == '$') {
                out.append("'body'");
            } else if (literals != Literals.BLANK || c == '"') {
                out.append(sql, i, end);
            } else {
                if (c == '\'' && Scanner.hasEscapePrefix(sql, i)) {
                    out.setLength(out.length() - 1);
                }
                out.append('?');
            }
            i = end;
        }
        return out.toString();
    }

    /**
     * Every name in the text that could denote a relation, in SQL form: identifiers and dotted chains of them
     * ({@code orders}, {@code app.orders}, {@code "Order Lines"}), outside strings, comments and dollar bodies.
     * Keywords come along too; resolving the names against the catalog sorts them out.
     */
    public static List<String> names(String sql) {
        List<String> names = new ArrayList<>();
        StringBuilder chain = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int end = Scanner.skipQuotedOrComment(sql, i);
            if (c == '"' && end > i) {
                chain.append(sql, i, end);
                i = end;
            } else if (end > i) {
                flush(chain, names);
                i = end;
            } else if (isIdentifierStart(c)) {
                int wordEnd = i;
                while (wordEnd < sql.length() && isIdentifierPart(sql.charAt(wordEnd))) {
                    wordEnd++;
                }
                chain.append(sql, i, wordEnd);
                i = wordEnd;
            } else if (c == '.' && chain.length() > 0) {
                chain.append('.');
                i++;
            } else {
                flush(chain, names);
                i++;
            }
        }
        flush(chain, names);
        return names;
    }

    private static void flush(StringBuilder chain, List<String> names) {
        if (chain.length() > 0 && chain.charAt(chain.length() - 1) != '.' && chain.chars().filter(c -> c == '.').count() <= 2) {
            names.add(chain.toString());
        }
        chain.setLength(0);
    }

    /** Walks the text one statement at a time. */
    private static final class Scanner {
        private final String sql;
        private int position;
        private int line = 1;

        Scanner(String sql) {
            this.sql = sql;
        }

        SqlStatement next() {
            skipBlankAndComments();
            if (position >= sql.length()) {
                return null;
            }
            int start = position;
            int startLine = line;
            int atomicDepth = 0;
            // BEGIN ATOMIC opens a body only in CREATE [OR REPLACE] FUNCTION|PROCEDURE, and only as two words in a row.
            boolean routine = false;
            boolean prefix = true;
            String previousWord = "";
            while (position < sql.length()) {
                char c = sql.charAt(position);
                int skipped = skipQuotedOrComment(sql, position);
                if (skipped > position) {
                    advanceTo(skipped);
                    continue;
                }
                if (isIdentifierStart(c)) {
                    int wordEnd = position;
                    while (wordEnd < sql.length() && isIdentifierPart(sql.charAt(wordEnd))) {
                        wordEnd++;
                    }
                    String word = sql.substring(position, wordEnd).toUpperCase(Locale.ROOT);
                    if (prefix && (word.equals("FUNCTION") || word.equals("PROCEDURE")) && previousWord.length() > 0) {
                        routine = true;
                    }
                    prefix = prefix && ROUTINE_PREFIX.contains(word);
                    if (routine && atomicDepth == 0 && word.equals("ATOMIC") && previousWord.equals("BEGIN")) {
                        atomicDepth = 1;
                    } else if (atomicDepth > 0 && word.equals("CASE")) {
                        atomicDepth++;
                    } else if (atomicDepth > 0 && word.equals("END")) {
                        atomicDepth--;
                    }
                    previousWord = word;
                    advanceTo(wordEnd);
                    continue;
                }
                if (!Character.isWhitespace(c)) {
                    previousWord = "";
                    prefix = false;
                }
                if (c == ';' && atomicDepth == 0) {
                    String text = sql.substring(start, position).strip();
                    advanceTo(position + 1);
                    return withCopyData(new SqlStatement(text, startLine));
                }
                advanceTo(position + 1);
            }
            return new SqlStatement(sql.substring(start).strip(), startLine);
        }

        /** A {@code COPY ... FROM STDIN} statement carries the data lines up to the {@code \.} line. */
        private SqlStatement withCopyData(SqlStatement statement) {
            if (!COPY_FROM_STDIN.matcher(statement.normalized()).matches()) {
                return statement;
            }
            int lineEnd = sql.indexOf('\n', position);
            int dataStart = lineEnd < 0 ? sql.length() : lineEnd + 1;
            advanceTo(dataStart);
            StringBuilder data = new StringBuilder();
            while (position < sql.length()) {
                int end = sql.indexOf('\n', position);
                int next = end < 0 ? sql.length() : end + 1;
                String dataLine = sql.substring(position, end < 0 ? sql.length() : end);
                advanceTo(next);
                if (dataLine.strip().equals("\\.")) {
                    break;
                }
                data.append(dataLine).append('\n');
            }
            return new SqlStatement(statement.text() + ";\n" + data + "\\.", statement.line());
        }

        private void skipBlankAndComments() {
            while (position < sql.length()) {
                char c = sql.charAt(position);
                if (Character.isWhitespace(c) || c == ';') {
                    advanceTo(position + 1);
                } else if (sql.startsWith("--", position) || sql.startsWith("/*", position)) {
                    advanceTo(skipQuotedOrComment(sql, position));
                } else {
                    return;
                }
            }
        }

        private void advanceTo(int target) {
            for (int i = position; i < target; i++) {
                if (sql.charAt(i) == '\n') {
                    line++;
                }
            }
            position = target;
        }

        /**
         * If a string, quoted identifier, dollar-quoted body or comment starts at {@code i}, the index just past
         * its end (the end of the text when it is never closed); otherwise {@code i}.
         */
        static int skipQuotedOrComment(String sql, int i) {
            char c = sql.charAt(i);
            if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                return end < 0 ? sql.length() : end;
            }
            if (c == '/' && sql.startsWith("/*", i)) {
                int depth = 0;
                int j = i;
                while (j < sql.length()) {
                    if (sql.startsWith("/*", j)) {
                        depth++;
                        j += 2;
                    } else if (sql.startsWith("*/", j)) {
                        depth--;
                        j += 2;
                        if (depth == 0) {
                            return j;
                        }
                    } else {
                        j++;
                    }
                }
                return sql.length();
            }
            if (c == '\'') {
                return closeQuote(sql, i, '\'', hasEscapePrefix(sql, i));
            }
            if (c == '"') {
                return closeQuote(sql, i, '"', false);
            }
            if (c == '$' && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
                Matcher tag = DOLLAR_TAG.matcher(sql).region(i, sql.length());
                if (tag.lookingAt()) {
                    int close = sql.indexOf(tag.group(), tag.end());
                    return close < 0 ? sql.length() : close + tag.group().length();
                }
            }
            return i;
        }

        /** Whether the string starting at {@code quote} is an escape string, {@code E'...'}: backslashes escape there only. */
        static boolean hasEscapePrefix(String sql, int quote) {
            return quote > 0 && (sql.charAt(quote - 1) == 'E' || sql.charAt(quote - 1) == 'e')
                    && (quote == 1 || !isIdentifierPart(sql.charAt(quote - 2)));
        }

        private static int closeQuote(String sql, int open, char quote, boolean backslashEscapes) {
            int j = open + 1;
            while (j < sql.length()) {
                char c = sql.charAt(j);
                if (backslashEscapes && c == '\\') {
                    j += 2;
                } else if (c == quote) {
                    if (j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                        j += 2;
                    } else {
                        return j + 1;
                    }
                } else {
                    j++;
                }
            }
            return sql.length();
        }
    }
}
