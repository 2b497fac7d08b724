package io.sluice.fleet;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A fleet cut into waves: the result of the fleet function's {@code waves} mode, what the fleet state machine loops over.
 * Each wave's databases are a JSON array in {@code s3://<bucket>/<wave.key>}, read by the wave's Distributed Map, whose
 * results go under {@code <wave.resultsPrefix>}.
 *
 * @param execution    the fleet execution
 * @param targets      how many databases the fleet has
 * @param bucket       where the waves and results are
 * @param prefix       the fleet's folder in the bucket ({@code fleet/<execution name>/})
 * @param canaryTarget the first database of the canary wave: the fleet's preflight runs on it
 * @param count        how many waves
 * @param waves        the waves, in order
 * @param maxConcurrency how many databases of a wave release at once (the waves' MaxConcurrencyPath): the fleet's
 *                       {@code maxConcurrency}, within what the functions' reserved concurrency runs
 * @param concurrencyNote why {@code maxConcurrency} is less than the fleet asked for; null when it is not
 */
@RegisterForReflection
public record WavePlan(String execution, int targets, String bucket, String prefix, JsonNode canaryTarget, int count, List<Wave> waves,
        int maxConcurrency, String concurrencyNote) {

    public WavePlan {
        waves = List.copyOf(waves);
    }

    /**
     * One wave.
     *
     * @param wave                       its number, from 1
     * @param label                      {@code canary}, the share of the fleet it was cut to ({@code 5%}), or {@code rest}
     * @param count                      its databases
     * @param key                        the object holding them
     * @param resultsPrefix              where its Distributed Map writes its results
     * @param toleratedFailurePercentage the failures the wave tolerates before the fleet stops (the canary wave: none)
     */
    @RegisterForReflection
    public record Wave(int wave, String label, int count, String key, String resultsPrefix, double toleratedFailurePercentage) {
    }
}
