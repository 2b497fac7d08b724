package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

import io.sluice.error.InvalidRequest;
import io.sluice.testing.MotoServer;
import io.sluice.upgrade.BlueGreen;
import io.sluice.upgrade.RdsInstances;

/**
 * The Blue/Green adapter against moto's RDS, which implements the four calls at the API level: create (green an
 * instance of the target version and parameter group), describe (green's endpoint), switchover (RDS's renames: blue
 * becomes {@code <name>-old1}, green takes the name), delete (green with it before a switchover, kept after). And what
 * RDS refuses: an instance whose master password RDS manages, an unknown instance or deployment, a switchover of one that
 * is not AVAILABLE.
 */
class RdsBlueGreenTest {

    private RdsClient rds;
    private RdsBlueGreen deployments;
    private String instance;

    @BeforeEach
    void instance() {
        rds = MotoServer.client(RdsClient.builder());
        deployments = new RdsBlueGreen(() -> rds);
        instance = "orders-" + UUID.randomUUID().toString().substring(0, 8);
        rds.createDBInstance(request -> request.dbInstanceIdentifier(instance).engine("postgres").engineVersion("17.6")
                .dbInstanceClass("db.t4g.micro").allocatedStorage(20).masterUsername("postgres").masterUserPassword("secret-password"));
    }

    @Test
    void create_describe_switchover_delete_asRdsAnswersThem() {
        BlueGreen created = deployments.create(instance, "sluice-pg18", "18.1", null, "pg18");

        assertThat(created.id()).startsWith("bgd-");
        assertThat(created.name()).isEqualTo("sluice-pg18");
        assertThat(created.blueInstance()).isEqualTo(instance);
        assertThat(created.greenInstance()).startsWith(instance + "-green-");
        DBInstance green = rds.describeDBInstances(request -> request.dbInstanceIdentifier(created.greenInstance())).dbInstances().get(0);
        assertThat(green.engineVersion()).isEqualTo("18.1");
        assertThat(created.greenEndpoint()).isEqualTo(green.endpoint().address() + ":" + green.endpoint().port());

        BlueGreen described = deployments.describe(created.id());
        assertThat(described.available()).isTrue();

        BlueGreen switching = deployments.switchover(created.id(), 300);
        assertThat(switching.status()).isEqualTo("SWITCHOVER_IN_PROGRESS");
        BlueGreen switched = deployments.describe(created.id());
        assertThat(switched.status()).isEqualTo("SWITCHOVER_COMPLETED");
        assertThat(switched.blueInstance()).isEqualTo(instance + "-old1");
        assertThat(switched.greenInstance()).isEqualTo(instance);
        assertThat(rds.describeDBInstances(request -> request.dbInstanceIdentifier(instance)).dbInstances().get(0).engineVersion())
                .isEqualTo("18.1");

        BlueGreen deleted = deployments.delete(created.id(), false);
        assertThat(deleted.status()).isEqualTo("DELETING");
        assertThat(rds.describeDBInstances().dbInstances()).extracting(DBInstance::dbInstanceIdentifier).contains(instance, instance + "-old1");
        assertThatThrownBy(() -> deployments.describe(created.id())).isInstanceOf(InvalidRequest.class)
                .hasMessage("RDS has no such Blue/Green deployment, so it cannot describe Blue/Green deployment " + created.id()
                        + "; nothing was changed");
    }

    @Test
    void deletingBeforeASwitchover_removesGreen_andBlueStays() {
        BlueGreen created = deployments.create(instance, "sluice-abandoned", "18.1", null, "abandoned");

        deployments.delete(created.id(), true);

        assertThat(rds.describeDBInstances().dbInstances()).extracting(DBInstance::dbInstanceIdentifier).contains(instance)
                .doesNotContain(created.greenInstance());
    }

    @Test
    void whatRdsRefuses_isSaidWithItsFix() {
        String managed = instance + "-managed";
        rds.createDBInstance(request -> request.dbInstanceIdentifier(managed).engine("postgres").engineVersion("17.6")
                .dbInstanceClass("db.t4g.micro").allocatedStorage(20).masterUsername("postgres").manageMasterUserPassword(true));

        assertThatThrownBy(() -> deployments.create(managed, "sluice-managed", "18.1", null, "managed")).isInstanceOf(InvalidRequest.class)
                .hasMessage("RDS refuses to create a Blue/Green deployment of " + managed + ": the instance's master password is managed by"
                        + " RDS in Secrets Manager, which Blue/Green deployments do not support; give the instance a master password of its"
                        + " own (terraform: master_password_managed_by_rds = false) and run upgrade-readiness again; nothing was changed");
        assertThat(new RdsInstanceFacts(() -> rds).describe(managed)).get().extracting(RdsInstances.Instance::masterUserSecretArn)
                .asString().startsWith("arn:aws:secretsmanager:");
        assertThat(new RdsInstanceFacts(() -> rds).describe(instance)).get().extracting(RdsInstances.Instance::masterUserSecretArn).isNull();
        assertThat(new RdsInstanceFacts(() -> rds).describe("no-such-db")).isEmpty();

        assertThatThrownBy(() -> deployments.create("no-such-db", "sluice-none", "18.1", null, "none")).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'rdsInstance': RDS has no such DB instance, so it cannot create a Blue/Green deployment of no-such-db;"
                        + " nothing was changed");
        assertThatThrownBy(() -> deployments.describe("bgd-doesnotexist000")).isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("RDS has no such Blue/Green deployment");

        BlueGreen created = deployments.create(instance, "sluice-twice", "18.1", null, "twice");
        deployments.switchover(created.id(), 300);
        assertThatThrownBy(() -> deployments.switchover(created.id(), 300)).isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("RDS refuses to switch over Blue/Green deployment " + created.id() + " in its current state:");
    }
}
