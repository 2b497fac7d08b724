package io.sluice.function;

import java.util.Optional;

/**
 * Where a result too large to hand back whole is kept whole (an S3 prefix, deployed; a folder, locally). The caller
 * gets the result cut to {@link BoundedResults#MAX_RESULT_BYTES} with {@code fullReport} saying where this put it.
 */
public interface FullReports {

    /**
     * Keeps {@code report}, the whole result as JSON.
     *
     * @return where a person reads it (an {@code s3://} URI, a path); empty when it could not be kept, which the
     *         implementation logs
     */
    Optional<String> keep(String function, String deploymentId, byte[] report);

    /** Nowhere configured: a cut result says the full one was not kept. */
    FullReports NONE = (function, deploymentId, report) -> Optional.empty();
}
