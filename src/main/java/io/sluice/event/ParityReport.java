package io.sluice.event;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Two databases compared ({@code parity}): {@code database} is the reference, {@code other} the one compared with it.
 *
 * @param other            the other database's URL, without options or credentials
 * @param version          the reference's current version
 * @param otherVersion     the other's
 * @param differences      how the other's schema differs from the reference's
 * @param reconcileScript  the SQL that brings the other's schema to the reference's
 * @param settings         each setting a config rule reads whose value, or whose rule's outcome, differs
 * @param history          each way the histories differ
 */
@RegisterForReflection
public record ParityReport(
        String other,
        String version,
        String otherVersion,
        List<SchemaDifference> differences,
        String reconcileScript,
        List<SettingDifference> settings,
        List<HistoryDifference> history) {

    /**
     * @param rule       the config rule that reads the setting
     * @param setting    the setting
     * @param value      on the reference
     * @param otherValue on the other
     * @param ok         whether the reference passes the rule
     * @param otherOk    whether the other does
     */
    @RegisterForReflection
    public record SettingDifference(String rule, String setting, String value, String otherValue, boolean ok, boolean otherOk) {
    }

    /**
     * @param version       the version ({@code R:<description>} for a repeatable script)
     * @param script        its script
     * @param change        {@code MISSING} (applied on the reference only), {@code EXTRA} (on the other only),
     *                      {@code CHECKSUM} (applied from different contents), {@code FAILED} (failed on one of them)
     * @param checksum      on the reference
     * @param otherChecksum on the other
     */
    @RegisterForReflection
    public record HistoryDifference(String version, String script, String change, Integer checksum, Integer otherChecksum) {
    }
}
