package io.sluice.function;

import io.sluice.error.InvalidRequest;
import io.sluice.event.MigrationSource;

/**
 * Where a {@code migrations: {"s3": ..., "sha256": ...}} event's scripts come from: the function boundary has the
 * bundle fetched, checked against its SHA-256 and unpacked before the command runs, and hands the command its folder.
 */
public interface MigrationBundles {

    /** The unpacked bundle's folder, as a {@code filesystem:} location under {@link io.sluice.files.FileRoots#BUNDLES}. */
    MigrationSource fetch(MigrationSource bundle);

    /** For runs without AWS access: a bundle cannot be fetched. */
    MigrationBundles NONE = bundle -> {
        throw new InvalidRequest("field 'migrations': " + bundle.location() + " is an S3 bundle and this function has no S3 access"
                + " configured (sluice.aws.*); give a classpath: or filesystem: location instead");
    };
}
