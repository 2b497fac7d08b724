package io.sluice.event;

import java.util.regex.Pattern;

import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/** Names from events that go into SQL text: plain identifiers only, so that none can ever smuggle SQL. */
final class Identifiers {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    private Identifiers() {
    }

    /** {@code value}, or the error naming {@code field} when it is not a plain identifier of at most 63 characters. */
    static String plain(String value, String field) {
        if (value == null || !PLAIN.matcher(value).matches()) {
            throw new InvalidRequest("field '" + field + "' must be a plain identifier (letters, digits, _ or $, at most 63,"
                    + " not starting with a digit), got '" + Echo.value(value) + "'");
        }
        return value;
    }

    /** {@code value} as a quoted identifier, ready for SQL text (a plain identifier has nothing to escape). */
    static String quoted(String value) {
        return '"' + value + '"';
    }
}
