package io.sluice.command;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import io.sluice.catalog.SnapshotStore;
import io.sluice.event.RollbackRequest;

/** Writes one row per rollback attempt (who, why, from, to, result) into Sluice's audit table. */
final class RollbackAudit {

    /** How a rollback attempt ended, as the audit table records it. */
    enum Result { ROLLED_BACK, NOTHING_TO_UNDO, REFUSED, FAILED, VERIFICATION_FAILED, RESTORE_STARTED }

    private final SnapshotStore store;
    private final DataSource dataSource;

    RollbackAudit(SnapshotStore store, DataSource dataSource) {
        this.store = store;
        this.dataSource = dataSource;
    }

    long record(Connection connection, RollbackRequest request, String from, Result result, String detail,
            List<String> removedHistory, Instant started) throws SQLException {
        store.ensureTables(dataSource);
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + store.table("rollback_audit")
                + " (deployment_id, managed_schema, requested_by, reason, strategy, from_version, to_version, result, detail,"
                + " undone_history, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            statement.setString(1, request.deploymentId().value());
            statement.setString(2, request.schema().value());
            statement.setString(3, request.requestedBy());
            statement.setString(4, request.reason());
            statement.setString(5, request.strategy().json());
            statement.setString(6, from);
            statement.setString(7, request.targetVersion().toString());
            statement.setString(8, result.name());
            statement.setString(9, detail);
            statement.setString(10, removedHistory.isEmpty() ? null : "[" + String.join(",", removedHistory) + "]");
            statement.setTimestamp(11, Timestamp.from(started));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
