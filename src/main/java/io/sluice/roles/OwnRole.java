package io.sluice.roles;

import io.sluice.event.DatabaseTarget;

/**
 * A login role Sluice owns on a live server for the work a release carries before anyone approved it: the probe role
 * (reads only) or the scratch role (builds scratch databases and nothing else). The deployment fixes both; no event
 * names either.
 *
 * @param name     the role's name
 * @param password its password: the deployment's secret's, or one this process generated (local runs)
 */
public record OwnRole(String name, String password) {

    /** The same server, port, database and TLS settings as {@code live}, logged in as this role. */
    public DatabaseTarget on(DatabaseTarget live) {
        return new DatabaseTarget(live.jdbcUrl(), name, password);
    }

    /** The same server as {@code live}, in its database {@code database}, logged in as this role. */
    public DatabaseTarget on(DatabaseTarget live, String database) {
        return new DatabaseTarget(live.url().withDatabase(database).text(), name, password);
    }

    @Override
    public String toString() {
        return "OwnRole[" + name + "]";
    }
}
