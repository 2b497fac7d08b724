package io.sluice.aws;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

import io.sluice.command.PreChangeSnapshots;
import io.sluice.command.SnapshotRestores;
import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.RdsRestore;

/**
 * Pre-change snapshots of an RDS instance: CreateDBSnapshot, named {@code sluice-<instance>-<deployment>-v<version>-<epoch>},
 * tagged with the deployment and the version it was taken at, so a restore can find the one a release took; and the
 * restore of one to a new instance, configured like its source (the {@code snapshot} rollback strategy).
 */
public class RdsSnapshots implements PreChangeSnapshots, SnapshotRestores {

    private static final String DEPLOYMENT_TAG = "sluice:deploymentId";
    private static final String VERSION_TAG = "sluice:version";
    private static final String RESTORED_FROM_TAG = "sluice:restoredFrom";

    private final Supplier<RdsClient> client;

    public RdsSnapshots(Supplier<RdsClient> clients) {
        this.client = new Lazy<>(clients);
    }

    @Override
    public String create(String instance, String deploymentId, String version) {
        String id = identifier(instance, deploymentId, version);
        try {
            return client.get().createDBSnapshot(request -> request.dbInstanceIdentifier(instance).dbSnapshotIdentifier(id)
                            .tags(Tag.builder().key(DEPLOYMENT_TAG).value(deploymentId).build(),
                                    Tag.builder().key(VERSION_TAG).value(version).build()))
                    .dbSnapshot().dbSnapshotIdentifier();
        } catch (DbInstanceNotFoundException e) {
            throw new InvalidRequest("field 'rdsSnapshot': RDS has no DB instance " + Echo.value(instance) + "; nothing was migrated");
        } catch (RdsException e) {
            if (e.statusCode() >= 500 || e.isThrottlingException()) {
                throw new DatabaseUnavailable("RDS could not start a snapshot of " + Echo.value(instance) + " now; nothing was migrated,"
                        + " try again", e);
            }
            throw new InvalidRequest("field 'rdsSnapshot': RDS refused a snapshot of " + Echo.value(instance) + " ("
                    + (e.awsErrorDetails() == null ? e.statusCode() : e.awsErrorDetails().errorCode()) + "); the function's role needs"
                    + " rds:CreateDBSnapshot and rds:AddTagsToResource; nothing was migrated");
        } catch (SdkClientException e) {
            throw new DatabaseUnavailable("cannot reach RDS to snapshot " + Echo.value(instance) + ": " + Echo.value(e.getMessage()), e);
        }
    }

    @Override
    public RdsRestore plan(String instance, String snapshot, String deploymentId, String newInstance) {
        try {
            DBSnapshot found = snapshot != null ? named(instance, snapshot) : newestFor(instance, deploymentId);
            if (!"available".equals(found.status())) {
                throw new DatabaseUnavailable("snapshot " + found.dbSnapshotIdentifier() + " is " + found.status()
                        + ", not yet available to restore; try again");
            }
            String version = tags(found).get(VERSION_TAG);
            String target = newInstance != null ? newInstance : restoredName(instance);
            return new RdsRestore(instance, found.dbSnapshotIdentifier(), version, target, "PLANNED", null);
        } catch (RdsException e) {
            throw refused(e, "read the snapshots of " + instance, "rds:DescribeDBSnapshots and rds:ListTagsForResource");
        } catch (SdkClientException e) {
            throw new DatabaseUnavailable("cannot reach RDS for the snapshots of " + Echo.value(instance) + ": "
                    + Echo.value(e.getMessage()), e);
        }
    }

    @Override
    public Optional<RdsRestore> existing(RdsRestore plan) {
        DBInstance instance;
        try {
            instance = client.get().describeDBInstances(request -> request.dbInstanceIdentifier(plan.instance())).dbInstances().get(0);
        } catch (DbInstanceNotFoundException e) {
            return Optional.empty();
        } catch (RdsException e) {
            throw refused(e, "read instance " + plan.instance(), "rds:DescribeDBInstances and rds:ListTagsForResource");
        } catch (SdkClientException e) {
            throw new DatabaseUnavailable("cannot reach RDS for instance " + plan.instance() + ": " + Echo.value(e.getMessage()), e);
        }
        List<Tag> tags = instance.hasTagList() && !instance.tagList().isEmpty() ? instance.tagList()
                : client.get().listTagsForResource(request -> request.resourceName(instance.dbInstanceArn())).tagList();
        boolean fromPlan = tags.stream().anyMatch(tag -> tag.key().equals(RESTORED_FROM_TAG) && tag.value().equals(plan.snapshot()));
        if (!fromPlan) {
            throw new InvalidRequest("field 'restoredInstance': an instance " + plan.instance() + " exists already, not restored from "
                    + plan.snapshot() + "; name another; nothing was changed");
        }
        return Optional.of(restore(plan, instance));
    }

    private static RdsRestore restore(RdsRestore plan, DBInstance instance) {
        String endpoint = instance.endpoint() == null || instance.endpoint().address() == null ? null
                : instance.endpoint().address() + ":" + instance.endpoint().port();
        return new RdsRestore(plan.sourceInstance(), plan.snapshot(), plan.snapshotVersion(), instance.dbInstanceIdentifier(),
                instance.dbInstanceStatus(), endpoint);
    }

