package io.sluice.lint.rules;

import java.util.List;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;
import io.sluice.sql.ServerWide;

/**
 * {@code server-wide-statement}: a statement that acts beyond the database the migration runs in (roles, role
 * memberships, databases, tablespaces, the server's configuration, files and programs, other sessions), found in the
 * statement and in the bodies of the DO blocks and functions it holds ({@link ServerWide}).
 */
public final class ServerWideStatement extends BaseRule {

    public ServerWideStatement() {
        super("server-wide-statement", LintSeverity.ERROR,
                "A statement acts beyond the database the migration runs in.",
                "Roles, role grants, other databases, tablespaces, ALTER SYSTEM, COPY ... PROGRAM and functions that signal"
                        + " sessions act on the whole server: a migration is reviewed as a change of one database, and Sluice's"
                        + " scratch databases (undo proofs, lock probes) run before approval on a server they share (the live"
                        + " one under the role isolation), so such a script is never run there.",
                "Manage roles, grants of roles, databases and server settings outside migrations (Terraform, an operator's"
                        + " runbook); grant privileges on this database's objects instead.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return messages(statement, context);
    }

    @Override
    public List<Problem> problems(LintStatement statement, LintContext context) {
        return ServerWide.in(statement.text()).stream()
                .map(reach -> new Problem(reach.line(statement.line()), reach.what()
                        + " acts beyond this database"))
                .toList();
    }
}
