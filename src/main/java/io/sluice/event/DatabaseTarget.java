package io.sluice.event;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * The database to act on: a PostgreSQL JDBC URL ({@link JdbcUrl}: read, never passed through) and the credentials to use, or the Secrets Manager secret that holds
 * them (the format RDS writes: host, port, dbname, username, password), which the function resolves before its
 * command runs. The password is kept out of the URL (a URL is echoed in results and logs) and out of
 * {@link #toString()}.
 *
 * @param secretArn the secret's ARN (or name); when given, the other fields must be absent
 */
@RegisterForReflection
public record DatabaseTarget(String jdbcUrl, String username, String password, String secretArn) {

    /** PostgreSQL's NAMEDATALEN less one: longer role names cannot exist. */
    private static final int MAX_ROLE_BYTES = 63;
    private static final int MAX_PASSWORD = 4_096;
    /** A name of the characters Secrets Manager allows, and the {@code !} of those RDS gives its managed secrets (rds!db-...). */
    private static final Pattern SECRET_ID = Pattern.compile("(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:)?[A-Za-z0-9/_+=.@!-]{1,512}");

    public DatabaseTarget {
        if (secretArn != null) {
            if (jdbcUrl != null || username != null || password != null) {
                throw new InvalidRequest("field 'database': give either 'secretArn' or 'jdbcUrl', 'username' and 'password', not both");
            }
            if (!SECRET_ID.matcher(secretArn).matches()) {
                throw new InvalidRequest("field 'database.secretArn' must be a Secrets Manager secret ARN"
                        + " (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME) or name, not '" + Echo.value(secretArn) + "'");
            }
        } else {
            checkDirect(jdbcUrl, username, password);
        }
    }

    private static void checkDirect(String jdbcUrl, String username, String password) {
        JdbcUrl.parse(jdbcUrl);
        if (username == null || username.isBlank()) {
            throw new InvalidRequest("field 'database.username' is required");
        }
        if (username.getBytes(StandardCharsets.UTF_8).length > MAX_ROLE_BYTES || hasControlCharacter(username)) {
            throw new InvalidRequest("field 'database.username' must be a PostgreSQL role name: at most " + MAX_ROLE_BYTES
                    + " bytes, no control characters");
        }
        if (password == null || password.isEmpty()) {
            throw new InvalidRequest("field 'database.password' is required: every supported server asks for one (RDS always does)");
        }
        if (password.length() > MAX_PASSWORD || password.indexOf('\0') >= 0) {
            throw new InvalidRequest("field 'database.password' must be at most " + MAX_PASSWORD
                    + " characters (an RDS IAM token fits) without NUL characters");
        }
    }

    /** A target with its URL and credentials given directly. */
    public DatabaseTarget(String jdbcUrl, String username, String password) {
        this(jdbcUrl, username, password, null);
    }

    /** A target to be read from a Secrets Manager secret. */
    public static DatabaseTarget fromSecret(String secretArn) {
        return new DatabaseTarget(null, null, null, secretArn);
    }

    /** The URL, parsed: what a connection is built from (never the text). */
    @JsonIgnore
    public JdbcUrl url() {
        return JdbcUrl.parse(jdbcUrl);
    }

    /** Whether this target still names a secret to resolve. */
    @JsonIgnore
    public boolean isSecret() {
        return secretArn != null;
    }

    private static boolean hasControlCharacter(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    /** {@code target}, or the error every event gives when its {@code database} field is missing. */
    static DatabaseTarget required(DatabaseTarget target) {
        if (target == null) {
            throw new InvalidRequest("field 'database' is required: {\"jdbcUrl\": ..., \"username\": ..., \"password\": ...}"
                    + " or {\"secretArn\": ...}");
        }
        return target;
    }

    /** The URL without its query string: safe to show (options may hold file paths or tokens). */
    @JsonIgnore
    public String displayUrl() {
        if (jdbcUrl == null) {
            return "secret " + secretArn;
        }
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    @Override
    public String toString() {
        return "DatabaseTarget[" + displayUrl() + " as " + username + "]";
    }
}