    @Override
    public RdsRestore start(RdsRestore plan, String deploymentId) {
        try {
            DBInstance source = client.get().describeDBInstances(request -> request.dbInstanceIdentifier(plan.sourceInstance()))
                    .dbInstances().get(0);
            DBInstance restored = client.get().restoreDBInstanceFromDBSnapshot(request -> {
                request.dbInstanceIdentifier(plan.instance()).dbSnapshotIdentifier(plan.snapshot())
                        .dbInstanceClass(source.dbInstanceClass()).multiAZ(source.multiAZ()).publiclyAccessible(false)
                        .deletionProtection(true).copyTagsToSnapshot(true)
                        .vpcSecurityGroupIds(source.vpcSecurityGroups().stream().map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList())
                        .tags(Tag.builder().key(DEPLOYMENT_TAG).value(deploymentId).build(),
                                Tag.builder().key(RESTORED_FROM_TAG).value(plan.snapshot()).build());
                if (source.dbSubnetGroup() != null) {
                    request.dbSubnetGroupName(source.dbSubnetGroup().dbSubnetGroupName());
                }
                if (!source.dbParameterGroups().isEmpty()) {
                    request.dbParameterGroupName(source.dbParameterGroups().get(0).dbParameterGroupName());
                }
            }).dbInstance();
            return restore(plan, restored);
        } catch (DbInstanceNotFoundException e) {
            throw new InvalidRequest("field 'rdsInstance': RDS has no DB instance " + Echo.value(plan.sourceInstance())
                    + "; nothing was changed");
        } catch (DbInstanceAlreadyExistsException e) {
            throw new InvalidRequest("field 'restoredInstance': an instance " + plan.instance() + " exists already; name another;"
                    + " nothing was changed");
        } catch (RdsException e) {
            throw refused(e, "restore " + plan.snapshot(), "rds:DescribeDBInstances, rds:RestoreDBInstanceFromDBSnapshot and"
                    + " rds:AddTagsToResource");
        } catch (SdkClientException e) {
            throw new DatabaseUnavailable("cannot reach RDS to restore " + plan.snapshot() + ": " + Echo.value(e.getMessage()), e);
        }
    }

    private DBSnapshot named(String instance, String snapshot) {
        List<DBSnapshot> found;
        try {
            found = client.get().describeDBSnapshots(request -> request.dbSnapshotIdentifier(snapshot)).dbSnapshots();
        } catch (DbSnapshotNotFoundException e) {
            found = List.of();
        }
        if (found.isEmpty() || !instance.equals(found.get(0).dbInstanceIdentifier())) {
            throw new InvalidRequest("field 'rdsSnapshot': RDS has no snapshot " + snapshot + " of instance " + instance
                    + "; nothing was changed");
        }
        return found.get(0);
    }

    private DBSnapshot newestFor(String instance, String deploymentId) {
        List<DBSnapshot> snapshots;
        try {
            snapshots = client.get().describeDBSnapshots(request -> request.dbInstanceIdentifier(instance).snapshotType("manual"))
                    .dbSnapshots();
        } catch (DbInstanceNotFoundException e) {
            snapshots = List.of();
        }
        return snapshots.stream()
                .filter(snapshot -> deploymentId.equals(tags(snapshot).get(DEPLOYMENT_TAG)))
                .max(Comparator.comparing(DBSnapshot::snapshotCreateTime, Comparator.nullsFirst(Comparator.naturalOrder())))
                .orElseThrow(() -> new InvalidRequest("field 'rdsSnapshot': RDS has no snapshot of " + instance + " that Sluice took"
                        + " for deployment " + deploymentId + " (tag " + DEPLOYMENT_TAG + "); name the snapshot to restore;"
                        + " nothing was changed"));
    }

    private Map<String, String> tags(DBSnapshot snapshot) {
        List<Tag> tags = snapshot.hasTagList() && !snapshot.tagList().isEmpty() ? snapshot.tagList()
                : client.get().listTagsForResource(request -> request.resourceName(snapshot.dbSnapshotArn())).tagList();
        Map<String, String> byKey = new HashMap<>();
        tags.forEach(tag -> byKey.put(tag.key(), tag.value()));
        return byKey;
    }

    /** {@code <instance>-restored-<epoch>}, within RDS's 63 characters. */
    static String restoredName(String instance) {
        String suffix = "-restored-" + Instant.now().getEpochSecond();
        String base = instance.length() + suffix.length() <= 63 ? instance : instance.substring(0, 63 - suffix.length());
        return base.replaceAll("-$", "") + suffix;
    }

    private static RuntimeException refused(RdsException e, String what, String actions) {
        if (e.statusCode() >= 500 || e.isThrottlingException()) {
            return new DatabaseUnavailable("RDS could not " + what + " now; nothing was changed, try again", e);
        }
        return new InvalidRequest("RDS refused to " + what + " (" + (e.awsErrorDetails() == null ? e.statusCode()
                : e.awsErrorDetails().errorCode()) + "); the function's role needs " + actions + "; nothing was changed");
    }

    /**
     * A snapshot identifier RDS accepts (a letter first, letters, digits and single hyphens, at most 255), unique in the
     * account: snapshot names are not per instance, and one release may migrate several.
     */
    static String identifier(String instance, String deploymentId, String version) {
        String raw = "sluice-" + instance + "-" + deploymentId + "-v" + version + "-" + Instant.now().getEpochSecond();
        String id = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-+", "-").replaceAll("-$", "");
        return id.length() <= 255 ? id : id.substring(0, 255).replaceAll("-$", "");
    }
}
