package io.sluice.upgrade;

import java.util.Optional;

/** What RDS says of an instance that its database cannot: how its master password is kept. */
public interface RdsInstances {

    /**
     * @param identifier          the instance
     * @param engineVersion       its engine version
     * @param masterUserSecretArn the secret in which RDS manages its master password; null when the instance has a
     *                            master password of its own
     */
    record Instance(String identifier, String engineVersion, String masterUserSecretArn) {
    }

    /** The instance, or empty when RDS has none of that name. */
    Optional<Instance> describe(String identifier);

    /** Where the functions do not call AWS: no instance can be read. */
    RdsInstances NONE = identifier -> {
        throw new io.sluice.error.InvalidRequest("field 'rdsInstance': this function does not call RDS (sluice.aws.enabled=false);"
                + " leave rdsInstance out to check the database alone");
    };
}
