package io.sluice.aws;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.sluice.approval.ApprovalLedger;
import io.sluice.approval.ApproveCommand;
import io.sluice.approval.Approvers;
import io.sluice.approval.StartCommand;
import io.sluice.approval.PipelineTasks;
import io.sluice.canary.ApplicationMetrics;
import io.sluice.command.PreChangeSnapshots;
import io.sluice.command.SnapshotRestores;
import io.sluice.config.DeploymentLists;
import io.sluice.config.SluiceConfig;
import io.sluice.catalog.SchemaCatalog;
import io.sluice.fleet.FleetCommand;
import io.sluice.fleet.FleetExecutions;
import io.sluice.fleet.FleetObjects;
import io.sluice.function.DatabaseSecrets;
import io.sluice.function.DatabaseTargets;
import io.sluice.function.EventCodec;
import io.sluice.function.FolderReports;
import io.sluice.function.FullReports;
import io.sluice.function.MigrationBundles;
import io.sluice.function.Notifications;
import io.sluice.migration.DatabaseConnector;
import io.sluice.probe.ProbeSessions;
import io.sluice.roles.OwnRoles;
import io.sluice.migration.ScriptLoader;
import io.sluice.settings.SettingRules;
import io.sluice.upgrade.BlueGreenDeployments;
import io.sluice.upgrade.GreenCheck;
import io.sluice.upgrade.RdsInstances;
import io.sluice.upgrade.SecretRotations;
import io.sluice.upgrade.UpgradeCommand;
import io.sluice.upgrade.UpgradeExecutions;

/** The AWS adapters as the function boundary gets them: real ones when {@code sluice.aws.enabled}, refusing ones when not. */
@ApplicationScoped
public class AwsAdapters {

    @Produces
    @ApplicationScoped
    DatabaseSecrets databaseSecrets(SluiceConfig config) {
        return config.aws().enabled() ? new AwsDatabaseSecrets(config) : DatabaseSecrets.NONE;
    }

    @Produces
    @ApplicationScoped
    MigrationBundles migrationBundles(SluiceConfig config) {
        return config.aws().enabled() ? new S3Bundles(config) : MigrationBundles.NONE;
    }

    @Produces
    @ApplicationScoped
    Notifications notifications(SluiceConfig config) {
        return notificationsFor(config.aws());
    }

    /** The deployment's lists object (the secrets an event may name, the approvers), read at the first event that needs it. */
    @Produces
    @ApplicationScoped
    DeploymentLists.Source deploymentLists(SluiceConfig config) {
        return listsFor(config.aws());
    }

    public static DeploymentLists.Source listsFor(SluiceConfig.Aws aws) {
        return aws.enabled() ? S3DeploymentLists.of(aws) : DeploymentLists.Source.NONE;
    }

    @Produces
    @ApplicationScoped
    FullReports fullReports(SluiceConfig config) {
        return fullReportsFor(config.aws());
    }

    @Produces
    @ApplicationScoped
    ApproveCommand approveCommand(SluiceConfig config, DeploymentLists.Source lists) {
        List<String> configured = config.approval().approvers().orElse(List.of());
        java.util.function.Supplier<Approvers> approvers = new Lazy<>(() -> {
            List<String> entries = new java.util.ArrayList<>(configured);
            entries.addAll(lists.lists().approvers());
            return Approvers.of(entries);
        });
        SluiceConfig.Aws aws = config.aws();
        if (!aws.enabled()) {
            return new ApproveCommand(ApprovalLedger.NONE, PipelineTasks.NONE, approvers);
        }
        return new ApproveCommand(ledger(aws), tasks(aws), approvers);
    }

    @Produces
    @ApplicationScoped
    StartCommand startCommand(SluiceConfig config) {
        SluiceConfig.Aws aws = config.aws();
        return aws.enabled() ? new StartCommand(ledger(aws), tasks(aws)) : new StartCommand(ApprovalLedger.NONE, PipelineTasks.NONE);
    }

    private static ApprovalLedger ledger(SluiceConfig.Aws aws) {
        return new DynamoApprovalLedger(aws.approvalsTable(), () -> AwsClients.dynamoDb(aws));
    }

    private static PipelineTasks tasks(SluiceConfig.Aws aws) {
        return new SfnPipelineTasks(() -> AwsClients.stepFunctions(aws), aws.pipelineArn().orElse(null), aws.fleetArn().orElse(null),
                aws.upgradeArn().orElse(null));
    }

    /** The fleet function: its objects in the reports bucket, its executions in Step Functions and the approvals ledger. */
    @Produces
    @ApplicationScoped
    FleetCommand fleetCommand(SluiceConfig config, EventCodec codec, DatabaseTargets targets) {
        SluiceConfig.Aws aws = config.aws();
        if (!aws.enabled() || aws.reportsBucket().isEmpty()) {
            return FleetCommand.over(codec.mapper(), FleetObjects.NONE, "unset", FleetExecutions.NONE, aws.fleetArn(), targets::check);
        }
        return FleetCommand.over(codec.mapper(), new S3FleetObjects(() -> AwsClients.s3(aws)), aws.reportsBucket().get(),
                new SfnFleetExecutions(() -> AwsClients.stepFunctions(aws), ledger(aws)), aws.fleetArn(), targets::check,
                aws.fleetMaxConcurrency());
    }

