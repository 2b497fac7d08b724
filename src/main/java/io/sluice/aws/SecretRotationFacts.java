package io.sluice.aws;

import java.util.Optional;
import java.util.function.Supplier;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.upgrade.SecretRotations;

/** A secret's rotation as DescribeSecret gives it (RotationEnabled, LastChangedDate, NextRotationDate). */
public class SecretRotationFacts implements SecretRotations {

    private final Supplier<SecretsManagerClient> client;

    public SecretRotationFacts(Supplier<SecretsManagerClient> clients) {
        this.client = new Lazy<>(clients);
    }

    @Override
    public Optional<Rotation> describe(String secretArn) {
        DescribeSecretResponse secret;
        try {
            secret = client.get().describeSecret(request -> request.secretId(secretArn));
        } catch (ResourceNotFoundException e) {
            throw new InvalidRequest("Secrets Manager has no secret " + Echo.value(secretArn) + " (sluice.aws.database-secret-arn)");
        } catch (SecretsManagerException e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (e.statusCode() >= 500 || "ThrottlingException".equals(code)) {
                throw new DatabaseUnavailable("Secrets Manager could not describe secret " + Echo.value(secretArn) + " now (" + code
                        + "); try again", e);
            }
            throw new InvalidRequest("Secrets Manager refused to describe secret " + Echo.value(secretArn) + " (" + code + "): the"
                    + " function's role needs secretsmanager:DescribeSecret on it");
        } catch (SdkClientException e) {
            throw new DatabaseUnavailable("cannot reach Secrets Manager to describe secret " + Echo.value(secretArn) + ": "
                    + Echo.value(e.getMessage()), e);
        }
        return Optional.of(new Rotation(Boolean.TRUE.equals(secret.rotationEnabled()), secret.lastChangedDate(),
                secret.nextRotationDate()));
    }
}
