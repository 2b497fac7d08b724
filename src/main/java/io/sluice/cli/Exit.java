package io.sluice.cli;

/**
 * The {@code sluice} command's exit codes, stable for CI steps to branch on.
 *
 * <ul>
 * <li>{@link #OK} 0: done, nothing found at or above {@code --fail-on};</li>
 * <li>{@link #FAILED} 1: findings at or above {@code --fail-on}, a failed validation, check, migration or release;</li>
 * <li>{@link #USAGE} 2: a usage error, or input the command refuses ({@code InvalidRequest}): nothing changed;</li>
 * <li>{@link #DATABASE} 3: the database is unreachable, not trusted, or refused the credentials;</li>
 * <li>{@link #LOCK_TIMEOUT} 4: the locks a script needs, or the migration lock, were not had in time;</li>
 * <li>{@link #ROLLED_BACK} 5: a release was rolled back.</li>
 * </ul>
 */
public final class Exit {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int DATABASE = 3;
    public static final int LOCK_TIMEOUT = 4;
    public static final int ROLLED_BACK = 5;

    private Exit() {
    }

    /** The exit code of a function error, by its {@code errorType} (the exception's class name). */
    public static int of(String errorType) {
        String simple = errorType.substring(errorType.lastIndexOf('.') + 1);
        return switch (simple) {
            case "InvalidRequest" -> USAGE;
            case "AuthenticationFailed", "DatabaseNotTrusted", "DatabaseUnavailable" -> DATABASE;
            case "LockTimeout" -> LOCK_TIMEOUT;
            case "RolledBack" -> ROLLED_BACK;
            default -> FAILED;
        };
    }
}
