package io.sluice.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * moto in server mode, the AWS emulator the adapters are tested against: the one {@code .ci/run} installs
 * ({@code target/ci-tools/moto}), installed here the same way when the tests run alone (Python 3 and the package
 * registry needed), started once per test JVM on a free port and stopped with it. Where it cannot be had, the tests
 * that need it are skipped, saying why.
 */
public final class MotoServer {

    public static final String VERSION = "5.2.5";
    private static final Path VENV = Path.of("target", "ci-tools", "moto");

    private static final Emulators.Once SERVER = new Emulators.Once("moto " + VERSION, MotoServer::start);

    private MotoServer() {
    }

    /** The endpoint of the running server; skips the calling test when moto cannot be run here. */
    public static String endpoint() {
        return SERVER.endpoint();
    }

    /** A client of {@code builder}'s service on the running server, in us-east-1. */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return client(builder, Region.US_EAST_1);
    }

    /** The same in {@code region} (IAM's is {@code aws-global}). */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, Region region) {
        return builder.httpClient(UrlConnectionHttpClient.create()).region(region).endpointOverride(URI.create(endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    /** An approvals table named {@code table}, keyed as Terraform's (execution, entry). */
    public static void approvalsTable(DynamoDbClient dynamo, String table) {
        dynamo.createTable(request -> request.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("execution").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("entry").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("execution").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("entry").keyType(KeyType.RANGE).build()));
    }

    /** The Python of moto's virtual environment, installing moto there first if needed; skips the test when it cannot. */
    public static synchronized Path python() {
        try {
            install();
        } catch (IOException | InterruptedException | RuntimeException e) {
            Assumptions.abort("moto " + VERSION + " is not available: " + e.getMessage());
        }
        return VENV.resolve("bin").resolve("python");
    }

    private static void install() throws IOException, InterruptedException {
        if (!Files.isExecutable(VENV.resolve("bin").resolve("moto_server"))) {
            Emulators.run("python3", "-m", "venv", VENV.toString());
            Emulators.run(VENV.resolve("bin").resolve("pip").toString(), "install", "--quiet", "--disable-pip-version-check",
                    "moto[server]==" + VERSION);
        }
    }

    private static String start() throws IOException, InterruptedException {
        install();
        Path server = VENV.resolve("bin").resolve("moto_server");
        int port = Emulators.freePort();
        String url = "http://127.0.0.1:" + port;
        Emulators.start(new ProcessBuilder(server.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)),
                VENV.resolve("server.log"), url + "/moto-api/", 20);
        configure(url);
        return url;
    }

    /** Step Functions executes definitions for real (it only records them otherwise); Lambda runs without Docker. */
    private static void configure(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url + "/moto-api/config").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.getOutputStream().write("{\"stepfunctions\": {\"execute_state_machine\": true}, \"lambda\": {\"use_docker\": false}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (connection.getResponseCode() >= 300) {
            throw new IllegalStateException("moto refused its configuration: HTTP " + connection.getResponseCode());
        }
    }
}
