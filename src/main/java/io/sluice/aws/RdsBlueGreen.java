package io.sluice.aws;

import java.util.List;
import java.util.function.Supplier;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.BlueGreenDeployment;
import software.amazon.awssdk.services.rds.model.BlueGreenDeploymentAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.BlueGreenDeploymentNotFoundException;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidBlueGreenDeploymentStateException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.SourceDatabaseNotSupportedException;
import software.amazon.awssdk.services.rds.model.Tag;

import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.upgrade.BlueGreen;
import io.sluice.upgrade.BlueGreenDeployments;

/**
 * RDS Blue/Green deployments: CreateBlueGreenDeployment (the source named by its ARN, read with DescribeDBInstances),
 * DescribeBlueGreenDeployments (green's endpoint from DescribeDBInstances), SwitchoverBlueGreenDeployment and
 * DeleteBlueGreenDeployment. What RDS refuses for a reason the caller can act on (no such instance, a master password
 * RDS manages, a deployment in the wrong state) is an {@link InvalidRequest} saying so; RDS unreachable or throttling
 * is {@link DatabaseUnavailable}, which the workflow retries.
 */
public class RdsBlueGreen implements BlueGreenDeployments {

    private static final String DEPLOYMENT_TAG = "sluice:deploymentId";

    private final Supplier<RdsClient> client;

    public RdsBlueGreen(Supplier<RdsClient> clients) {
        this.client = new Lazy<>(clients);
    }

    @Override
    public BlueGreen create(String instance, String name, String targetEngineVersion, String targetParameterGroup, String deploymentId) {
        return call("create a Blue/Green deployment of " + instance, "rds:DescribeDBInstances, rds:CreateBlueGreenDeployment and"
                + " rds:AddTagsToResource", () -> {
            DBInstance source = instance(instance);
            BlueGreenDeployment created = client.get().createBlueGreenDeployment(request -> {
                request.blueGreenDeploymentName(name).source(source.dbInstanceArn()).targetEngineVersion(targetEngineVersion)
                        .tags(Tag.builder().key(DEPLOYMENT_TAG).value(deploymentId).build());
                if (targetParameterGroup != null) {
                    request.targetDBParameterGroupName(targetParameterGroup);
                }
            }).blueGreenDeployment();
            return of(created);
        });
    }

    @Override
    public BlueGreen describe(String id) {
        return call("describe Blue/Green deployment " + id, "rds:DescribeBlueGreenDeployments and rds:DescribeDBInstances",
                () -> of(deployment(id)));
    }

    @Override
    public BlueGreen switchover(String id, int timeoutSeconds) {
        return call("switch over Blue/Green deployment " + id, "rds:SwitchoverBlueGreenDeployment", () -> of(client.get()
                .switchoverBlueGreenDeployment(request -> request.blueGreenDeploymentIdentifier(id).switchoverTimeout(timeoutSeconds))
                .blueGreenDeployment()));
    }

    @Override
    public BlueGreen delete(String id, boolean deleteGreen) {
        return call("delete Blue/Green deployment " + id, "rds:DeleteBlueGreenDeployment" + (deleteGreen ? " and rds:DeleteDBInstance" : ""),
                () -> {
                    BlueGreen before = of(deployment(id));
                    BlueGreenDeployment deleted = client.get().deleteBlueGreenDeployment(request -> {
                        request.blueGreenDeploymentIdentifier(id);
                        if (deleteGreen) {
                            // RDS refuses DeleteTarget after a switchover; before one, it removes green with the deployment.
                            request.deleteTarget(true);
                        }
                    }).blueGreenDeployment();
                    return new BlueGreen(before.id(), before.name(), deleted.status(), before.blueInstance(), before.greenInstance(),
                            before.greenEndpoint(), deleted.statusDetails(), before.createTime());
                });
    }

    private BlueGreenDeployment deployment(String id) {
        List<BlueGreenDeployment> found = client.get().describeBlueGreenDeployments(request -> request.blueGreenDeploymentIdentifier(id))
                .blueGreenDeployments();
        if (found.isEmpty()) {
            throw missing(id);
        }
        return found.get(0);
    }

    private DBInstance instance(String identifier) {
        return client.get().describeDBInstances(request -> request.dbInstanceIdentifier(identifier)).dbInstances().get(0);
    }

    private BlueGreen of(BlueGreenDeployment deployment) {
        String green = identifier(deployment.target());
        String endpoint = null;
        if (green != null) {
            try {
                DBInstance target = instance(green);
                if (target.endpoint() != null && target.endpoint().address() != null) {
                    endpoint = target.endpoint().address() + ":" + target.endpoint().port();
                }
            } catch (DbInstanceNotFoundException e) {
                endpoint = null;
            }
        }
        return new BlueGreen(deployment.blueGreenDeploymentIdentifier(), deployment.blueGreenDeploymentName(), deployment.status(),
                identifier(deployment.source()), green, endpoint, deployment.statusDetails(),
                deployment.createTime() == null ? null : deployment.createTime().toString());
    }

    /** {@code arn:aws:rds:REGION:ACCOUNT:db:NAME} → NAME; null stays null. */
    static String identifier(String arn) {
        if (arn == null) {
            return null;
        }
        int at = arn.lastIndexOf(":db:");
        return at < 0 ? arn : arn.substring(at + 4);
    }

    private static InvalidRequest missing(String id) {
        return new InvalidRequest("field 'blueGreenDeploymentId': RDS has no Blue/Green deployment " + Echo.value(id)
                + "; nothing was changed");
    }

    private static BlueGreen call(String what, String actions, Supplier<BlueGreen> call) {
        try {
            return call.get();
        } catch (BlueGreenDeploymentNotFoundException e) {
            throw new InvalidRequest("RDS has no such Blue/Green deployment, so it cannot " + what + "; nothing was changed");
        } catch (DbInstanceNotFoundException e) {
            throw new InvalidRequest("field 'rdsInstance': RDS has no such DB instance, so it cannot " + what + "; nothing was changed");
        } catch (SourceDatabaseNotSupportedException e) {
            throw new InvalidRequest("RDS refuses to " + what + ": the instance's master password is managed by RDS in Secrets Manager,"
                    + " which Blue/Green deployments do not support; give the instance a master password of its own (terraform:"
                    + " master_password_managed_by_rds = false) and run upgrade-readiness again; nothing was changed");
        } catch (BlueGreenDeploymentAlreadyExistsException e) {
            throw new InvalidRequest("RDS refuses to " + what + ": a Blue/Green deployment of that name exists already (one"
                    + " upgrade per release); nothing was changed");
        } catch (InvalidBlueGreenDeploymentStateException e) {
            throw new InvalidRequest("RDS refuses to " + what + " in its current state: " + Echo.message(e.awsErrorDetails() == null
                    ? e.getMessage() : e.awsErrorDetails().errorMessage()) + "; nothing was changed");
        } catch (RdsException e) {
            if (e.statusCode() >= 500 || e.isThrottlingException()) {
                throw new DatabaseUnavailable("RDS could not " + what + " now; nothing was changed, try again", e);
            }
            throw new InvalidRequest("RDS refused to " + what + " (" + (e.awsErrorDetails() == null ? e.statusCode()
                    : e.awsErrorDetails().errorCode()) + ": " + Echo.message(e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorMessage()) + "); the function's role needs " + actions + "; nothing was changed");
        } catch (SdkClientException e) {
            throw new DatabaseUnavailable("cannot reach RDS to " + what + ": " + Echo.value(e.getMessage()), e);
        }
    }
}
