package io.sluice.parity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import io.sluice.catalog.CatalogReader;
import io.sluice.catalog.SchemaDiff;
import io.sluice.event.Finding;
import io.sluice.event.Finding.Severity;
import io.sluice.event.FindingCode;
import io.sluice.event.ParityReport;
import io.sluice.event.ParityReport.HistoryDifference;
import io.sluice.event.ParityReport.SettingDifference;
import io.sluice.event.SchemaDifference;
import io.sluice.event.SchemaName;
import io.sluice.event.SettingCheck;
import io.sluice.settings.PgSettings;
import io.sluice.settings.SettingRules;

/**
 * Environment parity (the guide's anti-pattern 5, environments that drift apart): one database, the reference (say
 * production), and another (say staging), each read live. Their schemas are diffed with the reference as the expected
 * side, with the SQL that brings the other's to it ({@code PARITY_SCHEMA}, an error); the settings the config rules
 * read are compared value by value ({@code PARITY_SETTING}: a warning, an error when the rule passes on one and fails
 * on the other); and their Flyway histories row by row: a version applied on one only, applied from other contents
 * (checksum), failed on one ({@code PARITY_HISTORY}, an error).
 */
public final class ParityCheck {

    /** Differences named in findings; the report has them all. */
    private static final int NAMED = 20;

    /** The report and its findings. */
    public record Outcome(ParityReport report, List<Finding> findings) {
    }

    private final CatalogReader catalog;
    private final SettingRules rules;

    public ParityCheck(CatalogReader catalog, SettingRules rules) {
        this.catalog = catalog;
        this.rules = rules;
    }

    /**
     * @param otherUrl the other database's URL for the report, without options or credentials
     * @param version  the reference's current version; {@code otherVersion} the other's
     */
    public Outcome check(Connection reference, Connection other, String otherUrl, SchemaName schema, String version, String otherVersion)
            throws SQLException {
        List<Finding> findings = new ArrayList<>();
        List<SchemaDifference> differences = SchemaDiff.between(catalog.read(reference), catalog.read(other));
        for (int i = 0; i < differences.size() && i < NAMED; i++) {
            SchemaDifference difference = differences.get(i);
            findings.add(Finding.of(Severity.ERROR, FindingCode.PARITY_SCHEMA, null, null, "the other database's " + difference.summary()
                    + (difference.reconcileSql() == null ? ": " + difference.note() : "; to match: " + difference.reconcileSql())));
        }
        if (differences.size() > NAMED) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.PARITY_SCHEMA, null, null, (differences.size() - NAMED)
                    + " more schema differences: see parity.differences"));
        }

        List<SettingDifference> settings = settings(rules.check(PgSettings.read(reference), null, List.of()),
                rules.check(PgSettings.read(other), null, List.of()));
        for (SettingDifference setting : settings) {
            boolean outcome = setting.ok() != setting.otherOk();
            findings.add(Finding.of(outcome ? Severity.ERROR : Severity.WARNING, FindingCode.PARITY_SETTING, null, null, setting.setting()
                    + " is " + setting.value() + " here and " + setting.otherValue() + " on the other database" + (outcome
                            ? "; rule " + setting.rule() + (setting.ok() ? " passes here and fails there" : " fails here and passes there")
                            : "")));
        }

        List<HistoryDifference> history = history(rows(reference, schema), rows(other, schema));
        for (HistoryDifference difference : history) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.PARITY_HISTORY, difference.version(), difference.script(),
                    switch (difference.change()) {
                        case "MISSING" -> difference.script() + " is applied here and not on the other database";
                        case "EXTRA" -> difference.script() + " is applied on the other database and not here";
                        case "CHECKSUM" -> difference.script() + " was applied from other contents on the two (checksum "
                                + difference.checksum() + " here, " + difference.otherChecksum() + " there)";
                        default -> difference.script() + " failed on one of the two";
                    }));
        }
        return new Outcome(new ParityReport(otherUrl, version, otherVersion, differences,
                differences.isEmpty() ? null : SchemaDiff.reconcileScript(differences), settings, history), findings);
    }

    /** Each rule whose setting's value, or whose outcome, differs. */
    private static List<SettingDifference> settings(List<SettingCheck> here, List<SettingCheck> there) {
        Map<String, SettingCheck> byRule = new LinkedHashMap<>();
        there.forEach(check -> byRule.put(check.rule(), check));
        List<SettingDifference> differences = new ArrayList<>();
        for (SettingCheck check : here) {
            SettingCheck other = byRule.get(check.rule());
            if (other != null && (!Objects.equals(check.value(), other.value()) || check.ok() != other.ok())) {
                differences.add(new SettingDifference(check.rule(), check.setting(), check.value(), other.value(), check.ok(), other.ok()));
            }
        }
        return differences;
    }

    /** One applied (or failed) script of a history, by its key: the version, or {@code R:<description>}. */
    private record Row(String key, String script, Integer checksum, boolean success) {
    }

    private static Map<String, Row> rows(Connection connection, SchemaName schema) throws SQLException {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(format('%I.flyway_schema_history', ?::text))")) {
            exists.setString(1, schema.value());
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (rs.getString(1) == null) {
                    return rows;
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT version, description, script, checksum, success FROM "
                + schema.quoted() + ".flyway_schema_history WHERE type <> 'SCHEMA' ORDER BY installed_rank");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(1) != null ? rs.getString(1) : "R:" + rs.getString(2);
                int checksum = rs.getInt(4);
                // A repeatable script's latest run counts; so does a version's last attempt.
                rows.put(key, new Row(key, rs.getString(3), rs.wasNull() ? null : checksum, rs.getBoolean(5)));
            }
        }
        return rows;
    }

    private static List<HistoryDifference> history(Map<String, Row> here, Map<String, Row> there) {
        List<HistoryDifference> differences = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(here.keySet());
        keys.addAll(there.keySet());
        for (String key : keys) {
            Row mine = here.get(key);
            Row theirs = there.get(key);
            if (theirs == null) {
                differences.add(new HistoryDifference(key, mine.script(), "MISSING", mine.checksum(), null));
            } else if (mine == null) {
                differences.add(new HistoryDifference(key, theirs.script(), "EXTRA", null, theirs.checksum()));
            } else if (mine.success() != theirs.success()) {
                differences.add(new HistoryDifference(key, mine.script(), "FAILED", mine.checksum(), theirs.checksum()));
            } else if (!Objects.equals(mine.checksum(), theirs.checksum())) {
                differences.add(new HistoryDifference(key, mine.script(), "CHECKSUM", mine.checksum(), theirs.checksum()));
            }
        }
        return differences;
    }
}
