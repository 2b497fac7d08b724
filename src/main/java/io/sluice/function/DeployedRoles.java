package io.sluice.function;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.sluice.config.SluiceConfig;
import io.sluice.event.DatabaseTarget;
import io.sluice.roles.OwnRole;
import io.sluice.roles.OwnRoles;

/**
 * The deployment's own roles: their passwords from the secrets Terraform made ({@code sluice.probe.secret-arn},
 * {@code sluice.scratch.role-secret-arn}), read when first needed and again after a rotation; without a secret (a local
 * run), this process's generated ones. Every function environment of a deployment then sets and uses the same password.
 */
@ApplicationScoped
public class DeployedRoles implements OwnRoles {

    private final SluiceConfig config;
    private final DatabaseSecrets secrets;

    @Inject
    public DeployedRoles(SluiceConfig config, DatabaseSecrets secrets) {
        this.config = config;
        this.secrets = secrets;
    }

    @Override
    public OwnRole probe() {
        return role(config.probe().secretArn(), config.probe().role(), LOCAL.probe());
    }

    @Override
    public Optional<OwnRole> scratch() {
        return Optional.of(role(config.scratch().roleSecretArn(), config.scratch().role(), LOCAL.scratch().orElseThrow()));
    }

    private OwnRole role(Optional<String> secretArn, String name, OwnRole generated) {
        if (secretArn.isEmpty()) {
            return new OwnRole(name, generated.password());
        }
        DatabaseTarget secret = secrets.resolve(secretArn.get(), false);
        return new OwnRole(secret.username() != null ? secret.username() : name, secret.password());
    }
}
