package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import io.sluice.error.DriftDetected;
import io.sluice.function.DatabaseSecrets;
import io.sluice.function.EventCodec;
import io.sluice.function.FullReports;
import io.sluice.function.FunctionBoundary;
import io.sluice.function.MigrationBundles;
import io.sluice.function.RollbackFunction;
import io.sluice.function.ValidateFunction;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.metrics.MetricsSink;
import io.sluice.testing.MotoServer;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * Notifications from the real handlers to moto's SNS, read back through an SQS subscription: drift found (with and
 * without failOnDrift) and a rollback performed, in the documented format; nothing for a clean drift check.
 */
class SnsNotificationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SqsClient sqs;
    private String queueUrl;
    private FunctionBoundary boundary;

    @BeforeEach
    void topicAndQueue() {
        String endpoint = MotoServer.endpoint();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        SnsClient sns = SnsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint)).credentialsProvider(credentials).build();
        sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint)).credentialsProvider(credentials).build();
        String name = "sluice-" + UUID.randomUUID().toString().substring(0, 8);
        String topicArn = sns.createTopic(request -> request.name(name)).topicArn();
        queueUrl = sqs.createQueue(request -> request.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(request -> request.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        boundary = new FunctionBoundary(new EventCodec(), new InvocationMetrics(MetricsSink.NONE), DatabaseSecrets.NONE,
                MigrationBundles.NONE, new SnsNotifications(topicArn, () -> sns), FullReports.NONE);
    }

    private static JsonNode invoke(RequestStreamHandler handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private List<JsonNode> received() throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        for (Message message : sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages()) {
            messages.add(JSON.readTree(message.body()));
        }
        return messages;
    }

    @Test
    void driftFound_andARollbackPerformed_areNotified_aCleanCheckIsNot() throws Exception {
        TestDatabase db = Sluice.migratedDatabase();
        ValidateFunction validate = new ValidateFunction(Sluice.validate(), boundary);
        RollbackFunction rollback = new RollbackFunction(Sluice.rollback(), boundary);
        String drift = "{\"deploymentId\": \"drift-check-1\", \"mode\": \"drift\", \"database\": " + db.targetJson() + "}";

        invoke(validate, drift);
        assertThat(received()).as("a clean drift check notifies nobody").isEmpty();

        db.sql("ALTER TABLE customers ADD COLUMN nickname text");
        invoke(validate, drift);
        assertThatThrownBy(() -> invoke(validate, "{\"deploymentId\": \"drift-check-2\", \"mode\": \"drift\", \"failOnDrift\": true,"
                + " \"database\": " + db.targetJson() + "}")).isInstanceOf(DriftDetected.class);
        db.sql("ALTER TABLE customers DROP COLUMN nickname");
        invoke(rollback, "{\"deploymentId\": \"undo-3\", \"targetVersion\": \"3\", \"reason\": \"test\", \"database\": " + db.targetJson()
                + "}");

        List<JsonNode> messages = received();
        assertThat(messages).extracting(message -> message.get("type").asText())
                .containsExactly("drift-found", "drift-found", "rollback-performed");
        JsonNode found = messages.get(0);
        assertThat(found.get("deploymentId").asText()).isEqualTo("drift-check-1");
        assertThat(found.get("function").asText()).isEqualTo("validate");
        assertThat(found.get("schema").asText()).isEqualTo("public");
        assertThat(found.get("version").asText()).isEqualTo("4");
        assertThat(found.get("differences").asInt()).isEqualTo(1);
        assertThat(found.get("changed").get(0).asText()).contains("nickname");
        assertThat(messages.get(1).get("deploymentId").asText()).isEqualTo("drift-check-2");
        assertThat(messages.get(1).get("summary").asText()).startsWith("schema public drifted from the snapshot of version 4");
        JsonNode undone = messages.get(2);
        assertThat(undone.get("deploymentId").asText()).isEqualTo("undo-3");
        assertThat(undone.get("from").asText()).isEqualTo("4");
        assertThat(undone.get("to").asText()).isEqualTo("3");
        assertThat(undone.get("undone").toString()).isEqualTo("[\"U4__customer_order_totals_view.sql\"]");
        assertThat(messages.toString()).doesNotContain(PostgresServer.APP_PASSWORD);
    }
}
