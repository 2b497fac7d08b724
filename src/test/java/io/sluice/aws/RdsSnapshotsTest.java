package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;

import io.sluice.command.MigrateCommand;
import io.sluice.error.InvalidRequest;
import io.sluice.event.DeploymentId;
import io.sluice.event.MigrateReport;
import io.sluice.event.MigrateStatus;
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
    }

    @Test
    void snapshotStartsBeforeTheFirstChange_taggedWithTheDeployment_andNoneWhenNothingIsPending() {
        TestDatabase db = PostgresServer.get().newDatabase();
        MigrateEvent event = MigrateEvent.against(db.target()).deploymentId(DeploymentId.of("release-9")).rdsSnapshot(instance);

        MigrateReport first = migrate.run(event.build(), Duration.ofMinutes(1));
        MigrateReport second = migrate.run(event.build(), Duration.ofMinutes(1));

        assertThat(first.status()).isEqualTo(MigrateStatus.MIGRATED);
        assertThat(first.rdsSnapshot()).startsWith("sluice-release-9-v0-");
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
