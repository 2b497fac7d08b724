package io.sluice.command;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.sluice.event.Finding.Severity;
import io.sluice.event.Finding;
import io.sluice.event.FindingCode;
import io.sluice.event.SchemaName;
import io.sluice.migration.InvalidIndex;

/** An INVALID index is never an acceptable state, whatever a snapshot says: one error finding each, in every mode that looks. */
final class InvalidIndexFindings {

    private InvalidIndexFindings() {
    }

    static List<Finding> of(Connection connection, SchemaName schema, String currentVersion) throws SQLException {
        return InvalidIndex.in(connection, schema.value()).stream()
                .map(index -> new Finding(Severity.ERROR, FindingCode.INVALID_INDEX, currentVersion, null,
                        InvalidIndex.describe(List.of(index)), "valid", "INVALID"))
                .toList();
    }
}
