package io.sluice.upgrade;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.event.CompatibilityReport.UncheckedQuery;
import io.sluice.event.Finding;
import io.sluice.event.PlansReport.Improvement;
import io.sluice.event.PlansReport.Regression;
import io.sluice.event.SchemaDifference;
import io.sluice.event.SettingCheck;

/**
 * What {@code check-green} found: green beside blue before anyone switches over.
 *
 * @param blueGreenDeploymentId the deployment checked
 * @param blue                  blue's endpoint, without credentials
 * @param green                 green's endpoint
 * @param blueVersion           blue's {@code server_version}
 * @param greenVersion          green's
 * @param passed                no error among the findings: the switchover may go on
 * @param acceptRegressions     whether plan regressions and slower probes were accepted (warnings)
 * @param analyzedRelations     the tables and materialized views {@code ANALYZE} ran on, on green
 * @param analyzeMs             its time
 * @param schemaDifferences     how green's schema differs from blue's (green as the "actual" side)
 * @param reconcileSql          the SQL that makes green's schema blue's; null when they are equal
 * @param settings              the parameter rules green's real settings fail
 * @param planned               the queries planned on both
 * @param regressions           the queries that plan worse on green
 * @param improved              those that plan better
 * @param unchecked             those that did not plan on blue, or were more than one statement
 * @param probes                each canary probe's p95 on blue and on green
 * @param findings              what stops the switchover (errors) and what a person should know (warnings)
 */
@RegisterForReflection
public record GreenReport(
        String blueGreenDeploymentId,
        String blue,
        String green,
        String blueVersion,
        String greenVersion,
        boolean passed,
        boolean acceptRegressions,
        int analyzedRelations,
        long analyzeMs,
        List<SchemaDifference> schemaDifferences,
        String reconcileSql,
        List<SettingCheck> settings,
        int planned,
        List<Regression> regressions,
        List<Improvement> improved,
        List<UncheckedQuery> unchecked,
        List<ProbeTiming> probes,
        List<Finding> findings) {

    /**
     * One probe's p95 on each side.
     *
     * @param probe       the probe, abbreviated
     * @param runs        runs on each side
     * @param blueP95Ms   its p95 on blue
     * @param greenP95Ms  on green; null when it failed there
     * @param error       green's error, if it failed
     */
    @RegisterForReflection
    public record ProbeTiming(String probe, int runs, double blueP95Ms, Double greenP95Ms, String error) {
    }
}