    /**
     * The upgrade function: Blue/Green deployments of {@code sluice.aws.rds-instance} in RDS, switchovers approved by
     * the upgrade executions Step Functions and the approvals ledger know.
     */
    @Produces
    @ApplicationScoped
    UpgradeCommand upgradeCommand(SluiceConfig config, DatabaseConnector connector, SchemaCatalog catalog, ScriptLoader loader,
            OwnRoles roles, SecretRotations rotations) {
        SluiceConfig.Aws aws = config.aws();
        GreenCheck green = new GreenCheck(catalog.reader(), new SettingRules(config.settings()), loader,
                new ProbeSessions(connector, roles));
        if (!aws.enabled()) {
            return new UpgradeCommand(BlueGreenDeployments.NONE, UpgradeExecutions.NONE, aws.rdsInstance(), aws.upgradeArn(), connector,
                    green, Clock.systemUTC());
        }
        return new UpgradeCommand(new RdsBlueGreen(() -> AwsClients.rds(aws)), upgradeExecutions(aws), aws.rdsInstance(),
                aws.upgradeArn(), connector, green, Clock.systemUTC(), rotations, aws.databaseSecretArn(), aws.upgradeTargetParameterGroup(),
                aws.upgradeTargetEngineVersion());
    }

    /** RDS's view of an instance, for upgrade readiness. */
    @Produces
    @ApplicationScoped
    RdsInstances rdsInstances(SluiceConfig config) {
        SluiceConfig.Aws aws = config.aws();
        return aws.enabled() ? new RdsInstanceFacts(() -> AwsClients.rds(aws)) : RdsInstances.NONE;
    }

    /** Secrets Manager's view of the master secret's rotation, for upgrade readiness and the switchover. */
    @Produces
    @ApplicationScoped
    SecretRotations secretRotations(SluiceConfig config) {
        return rotationsFor(config.aws());
    }

    public static SecretRotations rotationsFor(SluiceConfig.Aws aws) {
        return aws.enabled() ? new SecretRotationFacts(() -> AwsClients.secretsManager(aws)) : SecretRotations.NONE;
    }

    /** Upgrade executions, read as fleet executions are: DescribeExecution and the ledger. */
    public static UpgradeExecutions upgradeExecutions(SluiceConfig.Aws aws) {
        return upgradeExecutions(new SfnFleetExecutions(() -> AwsClients.stepFunctions(aws), ledger(aws)));
    }

    /** Executions as the fleet reads them (Step Functions and the ledger, or a local run's), for the upgrade. */
    public static UpgradeExecutions upgradeExecutions(FleetExecutions executions) {
        return arn -> executions.find(arn).map(found -> new UpgradeExecutions.UpgradeExecution(found.stateMachineArn(), found.status(),
                found.input(), found.decision(), found.approvers()));
    }

    @Produces
    @ApplicationScoped
    PreChangeSnapshots preChangeSnapshots(SluiceConfig config) {
        SluiceConfig.Aws aws = config.aws();
        return aws.enabled() ? new RdsSnapshots(() -> AwsClients.rds(aws)) : PreChangeSnapshots.NONE;
    }

    @Produces
    @ApplicationScoped
    SnapshotRestores snapshotRestores(SluiceConfig config) {
        SluiceConfig.Aws aws = config.aws();
        return aws.enabled() ? new RdsSnapshots(() -> AwsClients.rds(aws)) : SnapshotRestores.NONE;
    }

    @Produces
    @ApplicationScoped
    ApplicationMetrics applicationMetrics(SluiceConfig config) {
        SluiceConfig.Aws aws = config.aws();
        return aws.enabled() ? new CloudWatchMetrics(() -> AwsClients.cloudWatch(aws)) : ApplicationMetrics.NONE;
    }

    /** S3 when enabled and a reports bucket is configured; else the temporary folder ({@link FolderReports#temporary()}). */
    public static FullReports fullReportsFor(SluiceConfig.Aws aws) {
        if (!aws.enabled() || aws.reportsBucket().isEmpty()) {
            return FolderReports.temporary();
        }
        return new S3FullReports(aws.reportsBucket().get(), () -> AwsClients.s3(aws));
    }

    /** SNS when enabled and a topic is configured; else none. */
    public static Notifications notificationsFor(SluiceConfig.Aws aws) {
        if (!aws.enabled() || aws.notificationTopicArn().isEmpty()) {
            return Notifications.NONE;
        }
        return new SnsNotifications(aws.notificationTopicArn().get(), () -> AwsClients.sns(aws));
    }
}
