package io.sluice.testing;

import java.time.Duration;
import java.util.Optional;

import io.sluice.config.SluiceConfig;

/** {@link SluiceConfig.Aws} for tests: an emulator's endpoint, no TLS to the embedded PostgreSQL, the shipped limits. */
public record AwsSettings(boolean enabled, Optional<String> endpoint, Optional<String> region, Duration secretCacheTtl,
        Optional<String> databaseHost, Optional<Integer> databasePort, Optional<String> databaseName, String databaseSslMode,
        Optional<String> databaseSslRootCert, long bundleMaxBytes, int bundleMaxEntries, long bundleMaxUnpackedBytes, int bundlesKept,
        Optional<String> notificationTopicArn, String approvalsTable, Optional<String> reportsBucket, Optional<String> pipelineArn)
        implements SluiceConfig.Aws {

    public static AwsSettings emulator(String endpoint) {
        return new AwsSettings(true, Optional.of(endpoint), Optional.of("us-east-1"), Duration.ofMinutes(5), Optional.empty(),
                Optional.empty(), Optional.empty(), "disable", Optional.empty(), 52_428_800, 10_000, 209_715_200, 3, Optional.empty(),
                "sluice-approvals", Optional.empty(), Optional.empty());
    }

    public AwsSettings withBundleLimits(long maxBytes, int maxEntries) {
        return new AwsSettings(enabled, endpoint, region, secretCacheTtl, databaseHost, databasePort, databaseName, databaseSslMode,
                databaseSslRootCert, maxBytes, maxEntries, bundleMaxUnpackedBytes, bundlesKept, notificationTopicArn, approvalsTable,
                reportsBucket, pipelineArn);
    }

    public AwsSettings withNotificationTopic(String topicArn) {
        return new AwsSettings(enabled, endpoint, region, secretCacheTtl, databaseHost, databasePort, databaseName, databaseSslMode,
                databaseSslRootCert, bundleMaxBytes, bundleMaxEntries, bundleMaxUnpackedBytes, bundlesKept, Optional.of(topicArn),
                approvalsTable, reportsBucket, pipelineArn);
    }

    /** Without a fleet state machine, as a deployment whose Terraform predates fleets. */
    @Override
    public Optional<String> fleetArn() {
        return Optional.empty();
    }

    /** No instance to upgrade, as a deployment whose Terraform predates engine upgrades. */
    @Override
    public Optional<String> rdsInstance() {
        return Optional.empty();
    }

    @Override
    public Optional<String> upgradeArn() {
        return Optional.empty();
    }

    /** The database of a secret that holds only username and password, as the function's configuration gives it. */
    public AwsSettings withDatabase(String host, int port, String name) {
        return new AwsSettings(enabled, endpoint, region, secretCacheTtl, Optional.of(host), Optional.of(port), Optional.of(name),
                databaseSslMode, databaseSslRootCert, bundleMaxBytes, bundleMaxEntries, bundleMaxUnpackedBytes, bundlesKept,
                notificationTopicArn, approvalsTable, reportsBucket, pipelineArn);
    }
}
