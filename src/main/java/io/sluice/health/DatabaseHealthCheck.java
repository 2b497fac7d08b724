package io.sluice.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.sluice.command.CanaryCommand;
import io.sluice.config.SluiceConfig;
import io.sluice.error.SluiceException;
import io.sluice.event.CanaryCheckRequest;
import io.sluice.event.CanaryReport;
import io.sluice.event.CanarySignal;
import io.sluice.event.CanaryThresholds;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.DeploymentId;
import io.sluice.event.SchemaName;

/**
 * Ready when the configured database ({@code sluice.health.*}) passes the canary's checks that need no window and no
 * probes: connections in use, lock waits, the oldest transaction, replication lag, INVALID indexes, a consistent
 * migration history; with the first canary stage's limits. The same check classes judge a canary stage, so the two
 * never disagree about what healthy means. Each signal is in the response's data. Without a configured database the
 * check reports UP with {@code database: not configured}.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck {

    private static final String NAME = "database";

    private final CanaryCommand canary;
    private final SluiceConfig.Health config;

    @Inject
    public DatabaseHealthCheck(CanaryCommand canary, SluiceConfig config) {
        this.canary = canary;
        this.config = config.health();
    }

    @Override
    public HealthCheckResponse call() {
        if (config.jdbcUrl().isEmpty()) {
            return HealthCheckResponse.named(NAME).up().withData("database", "not configured").build();
        }
        try {
            DatabaseTarget target = new DatabaseTarget(config.jdbcUrl().get(), config.username().orElse(null), config.password().orElse(null));
            CanaryReport report = canary.run(new CanaryCheckRequest(DeploymentId.of("health-check"), target, SchemaName.of(config.schema()),
                    1, null, null, CanaryThresholds.NONE, null, null));
            boolean failed = report.signals().stream().anyMatch(signal -> signal.status() == CanarySignal.Status.FAILED);
            HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(!failed);
            for (CanarySignal signal : report.signals()) {
                if (signal.status() != CanarySignal.Status.SKIPPED) {
                    response.withData(signal.check(), signal.status() + ": " + signal.message());
                }
            }
            return response.build();
        } catch (SluiceException e) {
            return HealthCheckResponse.named(NAME).down().withData("error", e.forCaller().getMessage()).build();
        }
    }
}
