package io.sluice.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code validate} event: one record per mode, chosen by its {@code mode} field, each with only the fields that
 * mode reads (a field of another mode is an unknown field). Common to all: the correlation id, the database
 * (required), where the scripts are, the managed schema, and {@code failOnInvalid} (raise {@code ValidationFailed}
 * instead of returning {@code valid: false}).
 */
@RegisterForReflection
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "mode")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PreflightRequest.class, name = "preflight"),
        @JsonSubTypes.Type(value = PostMigrateRequest.class, name = "post-migrate"),
        @JsonSubTypes.Type(value = DriftRequest.class, name = "drift"),
        @JsonSubTypes.Type(value = ConfigCheckRequest.class, name = "config"),
        @JsonSubTypes.Type(value = UpgradeReadinessRequest.class, name = "upgrade-readiness"),
        @JsonSubTypes.Type(value = ExportRequest.class, name = "export"),
        @JsonSubTypes.Type(value = ParityRequest.class, name = "parity")})
public sealed interface ValidateRequest extends Request, WithMigrations
        permits PreflightRequest, PostMigrateRequest, DriftRequest, ConfigCheckRequest, UpgradeReadinessRequest, ExportRequest,
        ParityRequest {

    ValidateMode mode();

    DatabaseTarget database();

    MigrationSource migrations();

    SchemaName schema();

    boolean isFailOnInvalid();
}
