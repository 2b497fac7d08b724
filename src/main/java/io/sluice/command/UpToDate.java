package io.sluice.command;

import java.util.LinkedHashMap;
import java.util.Optional;

import io.sluice.event.MigrateRequest;
import io.sluice.migration.ScriptSet;

/**
 * What migrate concluded the last times it found nothing to do. Flyway's verdict is a function of the scripts, the
 * history and the request: for the same scripts (their digest), database, schema, target and baseline, and a history
 * with the same fingerprint, a run finds nothing to do again, and a warm invocation says so after one history read
 * instead of resolving every script through Flyway and reading the catalog. Anything else (a script or a history row
 * changed, added or removed, another database or request) takes the full path. The last {@value #MAX_KEPT} kept.
 */
final class UpToDate {

    static final int MAX_KEPT = 32;

    record Key(String scripts, String jdbcUrl, String username, String schema, String target, String baselineVersion, String phase) {

        static Key of(MigrateRequest request, ScriptSet scripts) {
            return new Key(scripts.digest(), request.database().jdbcUrl(), request.database().username(), request.schema().value(),
                    request.target().toString(), request.baselineVersion() == null ? null : request.baselineVersion().version(),
                    request.phase().json());
        }
    }

    /**
     * @param fingerprint    the history's ({@link io.sluice.migration.HistoryRow#fingerprint})
     * @param version        the version the history is at
     * @param snapshotSha256 the SHA-256 the run reported: of the snapshot recorded for that version
     */
    record Known(String fingerprint, String version, String snapshotSha256) {
    }

    private final LinkedHashMap<Key, Known> known = new LinkedHashMap<>(16, 0.75f, true);

    synchronized Optional<Known> get(Key key) {
        return Optional.ofNullable(known.get(key));
    }

    synchronized void put(Key key, Known value) {
        known.put(key, value);
        while (known.size() > MAX_KEPT) {
            known.remove(known.keySet().iterator().next());
        }
    }
}
