package io.sluice.command;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

import org.flywaydb.core.api.exception.FlywayValidateException;

import io.sluice.error.AuthenticationFailed;
import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.MigrationFailed;
import io.sluice.error.SluiceException;
import io.sluice.error.ValidationFailed;
import io.sluice.event.AppliedScript;
import io.sluice.event.DatabaseTarget;
import io.sluice.migration.FlywayInternals;
import io.sluice.migration.RetryingMigrator;

/** Turns what Flyway and the driver throw into the typed errors a workflow routes on. */
final class FlywayErrors {

    private static final String STATEMENT_TIMEOUT = "57014";

    private FlywayErrors() {
    }

    /** For failures outside a script (reading the history, connecting). */
    static SluiceException translate(RuntimeException e, DatabaseTarget target) {
        if (e instanceof SluiceException typed) {
            return typed;
        }
        SQLException refused = credentialsRefused(e);
        if (refused != null) {
            // Flyway's own connection, opened after Sluice's (kept from a warm call, or opened before a rotation): the
            // same refusal as on Sluice's, so that a rotated secret is read again.
            return new AuthenticationFailed("database " + target.displayUrl() + " rejected the credentials of user '"
                    + Echo.value(target.username()) + "': " + refused.getMessage()
                    + ". Check the user and password (or the secret) and the server's pg_hba.conf.", e);
        }
        if (isConnectionLoss(e)) {
            return new DatabaseUnavailable("lost or could not open the connection to " + target.displayUrl() + ": "
                    + rootMessage(e), e);
        }
        if (e instanceof FlywayValidateException) {
            return new ValidationFailed("Flyway refuses to migrate: " + firstLines(e.getMessage())
                    + " Run validate (mode preflight) for every finding.", e);
        }
        return new MigrationFailed("Flyway failed: " + firstLines(e.getMessage()), e);
    }

    /** The server's refusal of the role or its password (SQLSTATE class 28) somewhere in {@code e}'s causes, or null. */
    private static SQLException credentialsRefused(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("28")) {
                return sql;
            }
        }
        return null;
    }

    /** For a script that failed while migrating; {@code applied} were applied before it. */
    static SluiceException scriptFailed(RuntimeException e, FlywayInternals.ScriptFailure failed, List<AppliedScript> applied,
            List<String> cleanup, DatabaseTarget target, long statementTimeoutMs) {
        if (isConnectionLoss(e)) {
            return translate(e, target);
        }
        String script = failed.script() == null ? "a script" : failed.script();
        StringBuilder message = new StringBuilder(script);
        if (STATEMENT_TIMEOUT.equals(failed.sqlState())) {
            message.append(" ran longer than statement_timeout (").append(statementTimeoutMs).append(" ms)");
        } else {
            message.append(" failed");
        }
        if (failed.line() > 0) {
            message.append(" at line ").append(failed.line());
        }
        message.append(": ").append(rootMessage(e)).append('.');
        if (failed.transactional()) {
            message.append(" It was rolled back: nothing of it was applied.");
        } else {
            message.append(" It ran outside a transaction, so the statements before the failing one stay applied,"
                    + " and Flyway recorded the failure in its history.");
            if (!cleanup.isEmpty()) {
                message.append(" It left INVALID indexes; remove them with: ").append(String.join(" ", cleanup));
            }
            message.append(" Fix the script, then remove the failed row from flyway_schema_history before migrating again.");
        }
        if (!applied.isEmpty()) {
            message.append(" Applied before it: ")
                    .append(applied.stream().map(AppliedScript::script).collect(Collectors.joining(", "))).append('.');
        }
        return new MigrationFailed(message.toString(), e);
    }

    /** A typed error that Sluice's own callback raised inside Flyway (Flyway wraps it), or null. */
    static SluiceException sluiceCause(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SluiceException typed) {
                return typed;
            }
        }
        return null;
    }

    static boolean isConnectionLoss(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        return firstLines(RetryingMigrator.rootMessage(e));
    }

    /** Flyway's messages span many lines with decorations; keep the meaningful part on one line. */
    private static String firstLines(String message) {
        if (message == null) {
            return "";
        }
        return message.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("---"))
                .limit(6).collect(Collectors.joining(" "));
    }
}
