package io.sluice.aws;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.sluice.config.SluiceConfig;
import io.sluice.function.DatabaseSecrets;
import io.sluice.function.MigrationBundles;

/** The AWS adapters as the function boundary gets them: real ones when {@code sluice.aws.enabled}, refusing ones when not. */
@ApplicationScoped
public class AwsAdapters {

    @Produces
    @ApplicationScoped
    DatabaseSecrets databaseSecrets(SluiceConfig config) {
        return config.aws().enabled() ? new AwsDatabaseSecrets(config) : DatabaseSecrets.NONE;
    }

    @Produces
    @ApplicationScoped
    MigrationBundles migrationBundles(SluiceConfig config) {
        return config.aws().enabled() ? new S3Bundles(config) : MigrationBundles.NONE;
    }
}
