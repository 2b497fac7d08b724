package io.sluice.event;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A history as Flyway's {@code info} shows it, with Sluice's phases: every migration the scripts or the history know.
 *
 * @param currentVersion  the schema's version, or null when nothing versioned has been applied
 * @param applied         migrations the history records as applied successfully
 * @param pending         scripts a {@code migrate} with {@code phase: all} would apply
 * @param failed          migrations the history records as failed
 * @param contractPending pending contract scripts ({@code -- sluice:phase contract})
 * @param migrations      each one, oldest first
 */
@RegisterForReflection
public record InfoReport(String deploymentId, String database, String schema, String currentVersion, int applied, int pending, int failed,
        int contractPending, List<Migration> migrations, long durationMs) {

    /**
     * One migration.
     *
     * @param state       Flyway's state, as it names it ({@code Success}, {@code Pending}, {@code Failed}, {@code Missing},
     *                    {@code Baseline}, {@code Ignored}, {@code Outdated}, ...)
     * @param phase       for a script Sluice has: {@code expand} or {@code contract}
     * @param undoScript  the matching {@code U} script, for a versioned script that has one
     * @param executionMs as the history records it, for an applied one
     */
    @RegisterForReflection
    public record Migration(String version, String description, String type, String script, String state,
            @JsonInclude(JsonInclude.Include.NON_NULL) Phase phase, @JsonInclude(JsonInclude.Include.NON_NULL) String undoScript,
            @JsonInclude(JsonInclude.Include.NON_NULL) String installedOn, @JsonInclude(JsonInclude.Include.NON_NULL) Integer executionMs) {
    }
}
