package io.sluice.cli;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.sluice.aws.AwsAdapters;
import io.sluice.aws.AwsClients;
import io.sluice.aws.AwsDatabaseSecrets;
import io.sluice.aws.CloudWatchMetrics;
import io.sluice.aws.RdsInstanceFacts;
import io.sluice.aws.RdsSnapshots;
import io.sluice.aws.S3Bundles;
import io.sluice.canary.ApplicationMetrics;
import io.sluice.catalog.SchemaCatalog;
import io.sluice.command.CanaryCommand;
import io.sluice.command.HealthCommand;
import io.sluice.command.InfoCommand;
import io.sluice.event.InfoRequest;
import io.sluice.command.MigrateCommand;
import io.sluice.command.PreChangeSnapshots;
import io.sluice.command.RollbackCommand;
import io.sluice.command.SnapshotRestores;
import io.sluice.command.ValidateCommand;
import io.sluice.config.SluiceConfig;
import io.sluice.fleet.FleetCommand;
import io.sluice.fleet.FleetExecutions;
import io.sluice.fleet.FleetObjects;
import io.sluice.function.CanaryCheckFunction;
import io.sluice.function.FleetFunction;
import io.sluice.function.UpgradeFunction;
import io.sluice.settings.SettingRules;
import io.sluice.upgrade.BlueGreenDeployments;
import io.sluice.upgrade.GreenCheck;
import io.sluice.upgrade.RdsInstances;
import io.sluice.upgrade.UpgradeCommand;
import io.sluice.upgrade.UpgradeExecutions;
import io.sluice.function.HealthFunction;
import io.sluice.health.DatabaseHealth;
import io.sluice.function.DatabaseSecrets;
import io.sluice.function.DatabaseTargets;
import io.sluice.function.EventCodec;
import io.sluice.function.FullReports;
import io.sluice.function.FunctionBoundary;
import io.sluice.function.MigrateFunction;
import io.sluice.function.MigrationBundles;
import io.sluice.function.RollbackFunction;
import io.sluice.function.ValidateFunction;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.metrics.MetricsSink;
import io.sluice.migration.DatabaseConnector;
import io.sluice.probe.ProbeSessions;
import io.sluice.roles.OwnRoles;
import io.sluice.migration.ScriptLoader;
import io.sluice.tracing.Tracing;

/**
 * The handlers in this process, under the function ARNs the rendered pipeline definition names, and the
 * values that render it. The ARNs are those of the region and account an emulator uses, so one rendered definition
 * serves the local runner and the emulator alike.
 */
public final class LocalFunctions {

    /** Region and account of the rendered ARNs. */
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    public static final String TOPIC_ARN = "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":sluice-notifications";
    public static final String STATE_MACHINE_ARN = "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:sluice-pipeline";
    public static final String FLEET_MACHINE_ARN = "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:sluice-fleet";
    public static final String UPGRADE_MACHINE_ARN = "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:sluice-upgrade";
    /** The approvals an engine upgrade asks for in a local run ({@code upgrade_approvals} deployed). */
    public static final int LOCAL_UPGRADE_APPROVALS = 1;

    /** The handler names; each is a {@code <name>_function_arn} placeholder with '-' as '_'. */
    private static final String[] HANDLERS = {"validate", "migrate", "rollback", "canary-check", "health", "fleet", "upgrade"};

    private LocalFunctions() {
    }

