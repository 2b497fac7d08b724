package io.sluice.command;

import java.sql.SQLException;
import java.util.List;

import io.sluice.event.ConfigCheckRequest;
import io.sluice.event.Finding.Severity;
import io.sluice.event.SettingCheck;
import io.sluice.event.ValidateReport;
import io.sluice.settings.PgSettings;
import io.sluice.settings.SettingRules;

/** {@code validate} mode {@code config}: the database's parameters (pg_settings) against the rules. */
final class ConfigCheckCommand {

    private final SettingRules rules;

    ConfigCheckCommand(SettingRules rules) {
        this.rules = rules;
    }

    ValidateReport run(ConfigCheckRequest request, Validation validation) throws SQLException {
        List<SettingCheck> checks = rules.check(PgSettings.read(validation.connection()), request.instanceMemoryMb(),
                request.requiredExtensions());
        boolean valid = checks.stream().noneMatch(check -> !check.ok() && check.severity() == Severity.ERROR);
        return ValidateReport.of(request, valid, validation.currentVersion(), validation.pending(), List.of())
                .withSettings(checks);
    }
}
