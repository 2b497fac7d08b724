package io.sluice.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.sluice.upgrade.BlueGreen;
import io.sluice.upgrade.BlueGreenDeployments;

/**
 * Blue/Green deployments made in RDS (an emulator's, through the real adapter) and mirrored on a {@link BlueGreenPair}
 * for the databases RDS would run: RDS names the deployment and its instances and says where it stands; the pair holds
 * the data, so green's endpoint is the pair's, and green is AVAILABLE once both say so. A switchover switches the pair
 * first (the data moves), then RDS (the names move); a delete deletes both.
 */
public final class MirroredBlueGreen implements BlueGreenDeployments {

    private final BlueGreenDeployments rds;
    private final BlueGreenPair pair;
    private final Map<String, String> pairIds = new ConcurrentHashMap<>();

    public MirroredBlueGreen(BlueGreenDeployments rds, BlueGreenPair pair) {
        this.rds = rds;
        this.pair = pair;
    }

    @Override
    public BlueGreen create(String instance, String name, String targetEngineVersion, String targetParameterGroup, String deploymentId) {
        BlueGreen created = rds.create(instance, name, targetEngineVersion, targetParameterGroup, deploymentId);
        pairIds.put(created.id(), pair.create(instance, name, targetEngineVersion, targetParameterGroup, deploymentId).id());
        return mirrored(created, pair.describe(pairIds.get(created.id())));
    }

    @Override
    public BlueGreen describe(String id) {
        return mirrored(rds.describe(id), pair.describe(pairId(id)));
    }

    @Override
    public BlueGreen switchover(String id, int timeoutSeconds) {
        BlueGreen data = pair.switchover(pairId(id), timeoutSeconds);
        return mirrored(rds.switchover(id, timeoutSeconds), data);
    }

    @Override
    public BlueGreen delete(String id, boolean deleteGreen) {
        BlueGreen data = pair.delete(pairId(id), deleteGreen);
        return mirrored(rds.delete(id, deleteGreen), data);
    }

    private String pairId(String id) {
        String pairId = pairIds.get(id);
        return pairId != null ? pairId : id;
    }

    private static BlueGreen mirrored(BlueGreen rds, BlueGreen data) {
        String status = rds.available() && !data.available() ? data.status() : rds.status();
        return new BlueGreen(rds.id(), rds.name(), status, rds.blueInstance(), rds.greenInstance(), data.greenEndpoint(), rds.statusDetails(),
                rds.createTime());
    }
}
