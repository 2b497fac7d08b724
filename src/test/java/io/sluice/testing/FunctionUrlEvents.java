package io.sluice.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Requests as a Lambda function URL with {@code AWS_IAM} auth hands them to a function (payload format 2.0, the shape
 * AWS documents: the caller's principal in {@code requestContext.authorizer.iam}, the event as the body), and the
 * HTTP response the function writes back.
 */
public final class FunctionUrlEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the function answered: the HTTP status and the body, parsed. */
    public record Response(int status, JsonNode body) {
    }

    private FunctionUrlEvents() {
    }

    /** A POST of {@code body} to the function URL, signed by {@code principal}. */
    public static String request(String principal, String body) {
        String account = principal.split(":")[4];
        ObjectNode request = JSON.createObjectNode().put("version", "2.0").put("routeKey", "$default").put("rawPath", "/")
                .put("rawQueryString", "");
        request.putObject("headers").put("content-type", "application/json").put("host", "abcdefghij.lambda-url.us-east-1.on.aws")
                .put("x-amz-date", "20261203T120000Z");
        ObjectNode context = request.putObject("requestContext").put("accountId", "123456789012").put("apiId", "abcdefghij")
                .put("domainName", "abcdefghij.lambda-url.us-east-1.on.aws").put("domainPrefix", "abcdefghij")
                .put("requestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef").put("routeKey", "$default").put("stage", "$default")
                .put("time", "03/Dec/2026:12:00:00 +0000").put("timeEpoch", 1796299200000L);
        context.putObject("authorizer").putObject("iam").put("accessKey", "ASIAEXAMPLE").put("accountId", account)
                .put("callerId", "AROAEXAMPLE:session").putNull("cognitoIdentity").putNull("principalOrgId").put("userArn", principal)
                .put("userId", "AROAEXAMPLE:session");
        context.putObject("http").put("method", "POST").put("path", "/").put("protocol", "HTTP/1.1").put("sourceIp", "203.0.113.7")
                .put("userAgent", "curl/8.5.0");
        request.put("body", body).put("isBase64Encoded", false);
        return request.toString();
    }

    /** Sends {@code request} through {@code handler} as Lambda would. */
    public static Response send(RequestStreamHandler handler, String request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), out, null);
        JsonNode response = JSON.readTree(out.toByteArray());
        return new Response(response.get("statusCode").asInt(), JSON.readTree(response.get("body").asText()));
    }
}
