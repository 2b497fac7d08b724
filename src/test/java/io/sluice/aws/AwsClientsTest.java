package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.sync.RequestBody;

import io.sluice.testing.AwsSettings;
import io.sluice.testing.MotoServer;

/**
 * The clients the deployed functions build, from configuration alone (endpoint, region; credentials from the SDK's
 * default chain, here its system properties), reaching moto: S3 addressed path-style, the others plain.
 */
class AwsClientsTest {

    @BeforeAll
    static void credentials() {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    @Test
    void everyClient_reachesTheConfiguredEndpoint() {
        AwsSettings settings = AwsSettings.emulator(MotoServer.endpoint());
        String bucket = "clients-" + UUID.randomUUID().toString().substring(0, 8);

        try (var s3 = AwsClients.s3(settings)) {
            s3.createBucket(request -> request.bucket(bucket));
            s3.putObject(request -> request.bucket(bucket).key("k"), RequestBody.fromString("v"));
            assertThat(s3.getObjectAsBytes(request -> request.bucket(bucket).key("k")).asUtf8String()).isEqualTo("v");
        }
        try (var secrets = AwsClients.secretsManager(settings); var sns = AwsClients.sns(settings); var dynamo = AwsClients.dynamoDb(settings);
                var sfn = AwsClients.stepFunctions(settings); var rds = AwsClients.rds(settings)) {
            assertThat(secrets.listSecrets().sdkHttpResponse().isSuccessful()).isTrue();
            assertThat(sns.listTopics().sdkHttpResponse().isSuccessful()).isTrue();
            assertThat(dynamo.listTables().sdkHttpResponse().isSuccessful()).isTrue();
            assertThat(sfn.listStateMachines(request -> { }).sdkHttpResponse().isSuccessful()).isTrue();
            assertThat(rds.describeDBInstances().sdkHttpResponse().isSuccessful()).isTrue();
        }
    }
}
