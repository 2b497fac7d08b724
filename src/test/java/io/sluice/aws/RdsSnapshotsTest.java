package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;

import io.sluice.command.MigrateCommand;
import io.sluice.command.RollbackCommand;
import io.sluice.error.InvalidRequest;
import io.sluice.event.DeploymentId;
import io.sluice.event.MigrateReport;
import io.sluice.event.MigrateStatus;
import io.sluice.event.RdsRestore;
import io.sluice.event.RollbackReport;
import io.sluice.event.RollbackRequest;
import io.sluice.event.RollbackStatus;
import io.sluice.event.RollbackStrategy;
import io.sluice.event.TargetVersion;
import io.sluice.migration.Backoff;
import io.sluice.migration.ScriptLoader;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.MigrateSettings;
import io.sluice.testing.MotoServer;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * The pre-change snapshot against moto's RDS (which keeps state: instances and snapshots): migrate with
 * {@code rdsSnapshot} starts a tagged snapshot before the first change, takes none when nothing is pending, and refuses
 * an instance that does not exist before migrating anything.
 */
class RdsSnapshotsTest {

    private RdsClient rds;
    private String instance;
    private MigrateCommand migrate;
    private RollbackCommand rollback;

    @BeforeEach
    void instance() {
        rds = RdsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(URI.create(MotoServer.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
        instance = "app-db-" + UUID.randomUUID().toString().substring(0, 8);
        rds.createDBInstance(request -> request.dbInstanceIdentifier(instance).engine("postgres").dbInstanceClass("db.t4g.micro")
                .allocatedStorage(20).masterUsername("postgres").masterUserPassword("secret-password"));
        migrate = new MigrateCommand(new ScriptLoader(Sluice.files()), Sluice.connector(), Sluice.catalog(), MigrateSettings.defaults(),
                Backoff.THREAD_SLEEP, new RdsSnapshots(() -> rds));
        rollback = new RollbackCommand(new ScriptLoader(Sluice.files()), Sluice.connector(), Sluice.catalog(), MigrateSettings.defaults(),
                Backoff.THREAD_SLEEP, new RdsSnapshots(() -> rds));
    }

    private static RollbackRequest restore(TestDatabase db, String deploymentId, String target, String snapshot, String newInstance,
            boolean dryRun, String instance) {
        return new RollbackRequest(DeploymentId.of(deploymentId), db.target(), null, null, RollbackStrategy.SNAPSHOT,
                TargetVersion.parse(target), "release broke checkout", "oncall", dryRun, null, null, instance, snapshot, newInstance, null);
    }

    @Test
    void snapshotRollback_restoresTheReleasesSnapshotToANewInstanceLikeItsSource_andLeavesTheDatabaseAsItIs() {
        TestDatabase db = PostgresServer.get().newDatabase();
        MigrateReport migrated = migrate.run(MigrateEvent.against(db.target()).deploymentId(DeploymentId.of("release-9"))
                .rdsSnapshot(instance).build(), Duration.ofMinutes(1));
        List<String> history = db.history();

        RollbackReport planned = rollback.run(restore(db, "release-9", "0", null, instance + "-back", true, instance), Duration.ofMinutes(1));
        assertThat(rds.describeDBInstances().dbInstances()).as("a dry run restores nothing")
                .noneMatch(db2 -> db2.dbInstanceIdentifier().equals(instance + "-back"));
        RollbackReport restored = rollback.run(restore(db, "release-9", "0", null, instance + "-back", false, instance),
                Duration.ofMinutes(1));
        RollbackReport askedAgain = rollback.run(restore(db, "release-9", "0", null, instance + "-back", false, instance),
                Duration.ofMinutes(1));

        assertThat(planned.status()).isEqualTo(RollbackStatus.PLANNED);
        assertThat(planned.restore()).isEqualTo(new RdsRestore(instance, migrated.rdsSnapshot(), "0", instance + "-back", "PLANNED", null));
        // moto's restored instances are available at once; RDS's report "creating" first (status RESTORING), and the
        // workflow asks again until they are available.
        assertThat(restored.status()).isEqualTo(RollbackStatus.RESTORED);
        assertThat(restored.restore().endpoint()).isNotBlank();
        assertThat(askedAgain.status()).as("asked again: a status read, not a second restore").isEqualTo(RollbackStatus.RESTORED);
        assertThat(askedAgain.restore()).isEqualTo(restored.restore());
        assertThat(askedAgain.auditId()).isNull();
        assertThat(restored.restore().snapshot()).isEqualTo(migrated.rdsSnapshot());
        assertThat(restored.restore().instance()).isEqualTo(instance + "-back");
        assertThat(restored.versionAfter()).as("the database in the event is not touched").isEqualTo("4");
        assertThat(db.history()).isEqualTo(history);
        DBInstance created = rds.describeDBInstances(request -> request.dbInstanceIdentifier(instance + "-back")).dbInstances().get(0);
        assertThat(created.dbInstanceClass()).isEqualTo("db.t4g.micro");
        assertThat(rds.listTagsForResource(request -> request.resourceName(created.dbInstanceArn())).tagList())
                .extracting(Tag::key, Tag::value).contains(org.assertj.core.groups.Tuple.tuple("sluice:deploymentId", "release-9"),
                        org.assertj.core.groups.Tuple.tuple("sluice:restoredFrom", migrated.rdsSnapshot()));
        assertThat(db.rows("SELECT result, strategy, from_version, to_version, detail FROM sluice.rollback_audit")).containsExactly(
                "RESTORE_STARTED|snapshot|4|0|snapshot " + migrated.rdsSnapshot() + " of " + instance + " restoring to instance "
                        + instance + "-back");
    }

    @Test
    void snapshotRollback_refusesASnapshotOfAnotherVersion_anotherDeployment_orATakenName_changingNothing() {
        TestDatabase db = PostgresServer.get().newDatabase();
        MigrateReport migrated = migrate.run(MigrateEvent.against(db.target()).deploymentId(DeploymentId.of("release-9"))
                .rdsSnapshot(instance).build(), Duration.ofMinutes(1));

        assertThatThrownBy(() -> rollback.run(restore(db, "release-9", "3", null, null, false, instance), Duration.ofMinutes(1)))
                .isInstanceOf(InvalidRequest.class).hasMessage("field 'targetVersion': snapshot " + migrated.rdsSnapshot()
                        + " was taken at version 0, not 3; nothing was changed");
        assertThatThrownBy(() -> rollback.run(restore(db, "release-10", "0", null, null, false, instance), Duration.ofMinutes(1)))
                .isInstanceOf(InvalidRequest.class).hasMessage("field 'rdsSnapshot': RDS has no snapshot of " + instance
                        + " that Sluice took for deployment release-10 (tag sluice:deploymentId); name the snapshot to restore;"
                        + " nothing was changed");
        assertThatThrownBy(() -> rollback.run(restore(db, "release-10", "0", "no-such-snapshot", null, false, instance),
                Duration.ofMinutes(1))).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'rdsSnapshot': RDS has no snapshot no-such-snapshot of instance " + instance + "; nothing was changed");
        assertThatThrownBy(() -> rollback.run(restore(db, "release-10", "0", migrated.rdsSnapshot(), instance, false, instance),
                Duration.ofMinutes(1))).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'restoredInstance': an instance " + instance + " exists already, not restored from "
                        + migrated.rdsSnapshot() + "; name another; nothing was changed");
        assertThat(db.rows("SELECT count(*) FROM sluice.rollback_audit")).containsExactly("0");
        assertThat(rds.describeDBInstances().dbInstances()).extracting(DBInstance::dbInstanceIdentifier).doesNotContain(instance + "-back");
    }

    @Test
    void snapshotStartsBeforeTheFirstChange_taggedWithTheDeployment_andNoneWhenNothingIsPending() {
        TestDatabase db = PostgresServer.get().newDatabase();
        MigrateEvent event = MigrateEvent.against(db.target()).deploymentId(DeploymentId.of("release-9")).rdsSnapshot(instance);

        MigrateReport first = migrate.run(event.build(), Duration.ofMinutes(1));
        MigrateReport second = migrate.run(event.build(), Duration.ofMinutes(1));

        assertThat(first.status()).isEqualTo(MigrateStatus.MIGRATED);
        assertThat(first.rdsSnapshot()).startsWith("sluice-" + instance + "-release-9-v0-");
        assertThat(second.status()).isEqualTo(MigrateStatus.UP_TO_DATE);
        assertThat(second.rdsSnapshot()).as("nothing changes: no snapshot").isNull();
        // moto, like RDS, also keeps the automated snapshot taken when the instance was created.
        var manual = rds.describeDBSnapshots(request -> request.dbInstanceIdentifier(instance).snapshotType("manual")).dbSnapshots();
        assertThat(manual).hasSize(1);
        DBSnapshot snapshot = manual.get(0);
        assertThat(snapshot.dbSnapshotIdentifier()).isEqualTo(first.rdsSnapshot());
        assertThat(rds.listTagsForResource(request -> request.resourceName(snapshot.dbSnapshotArn())).tagList())
                .extracting(Tag::key, Tag::value).contains(org.assertj.core.groups.Tuple.tuple("sluice:deploymentId", "release-9"),
                        org.assertj.core.groups.Tuple.tuple("sluice:version", "0"));
    }

    @Test
    void anInstanceThatDoesNotExist_isRefused_beforeAnythingIsMigrated() {
        TestDatabase db = PostgresServer.get().newDatabase();

        assertThatThrownBy(() -> migrate.run(MigrateEvent.against(db.target()).rdsSnapshot("no-such-db").build(), Duration.ofMinutes(1)))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'rdsSnapshot': RDS has no DB instance no-such-db; nothing was migrated");
        assertThat(db.tableExists("flyway_schema_history")).as("nothing migrated, not even the history created").isFalse();
    }
}