    /** The ARN of the function running {@code handler}. */
    public static String arn(String handler) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:sluice-" + handler;
    }

    /**
     * The approval limit of a local run: 3, the most any change class needs, so that the input's
     * {@code autoApproveUpTo} decides, as whoever runs the pipeline locally holds the database's credentials anyway.
     */
    public static final int LOCAL_APPROVAL_LIMIT = 3;

    /** What renders the pipeline template: every function ARN, the notification topic, the local approval limit. */
    public static Map<String, String> templateValues() {
        return templateValues(LOCAL_APPROVAL_LIMIT);
    }

    /** The same with a deployment's approval limit ({@code auto_approve_up_to}): what no input can raise. */
    public static Map<String, String> templateValues(int approvalLimit) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String handler : HANDLERS) {
            values.put(handler.replace('-', '_') + "_function_arn", arn(handler));
        }
        values.put("notification_topic_arn", TOPIC_ARN);
        values.put("pipeline_arn", STATE_MACHINE_ARN);
        values.put("auto_approve_up_to", Integer.toString(approvalLimit));
        values.put("upgrade_approvals", Integer.toString(LOCAL_UPGRADE_APPROVALS));
        return values;
    }

    /** The handlers, built as the function's CDI container builds them, by function ARN. */
    public static Map<String, RequestStreamHandler> byArn(SluiceConfig config) {
        return byArn(config, AwsAdapters.fullReportsFor(config.aws()));
    }

    /** The same, keeping the whole of a result too large to return in {@code reports}; no fleet (its approvals hold nowhere). */
    public static Map<String, RequestStreamHandler> byArn(SluiceConfig config, FullReports reports) {
        return byArn(config, reports, FleetCommand.over(new EventCodec().mapper(), FleetObjects.NONE, "unset", FleetExecutions.NONE,
                Optional.empty(), new DatabaseTargets(config, AwsAdapters.listsFor(config.aws()))::check));
    }

    /** The same, with the fleet function given its objects and executions (a local fleet run's); no upgrade. */
    public static Map<String, RequestStreamHandler> byArn(SluiceConfig config, FullReports reports, FleetCommand fleet) {
        return byArn(config, reports, fleet, BlueGreenDeployments.NONE, UpgradeExecutions.NONE,
                config.aws().enabled() ? new RdsInstanceFacts(() -> AwsClients.rds(config.aws())) : RdsInstances.NONE);
    }

    /**
     * The same, with the upgrade function's Blue/Green deployments and executions given (a local upgrade run's, a
     * test's), and the instances upgrade readiness reads; the instance and state machine it may upgrade and approve come
     * from {@code config}.
     */
    public static Map<String, RequestStreamHandler> byArn(SluiceConfig config, FullReports reports, FleetCommand fleet,
            BlueGreenDeployments deployments, UpgradeExecutions upgrades, RdsInstances instances) {
        DatabaseConnector connector = new DatabaseConnector(config, OwnRoles.LOCAL);
        // Metric lines are for CloudWatch; a local run prints its own summary. Secrets and bundles work as deployed.
        FunctionBoundary boundary = new FunctionBoundary(new EventCodec(), new InvocationMetrics(MetricsSink.NONE),
                config.aws().enabled() ? new AwsDatabaseSecrets(config) : DatabaseSecrets.NONE,
                config.aws().enabled() ? new S3Bundles(config) : MigrationBundles.NONE, AwsAdapters.notificationsFor(config.aws()), reports,
                new DatabaseTargets(config, AwsAdapters.listsFor(config.aws())), Tracing.OFF, connector);
        ScriptLoader loader = new ScriptLoader(config);
        SchemaCatalog catalog = new SchemaCatalog(config);
        Map<String, RequestStreamHandler> handlers = new LinkedHashMap<>();
        handlers.put(arn("validate"), new ValidateFunction(new ValidateCommand(loader, connector, catalog, config, instances,
                AwsAdapters.rotationsFor(config.aws())), boundary));
        RdsSnapshots rds = config.aws().enabled() ? new RdsSnapshots(() -> AwsClients.rds(config.aws())) : null;
        handlers.put(arn("migrate"), new MigrateFunction(new MigrateCommand(loader, connector, catalog, config,
                rds != null ? rds : PreChangeSnapshots.NONE), boundary));
        handlers.put(arn("rollback"), new RollbackFunction(new RollbackCommand(loader, connector, catalog, config,
                rds != null ? rds : SnapshotRestores.NONE), boundary));
        handlers.put(arn("canary-check"), new CanaryCheckFunction(new CanaryCommand(connector,
                config.aws().enabled() ? new CloudWatchMetrics(() -> AwsClients.cloudWatch(config.aws())) : ApplicationMetrics.NONE), boundary));
        handlers.put(arn("health"), new HealthFunction(new HealthCommand(connector, DatabaseHealth.direct(), catalog), boundary));
        handlers.put(arn("fleet"), new FleetFunction(fleet, boundary));
        // sluice info: no function runs it deployed; through the same boundary, so its event is read as every function's.
        InfoCommand info = new InfoCommand(loader, connector);
        handlers.put(arn("info"), (input, output, context) -> boundary.handle("info", input, output, InfoRequest.class, info::run));
        handlers.put(arn("upgrade"), new UpgradeFunction(new UpgradeCommand(deployments, upgrades, config.aws().rdsInstance(),
                config.aws().upgradeArn(), connector, new GreenCheck(catalog.reader(), new SettingRules(config.settings()), loader,
                new ProbeSessions(connector, OwnRoles.LOCAL)),
                Clock.systemUTC(), AwsAdapters.rotationsFor(config.aws()), config.aws().databaseSecretArn(),
                config.aws().upgradeTargetParameterGroup(), config.aws().upgradeTargetEngineVersion()), boundary));
        return handlers;
    }

    /** Reads {@code application.properties} (and the environment) the way the function does, without starting Quarkus. */
    public static SluiceConfig config() {
        return config("prod");
    }

    /**
     * A local run's configuration: the function's, but an event may give the database's URL and credentials
     * ({@code sluice.database.event-credentials}), as whoever runs the pipeline locally holds them anyway.
     */
    public static SluiceConfig localRun() {
        return config("prod", Map.of("sluice.database.event-credentials", "true"));
    }

    /** The same for a configuration profile ({@code prod}, {@code test}). */
    public static SluiceConfig config(String profile) {
        return config(profile, Map.of());
    }

    /** The same, with {@code overrides} (property name to value) above every other source. */
    public static SluiceConfig config(String profile, Map<String, String> overrides) {
        return config(profile, overrides, Map.of(), "none");
    }

    /**
     * The same, with {@code fileSettings} from the file {@code fileName} (sluice.toml) above application.properties
     * and below the environment and system properties: flag &gt; environment &gt; file.
     */
    public static SluiceConfig config(String profile, Map<String, String> overrides, Map<String, String> fileSettings, String fileName) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withProfile(profile)
                .addDefaultSources()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(fileSettings, fileName, 275))
                .withSources(new PropertiesConfigSource(overrides, "overrides", 1_000))
                .withMapping(SluiceConfig.class)
                .build();
        return config.getConfigMapping(SluiceConfig.class);
    }
}
