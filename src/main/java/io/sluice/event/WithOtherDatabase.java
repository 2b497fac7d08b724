package io.sluice.event;

/**
 * A request that compares its database with another ({@code other}): named, checked against the deployment's allowed
 * secrets and resolved as {@code database} is.
 */
public interface WithOtherDatabase extends Request {

    DatabaseTarget other();

    /** The same request with the other database resolved (a secret read). */
    WithOtherDatabase withOther(DatabaseTarget replacement);
}
