package io.sluice.aws;

import java.net.URI;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

import io.sluice.config.SluiceConfig;

/**
 * Builds the AWS SDK clients the adapters use: the URL-connection HTTP client (no Netty or Apache client in the
 * function), the region from configuration or the Lambda environment, and the endpoint override an emulator needs.
 * Credentials come from the SDK's default chain (the Lambda role's, in Lambda).
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static SecretsManagerClient secretsManager(SluiceConfig.Aws config) {
        return build(SecretsManagerClient.builder(), config);
    }

    /** S3 with path-style addressing when an endpoint is configured (emulators serve buckets under one host). */
    public static S3Client s3(SluiceConfig.Aws config) {
        return build(S3Client.builder().forcePathStyle(config.endpoint().isPresent()), config);
    }

    public static SnsClient sns(SluiceConfig.Aws config) {
        return build(SnsClient.builder(), config);
    }

    public static DynamoDbClient dynamoDb(SluiceConfig.Aws config) {
        return build(DynamoDbClient.builder(), config);
    }

    public static SfnClient stepFunctions(SluiceConfig.Aws config) {
        return build(SfnClient.builder(), config);
    }

    public static RdsClient rds(SluiceConfig.Aws config) {
        return build(RdsClient.builder(), config);
    }

    public static CloudWatchClient cloudWatch(SluiceConfig.Aws config) {
        return build(CloudWatchClient.builder(), config);
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, SluiceConfig.Aws config) {
        builder.httpClient(UrlConnectionHttpClient.create());
        builder.region(region(config));
        config.endpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
        return builder.build();
    }

    static Region region(SluiceConfig.Aws config) {
        String region = config.region().orElseGet(() -> {
            String fromLambda = System.getenv("AWS_REGION");
            return fromLambda == null || fromLambda.isBlank() ? "us-east-1" : fromLambda;
        });
        return Region.of(region);
    }
}
