package io.sluice.canary;

import java.sql.Connection;
import java.util.List;

import io.sluice.event.CanaryBaseline;
import io.sluice.event.CanaryCounters;
import io.sluice.event.CanaryThresholds;
import io.sluice.event.SchemaName;
import io.sluice.probe.ProbeSession;

/**
 * What every check reads from: a read-only connection (the live database's user: Sluice's own catalog and statistics
 * queries), the counters now and at the window's start (null on a first check), the limits of this stage, the
 * pre-release baseline, the probes and the session of the deployment's probe role they run in (null without probes).
 */
public record CanaryContext(Connection connection, SchemaName schema, CanaryCounters now, CanaryCounters since,
        CanaryThresholds limits, CanaryBaseline baseline, List<String> probes, int probeRuns, ProbeSession probeSession) {

    /** Whether a window is open: rates need counters from a previous check. */
    public boolean hasWindow() {
        return since != null;
    }
}
