package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a batched data migration stands.
 *
 * @param version              the script's version
 * @param script               the script
 * @param table                the table it walks
 * @param rowsDone             rows its statement changed so far
 * @param batches              batches committed so far
 * @param lastKey              every key up to this one is done (null before the first batch)
 * @param upperKey             the highest key when it started: where it ends (rows added later are the application's)
 * @param batchSize            keys per batch now, adapted to the target batch duration
 * @param percentDone          share of the key range done
 * @param busyMs               time spent in batches, over every invocation
 * @param estimatedRemainingMs batch time still to go at the pace so far (pauses not counted); null before the first batch
 * @param invocations          how many invocations have worked on it
 * @param finished             whether the last batch committed, and with it the version's history row
 */
@RegisterForReflection
public record BackfillProgress(
        String version,
        String script,
        String table,
        long rowsDone,
        int batches,
        Long lastKey,
        Long upperKey,
        int batchSize,
        double percentDone,
        long busyMs,
        Long estimatedRemainingMs,
        int invocations,
        boolean finished) {
}
