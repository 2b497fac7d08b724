package io.sluice.event;

/** An event that names its migration scripts: a bundle there is fetched before the command runs. */
public interface WithMigrations {

    MigrationSource migrations();

    /** This event with its scripts at {@code replacement} (a fetched bundle's folder). */
    Request withMigrations(MigrationSource replacement);
}
