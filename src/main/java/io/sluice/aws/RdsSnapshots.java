package io.sluice.aws;

import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;

import io.sluice.command.PreChangeSnapshots;
import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * Pre-change snapshots of an RDS instance: CreateDBSnapshot, named {@code sluice-<deployment>-<version>-<epoch>},
 * tagged with the deployment and the version it was taken at, so a restore can find the one a release took.
 */
public class RdsSnapshots implements PreChangeSnapshots {

    private final Supplier<RdsClient> client;

    public RdsSnapshots(Supplier<RdsClient> clients) {
        this.client = new Lazy<>(clients);
    }

    @Override
    public String create(String instance, String deploymentId, String version) {
        String id = identifier(deploymentId, version);
        try {
            return client.get().createDBSnapshot(request -> request.dbInstanceIdentifier(instance).dbSnapshotIdentifier(id)
                            .tags(Tag.builder().key("sluice:deploymentId").value(deploymentId).build(),
                                    Tag.builder().key("sluice:version").value(version).build()))
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

    /** A snapshot identifier RDS accepts: a letter first, letters, digits and single hyphens, at most 255. */
    static String identifier(String deploymentId, String version) {
        String raw = "sluice-" + deploymentId + "-v" + version + "-" + Instant.now().getEpochSecond();
        String id = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-+", "-").replaceAll("-$", "");
        return id.length() <= 255 ? id : id.substring(0, 255).replaceAll("-$", "");
    }
}
