package io.sluice.isolation;

import java.sql.Connection;
import java.sql.SQLException;

import io.sluice.error.InvalidRequest;
import io.sluice.error.NotIsolated;
import io.sluice.event.DatabaseTarget;

/**
 * Scratch databases on a server of their own: the module's {@code scratch_instance}, a team's scratch secret, or an
 * event's {@code scratch}. It must run the live database's major version, and must not be the live server (the same
 * server reached by another name or with another user is refused, by when its postmaster started).
 */
final class ServerIsolation implements Isolation {

    private final Opener opener;
    private final String template;

    ServerIsolation(Opener opener, String template) {
        this.opener = opener;
        this.template = template;
    }

    @Override
    public ScratchServer server(DatabaseTarget live, DatabaseTarget scratch) {
        if (scratch == null) {
            throw new NotIsolated("scratch work is to run on a scratch server (sluice.scratch.isolation=server) and none is"
                    + " configured: set sluice.database.scratch-secret-arn (the module's scratch_instance or scratch_secret_arn)");
        }
        try (Connection liveConnection = opener.open(live); Connection scratchConnection = opener.open(scratch)) {
            int liveMajor = LiveFacts.major(liveConnection);
            int scratchMajor = LiveFacts.major(scratchConnection);
            if (liveMajor != scratchMajor) {
                throw new InvalidRequest("field 'scratch': the scratch server " + scratch.displayUrl() + " runs PostgreSQL " + scratchMajor
                        + " and the live database PostgreSQL " + liveMajor + "; scratch work must run on the live database's major"
                        + " version to prove anything about it");
            }
            if (LiveFacts.startedAt(liveConnection).equals(LiveFacts.startedAt(scratchConnection))) {
                throw new NotIsolated("field 'scratch': " + scratch.displayUrl() + " is the live database's own server; scratch work"
                        + " never runs on the live server with its credentials: give a server of its own");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the scratch and live servers' versions failed: SQLSTATE " + e.getSQLState(), e);
        }
        return new ScratchServer() {
            @Override
            public Connection admin() {
                return opener.open(scratch);
            }

            @Override
            public DatabaseTarget worker(String database) {
                return new DatabaseTarget(scratch.url().withDatabase(database).text(), scratch.username(), scratch.password());
            }

            @Override
            public String owner() {
                return null;
            }

            @Override
            public String template() {
                return template;
            }

            @Override
            public String description() {
                return "scratch server " + scratch.displayUrl();
            }

            @Override
            public String isolation() {
                return "server";
            }
        };
    }
}
