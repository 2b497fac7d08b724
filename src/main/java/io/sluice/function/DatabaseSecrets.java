package io.sluice.function;

import io.sluice.error.InvalidRequest;
import io.sluice.event.DatabaseTarget;

/**
 * Where a {@code database: {"secretArn": ...}} event's URL and credentials come from. The function boundary resolves
 * the secret before the command runs, and once more, bypassing any cache, when the database rejects the credentials
 * (the secret was rotated since it was read).
 */
public interface DatabaseSecrets {

    /**
     * @param secretArn the secret's ARN or name
     * @param fresh     read it again, whatever a cache holds
     */
    DatabaseTarget resolve(String secretArn, boolean fresh);

    /** For runs without AWS access: a secret cannot be read. */
    DatabaseSecrets NONE = (secretArn, fresh) -> {
        throw new InvalidRequest("field 'database.secretArn': this function has no Secrets Manager access configured"
                + " (sluice.aws.*); give 'jdbcUrl', 'username' and 'password' instead");
    };
}
