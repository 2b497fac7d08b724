package io.sluice.upgrade;

import java.time.Instant;
import java.util.Optional;

/**
 * What Secrets Manager says of the master secret's rotation. Logical replication carries rows, never a role's
 * password: a rotation between creating green and the switchover leaves green with the old password, and after the
 * switchover the secret and the database disagree, so every function fails to log in.
 */
public interface SecretRotations {

    /**
     * @param rotationEnabled whether a rotation schedule is on
     * @param lastChanged     when the secret's value last changed (a rotation or a new version); null if never
     * @param nextRotation    when the schedule rotates it next; null without a schedule
     */
    record Rotation(boolean rotationEnabled, Instant lastChanged, Instant nextRotation) {
    }

    /** The secret's rotation, or empty where none can be read (no secret configured, no AWS). */
    Optional<Rotation> describe(String secretArn);

    /** Where the functions do not call AWS: nothing is known of a rotation. */
    SecretRotations NONE = secretArn -> Optional.empty();
}
