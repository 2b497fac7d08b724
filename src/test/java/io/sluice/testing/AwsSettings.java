package io.sluice.testing;

import java.time.Duration;
import java.util.Optional;

import io.sluice.config.SluiceConfig;

/** {@link SluiceConfig.Aws} for tests: an emulator's endpoint, no TLS to the embedded PostgreSQL, the shipped limits. */
public record AwsSettings(boolean enabled, Optional<String> endpoint, Optional<String> region, Duration secretCacheTtl,
        Optional<String> databaseHost, Optional<Integer> databasePort, Optional<String> databaseName, String databaseSslMode,
        Optional<String> databaseSslRootCert, long bundleMaxBytes, int bundleMaxEntries, long bundleMaxUnpackedBytes, int bundlesKept,
        Optional<String> notificationTopicArn, String approvalsTable, Optional<String> reportsBucket, Optional<String> pipelineArn,
        Optional<String> databaseSecretArn) implements SluiceConfig.Aws {

    public static AwsSettings emulator(String endpoint) {
        return new AwsSettings(true, Optional.of(endpoint), Optional.of("us-east-1"), Duration.ofMinutes(5), Optional.empty(),
                Optional.empty(), Optional.empty(), "disable", Optional.empty(), 52_428_800, 10_000, 209_715_200, 3, Optional.empty(),
                "sluice-approvals", Optional.empty(), Optional.empty(), Optional.empty());
    }

    public AwsSettings withBundleLimits(long maxBytes, int maxEntries) {
        return new AwsSettings(enabled, endpoint, region, secretCacheTtl, databaseHost, databasePort, databaseName, databaseSslMode,
                databaseSslRootCert, maxBytes, maxEntries, bundleMaxUnpackedBytes, bundlesKept, notificationTopicArn, approvalsTable,
                reportsBucket, pipelineArn, databaseSecretArn);
    }

    public AwsSettings withNotificationTopic(String topicArn) {
        return new AwsSettings(enabled, endpoint, region, secretCacheTtl, databaseHost, databasePort, databaseName, databaseSslMode,
                databaseSslRootCert, bundleMaxBytes, bundleMaxEntries, bundleMaxUnpackedBytes, bundlesKept, Optional.of(topicArn),
                approvalsTable, reportsBucket, pipelineArn, databaseSecretArn);
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

    /**
     * The deployment's own database: its secret ({@code secretArn}, which may hold only username and password) and the
     * host, port and database the function's configuration gives it.
     */
    public AwsSettings withDatabase(String secretArn, String host, int port, String name) {
        return new AwsSettings(enabled, endpoint, region, secretCacheTtl, Optional.of(host), Optional.of(port), Optional.of(name),
                databaseSslMode, databaseSslRootCert, bundleMaxBytes, bundleMaxEntries, bundleMaxUnpackedBytes, bundlesKept,
                notificationTopicArn, approvalsTable, reportsBucket, pipelineArn, Optional.of(secretArn));
    }

    @Override
    public Optional<Integer> fleetMaxConcurrency() {
        return Optional.empty();
    }

    @Override
    public Optional<String> databaseEngineVersion() {
        return Optional.empty();
    }

    @Override
    public Optional<String> upgradeTargetParameterGroup() {
        return Optional.empty();
    }

    @Override
    public Optional<String> upgradeTargetEngineVersion() {
        return Optional.empty();
    }

    /** No lists object: the lists are the configuration's, as before Terraform moved them out of the environment. */
    @Override
    public Optional<String> listsObject() {
        return Optional.empty();
    }

    @Override
    public Optional<String> listsSha256() {
        return Optional.empty();
    }

    @Override
    public java.util.List<String> listsSecrets() {
        return java.util.List.of("databaseSecrets");
    }
}
