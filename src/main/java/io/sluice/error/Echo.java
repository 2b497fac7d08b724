package io.sluice.error;

/**
 * How a value from an event (or anything else a caller sent) is quoted back in a message: at most
 * {@value #MAX_VALUE} characters, control characters escaped, so an error can never carry a megabyte of input or
 * a line break into a log line or an HTTP header.
 */
public final class Echo {

    /** The longest piece of a value that a message quotes. */
    public static final int MAX_VALUE = 200;

    /** The longest message a caller is sent; the full text stays in the log. */
    public static final int MAX_MESSAGE = 4_000;

    private Echo() {
    }

    /** {@code value} as a message may quote it: shortened to {@value #MAX_VALUE} characters, control characters escaped. */
    public static String value(String value) {
        return bounded(value, MAX_VALUE);
    }

    /** A whole message as the caller is sent it: shortened to {@value #MAX_MESSAGE} characters, control characters escaped. */
    public static String message(String message) {
        return bounded(message, MAX_MESSAGE);
    }

    /**
     * {@code text} whole, its control characters escaped ({@code \\n}, {@code \\r}, {@code \\t}, {@code \\u0000}):
     * for a name or text written into one line of generated SQL (a comment), a log line or a report, where a line
     * break would end the line and start another the writer never meant.
     */
    public static String line(String text) {
        return bounded(text, Integer.MAX_VALUE);
    }

    private static String bounded(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 40);
        int shown = Math.min(text.length(), max);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > max) {
            out.append("... (").append(text.length() - max).append(" more characters)");
        }
        return out.toString();
    }
}
