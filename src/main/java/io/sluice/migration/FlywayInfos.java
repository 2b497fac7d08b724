package io.sluice.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Optional;

import javax.sql.DataSource;

import org.flywaydb.core.api.MigrationInfoService;

import io.sluice.event.DatabaseTarget;
import io.sluice.event.SchemaName;
import io.sluice.event.TargetVersion;

/**
 * Flyway's view of a history ({@code info()}), kept for warm calls. Building it costs a Flyway configuration and a
 * dozen round trips; its content is a function of the scripts and the history table alone: for the same scripts
 * (their digest), database, schema and target and a history with the same fingerprint
 * ({@link HistoryRow#fingerprint}) the kept one is returned after one query. The fingerprint is read before and after
 * Flyway's read, and the info kept only when both agree, so a history that changed in between is never paired
 * with the other's fingerprint. A schema without a history table is read by Flyway every time. The last
 * {@value #MAX_KEPT} kept.
 */
public final class FlywayInfos {

    static final int MAX_KEPT = 16;

    private record Key(String scripts, String jdbcUrl, String username, String schema, String target) {
    }

    private record Known(String fingerprint, MigrationInfoService info) {
    }

    private final LinkedHashMap<Key, Known> known = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * Flyway's info for {@code scripts} against {@code schema} of {@code database}, read through {@code connection}
     * (for the fingerprint) and {@code dataSource} (for Flyway).
     */
    public MigrationInfoService info(Connection connection, DataSource dataSource, DatabaseTarget database, ScriptSet scripts,
            SchemaName schema, TargetVersion target, SessionSettings session) throws SQLException {
        Key key = new Key(scripts.digest(), database.jdbcUrl(), database.username(), schema.value(), target.toString());
        Optional<String> before = HistoryRow.fingerprint(connection, schema);
        if (before.isPresent()) {
            Known kept = kept(key);
            if (kept != null && kept.fingerprint().equals(before.get())) {
                return kept.info();
            }
        }
        MigrationInfoService info = FlywaySetup.create(dataSource, scripts, schema, target, session).info();
        if (before.isPresent() && before.equals(HistoryRow.fingerprint(connection, schema))) {
            keep(key, new Known(before.get(), info));
        }
        return info;
    }

    private synchronized Known kept(Key key) {
        return known.get(key);
    }

    private synchronized void keep(Key key, Known value) {
        known.put(key, value);
        while (known.size() > MAX_KEPT) {
            known.remove(known.keySet().iterator().next());
        }
    }
}
