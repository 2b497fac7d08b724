package io.sluice.testing;

import io.sluice.config.SluiceConfig;

/** {@link SluiceConfig.Settings} chosen by a test; {@link #defaults()} are the shipped ones. */
public record SettingLimits(int maxConnections, double sharedBuffersMinRatio, double sharedBuffersMaxRatio, int workMemMaxMb,
        int maintenanceWorkMemMinMb, int maxWalSizeMinMb) implements SluiceConfig.Settings {

    public static SettingLimits defaults() {
        return new SettingLimits(250, 0.15, 0.40, 256, 64, 1024);
    }
}
