package io.sluice.testing;

import java.time.Duration;
import java.util.Optional;

import io.sluice.config.SluiceConfig;

/** {@link SluiceConfig.Aws} for tests: an emulator's endpoint, no TLS to the embedded PostgreSQL, the shipped limits. */
public record AwsSettings(boolean enabled, Optional<String> endpoint, Optional<String> region, Duration secretCacheTtl, String databaseSslMode,
        Optional<String> databaseSslRootCert, long bundleMaxBytes, int bundleMaxEntries, long bundleMaxUnpackedBytes, int bundlesKept,
        Optional<String> notificationTopicArn, String approvalsTable) implements SluiceConfig.Aws {

    public static AwsSettings emulator(String endpoint) {
        return new AwsSettings(true, Optional.of(endpoint), Optional.of("us-east-1"), Duration.ofMinutes(5), "disable", Optional.empty(),
                52_428_800, 10_000, 209_715_200, 3, Optional.empty(), "sluice-approvals");
    }

    public AwsSettings withBundleLimits(long maxBytes, int maxEntries) {
        return new AwsSettings(enabled, endpoint, region, secretCacheTtl, databaseSslMode, databaseSslRootCert, maxBytes, maxEntries,
                bundleMaxUnpackedBytes, bundlesKept, notificationTopicArn, approvalsTable);
    }

    public AwsSettings withNotificationTopic(String topicArn) {
        return new AwsSettings(enabled, endpoint, region, secretCacheTtl, databaseSslMode, databaseSslRootCert, bundleMaxBytes,
                bundleMaxEntries, bundleMaxUnpackedBytes, bundlesKept, Optional.of(topicArn), approvalsTable);
    }
}
