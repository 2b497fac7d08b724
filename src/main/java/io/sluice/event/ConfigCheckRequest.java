package io.sluice.event;

import java.util.List;
import java.util.regex.Pattern;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * {@code validate} in mode {@code config}: the database's parameters against rules.
 *
 * @param requiredExtensions extensions that must be installed
 * @param instanceMemoryMb   the server's memory, for the rules that are ratios of it
 */
@RegisterForReflection
public record ConfigCheckRequest(
        DeploymentId deploymentId,
        DatabaseTarget database,
        MigrationSource migrations,
        SchemaName schema,
        List<String> requiredExtensions,
        Integer instanceMemoryMb,
        Boolean failOnInvalid) implements ValidateRequest {

    private static final Pattern EXTENSION = Pattern.compile("[a-z_][a-z0-9_\\-]{0,62}");

    public ConfigCheckRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        database = DatabaseTarget.required(database);
        migrations = migrations == null ? MigrationSource.DEFAULT : migrations;
        schema = schema == null ? SchemaName.PUBLIC : schema;
        if (requiredExtensions != null) {
            for (String extension : requiredExtensions) {
                if (extension == null || !EXTENSION.matcher(extension).matches()) {
                    throw new InvalidRequest("field 'requiredExtensions' holds '" + Echo.value(extension)
                            + "', which is not an extension name");
                }
            }
        }
        requiredExtensions = requiredExtensions == null ? List.of() : List.copyOf(requiredExtensions);
        if (instanceMemoryMb != null && (instanceMemoryMb < 256 || instanceMemoryMb > 16_777_216)) {
            throw new InvalidRequest("field 'instanceMemoryMb' must be between 256 and 16777216 (MiB)");
        }
        failOnInvalid = Boolean.TRUE.equals(failOnInvalid);
    }

    @Override
    public ValidateMode mode() {
        return ValidateMode.CONFIG;
    }

    @Override
    public boolean isFailOnInvalid() {
        return failOnInvalid;
    }

    @Override
    public ConfigCheckRequest withDatabase(DatabaseTarget replacement) {
        return new ConfigCheckRequest(deploymentId, replacement, migrations, schema, requiredExtensions, instanceMemoryMb, failOnInvalid);
    }

    @Override
    public ConfigCheckRequest withMigrations(MigrationSource replacement) {
        return new ConfigCheckRequest(deploymentId, database, replacement, schema, requiredExtensions, instanceMemoryMb, failOnInvalid);
    }
}
