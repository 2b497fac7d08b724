package io.sluice.event;

import java.util.List;
import java.util.regex.Pattern;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;

/**
 * The {@code validate} event.
 *
 * @param deploymentId       correlation id; generated when absent
 * @param mode               what to check (required)
 * @param database           the database to check (required)
 * @param migrations         where the scripts are; {@code classpath:db/migration} when absent
 * @param schema             the schema holding the Flyway history; {@code public} when absent
 * @param undoPolicy         preflight: how a pending script without undo script counts; configuration default
 * @param proveReversible    preflight: apply, undo and re-apply every pending script in a scratch database
 * @param contract           post-migrate: a contract file of expected tables, columns and types
 * @param failOnDrift        drift: raise {@code DriftDetected} instead of returning {@code drift: true}
 * @param requiredExtensions config: extensions that must be installed
 * @param instanceMemoryMb   config: the server's memory, for the rules that are ratios of it
 * @param failOnInvalid      raise {@code ValidationFailed} instead of returning {@code valid: false}
 * @param probeLocks         preflight: measure each pending statement's locks and rewrites in a scratch database
 */
@RegisterForReflection
public record ValidateRequest(
        DeploymentId deploymentId,
        ValidateMode mode,
        DatabaseTarget database,
        MigrationSource migrations,
        SchemaName schema,
        UndoPolicy undoPolicy,
        Boolean proveReversible,
        FileLocation contract,
        Boolean failOnDrift,
        List<String> requiredExtensions,
        Integer instanceMemoryMb,
        Boolean failOnInvalid,
        Boolean probeLocks) implements Request {

    private static final Pattern EXTENSION = Pattern.compile("[a-z_][a-z0-9_\\-]{0,62}");

    public ValidateRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        if (mode == null) {
            throw new InvalidRequest("field 'mode' is required: preflight, post-migrate, drift or config");
        }
        database = DatabaseTarget.required(database);
        onlyFor(mode, ValidateMode.PREFLIGHT, "undoPolicy", undoPolicy);
        onlyFor(mode, ValidateMode.PREFLIGHT, "proveReversible", proveReversible);
        onlyFor(mode, ValidateMode.PREFLIGHT, "probeLocks", probeLocks);
        onlyFor(mode, ValidateMode.POST_MIGRATE, "contract", contract);
        onlyFor(mode, ValidateMode.DRIFT, "failOnDrift", failOnDrift);
        onlyFor(mode, ValidateMode.CONFIG, "requiredExtensions", requiredExtensions);
        onlyFor(mode, ValidateMode.CONFIG, "instanceMemoryMb", instanceMemoryMb);
        if (requiredExtensions != null) {
            for (String extension : requiredExtensions) {
                if (extension == null || !EXTENSION.matcher(extension).matches()) {
                    throw new InvalidRequest("field 'requiredExtensions' holds '" + extension + "', which is not an extension name");
                }
            }
            requiredExtensions = List.copyOf(requiredExtensions);
        } else {
            requiredExtensions = List.of();
        }
        if (instanceMemoryMb != null && (instanceMemoryMb < 256 || instanceMemoryMb > 16_777_216)) {
            throw new InvalidRequest("field 'instanceMemoryMb' must be between 256 and 16777216 (MiB)");
        }
        migrations = migrations == null ? MigrationSource.DEFAULT : migrations;
        schema = schema == null ? SchemaName.PUBLIC : schema;
        proveReversible = Boolean.TRUE.equals(proveReversible);
        failOnDrift = Boolean.TRUE.equals(failOnDrift);
        failOnInvalid = Boolean.TRUE.equals(failOnInvalid);
        probeLocks = Boolean.TRUE.equals(probeLocks);
    }

    private static void onlyFor(ValidateMode mode, ValidateMode owner, String field, Object value) {
        if (value != null && mode != owner) {
            throw new InvalidRequest("field '" + field + "' applies to mode " + owner.json() + " only, not " + mode.json());
        }
    }

    public boolean isFailOnInvalid() {
        return failOnInvalid;
    }

    public boolean isProveReversible() {
        return proveReversible;
    }

    public boolean isProbeLocks() {
        return probeLocks;
    }

    public boolean isFailOnDrift() {
        return failOnDrift;
    }
}
