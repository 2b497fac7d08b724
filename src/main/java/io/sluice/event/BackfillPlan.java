package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a batched script will do, as the plan shows it.
 *
 * @param table            the table it walks
 * @param key              the key column
 * @param batchSize        keys per batch at the start
 * @param estimatedRows    rows of the table now ({@code pg_class.reltuples}, or the key range when never analyzed);
 *                         null when a pending script creates the table
 * @param estimatedBatches batches at the starting size; null with {@code estimatedRows}
 * @param rowsDone         rows done by invocations before this one (0 when it has not started)
 */
@RegisterForReflection
public record BackfillPlan(String table, String key, int batchSize, Long estimatedRows, Long estimatedBatches, long rowsDone) {
}
