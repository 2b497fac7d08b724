package io.sluice.aws;

import java.util.Optional;
import java.util.function.Supplier;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;

import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.upgrade.RdsInstances;

/** An RDS instance as DescribeDBInstances gives it: its engine version and the secret RDS manages its master password in. */
public class RdsInstanceFacts implements RdsInstances {

    private final Supplier<RdsClient> client;

    public RdsInstanceFacts(Supplier<RdsClient> clients) {
        this.client = new Lazy<>(clients);
    }

    @Override
    public Optional<Instance> describe(String identifier) {
        try {
            DBInstance instance = client.get().describeDBInstances(request -> request.dbInstanceIdentifier(identifier)).dbInstances().get(0);
            return Optional.of(new Instance(instance.dbInstanceIdentifier(), instance.engineVersion(),
                    instance.masterUserSecret() == null ? null : instance.masterUserSecret().secretArn()));
        } catch (DbInstanceNotFoundException e) {
            return Optional.empty();
        } catch (RdsException e) {
            if (e.statusCode() >= 500 || e.isThrottlingException()) {
                throw new DatabaseUnavailable("RDS could not describe " + Echo.value(identifier) + " now; try again", e);
            }
            throw new InvalidRequest("RDS refused to describe " + Echo.value(identifier) + " (" + (e.awsErrorDetails() == null
                    ? e.statusCode() : e.awsErrorDetails().errorCode()) + "); the function's role needs rds:DescribeDBInstances");
        } catch (SdkClientException e) {
            throw new DatabaseUnavailable("cannot reach RDS to describe " + Echo.value(identifier) + ": " + Echo.value(e.getMessage()), e);
        }
    }
}
