package io.sluice.fleet;

import java.util.List;

import io.sluice.error.InvalidRequest;

/**
 * Where a fleet's plan, waves and results are kept: S3 deployed, a folder locally. The fleet state machine's Distributed
 * Maps read their items from the wave objects and write their results beside them.
 */
public interface FleetObjects {

    /**
     * The object's text.
     *
     * @throws InvalidRequest when there is no such object, or it is over {@code maxBytes}
     */
    String read(String bucket, String key, long maxBytes);

    /** Writes (or replaces) the object. */
    void write(String bucket, String key, String body);

    /** The keys under {@code prefix}, in key order, at most {@code max}. */
    List<String> keys(String bucket, String prefix, int max);

    /** Without a place to keep them: a fleet cannot be planned. */
    FleetObjects NONE = new FleetObjects() {
        @Override
        public String read(String bucket, String key, long maxBytes) {
            throw new InvalidRequest("this function has no bucket for fleets configured (sluice.aws.reports-bucket)");
        }

        @Override
        public void write(String bucket, String key, String body) {
            read(bucket, key, 0);
        }

        @Override
        public List<String> keys(String bucket, String prefix, int max) {
            read(bucket, prefix, 0);
            return List.of();
        }
    };
}
