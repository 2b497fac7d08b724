package io.sluice.aws;

import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import io.sluice.error.Echo;
import io.sluice.function.Notifications;

/**
 * Notifications to the SNS topic {@code sluice.aws.notification-topic-arn}: the message is the JSON object, with a
 * {@code type} message attribute so subscriptions can filter (e.g. only {@code drift-found}). A failed publish is
 * logged and counted; the invocation's result stands.
 */
public class SnsNotifications implements Notifications {

    private static final Logger LOG = Logger.getLogger(SnsNotifications.class);

    private final String topicArn;
    private final Supplier<SnsClient> client;

    public SnsNotifications(String topicArn, Supplier<SnsClient> clients) {
        this.topicArn = topicArn;
        this.client = new Lazy<>(clients);
    }

    @Override
    public void publish(ObjectNode message) {
        String type = message.path("type").asText("notification");
        try {
            client.get().publish(request -> request.topicArn(topicArn).message(message.toString())
                    .subject("Sluice: " + type + " " + message.path("deploymentId").asText(""))
                    .messageAttributes(java.util.Map.of("type", MessageAttributeValue.builder().dataType("String").stringValue(type).build())));
        } catch (SdkException e) {
            LOG.warnf("could not publish the %s notification to %s: %s", type, topicArn, Echo.value(e.getMessage()));
        }
    }
}
