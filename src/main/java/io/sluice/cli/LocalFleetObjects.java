package io.sluice.cli;

import java.util.List;

import io.sluice.error.InvalidRequest;
import io.sluice.fleet.FleetObjects;
import io.sluice.workflow.LocalObjects;
import io.sluice.workflow.StatesError;

/** The fleet function's objects in the local runner's folder for S3: the same files its Distributed Maps read and write. */
public final class LocalFleetObjects implements FleetObjects {

    private final LocalObjects objects;

    public LocalFleetObjects(LocalObjects objects) {
        this.objects = objects;
    }

    @Override
    public String read(String bucket, String key, long maxBytes) {
        try {
            return objects.read(bucket, key, maxBytes);
        } catch (StatesError e) {
            throw new InvalidRequest(e.cause());
        }
    }

    @Override
    public void write(String bucket, String key, String body) {
        try {
            objects.write(bucket, key, body);
        } catch (StatesError e) {
            throw new InvalidRequest(e.cause());
        }
    }

    @Override
    public List<String> keys(String bucket, String prefix, int max) {
        try {
            return objects.keys(bucket, prefix, max);
        } catch (StatesError e) {
            throw new InvalidRequest(e.cause());
        }
    }
}
