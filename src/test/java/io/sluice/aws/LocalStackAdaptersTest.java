package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import io.sluice.event.ApplicationMetric;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.MigrationSource;
import io.sluice.testing.AwsSettings;

/**
 * The same adapters against LocalStack, where a Docker engine runs it (GitHub Actions): a secret in RDS's format and
 * an S3 bundle, and application metrics from CloudWatch. Without Docker (this machine) the class is reported as skipped; moto covers the adapters here.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackAdaptersTest {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4.0"))
            .withServices("secretsmanager", "s3", "cloudwatch");

    @TempDir
    Path root;

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
    }

    private static AwsSettings settings() {
        return AwsSettings.emulator(LOCALSTACK.getEndpoint().toString());
    }

    @Test
    void secretInRdsFormat_resolvesToAUrlAndCredentials() {
        SecretsManagerClient client = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(LOCALSTACK.getRegion())).endpointOverride(LOCALSTACK.getEndpoint()).credentialsProvider(credentials()).build();
        String arn = client.createSecret(request -> request.name("sluice/localstack").secretString(
                "{\"engine\": \"postgres\", \"host\": \"db.example.internal\", \"port\": 5432, \"dbname\": \"app\","
                        + " \"username\": \"sluice_app\", \"password\": \"from-localstack\"}")).arn();

        DatabaseTarget target = new AwsDatabaseSecrets(settings(), () -> client).resolve(arn, false);

        assertThat(target.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.internal:5432/app?sslmode=disable");
        assertThat(target.username()).isEqualTo("sluice_app");
        assertThat(target.password()).isEqualTo("from-localstack");
    }

    @Test
    void bundle_isFetchedCheckedAndUnpacked() throws Exception {
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(LOCALSTACK.getRegion()))
                .endpointOverride(LOCALSTACK.getEndpoint()).forcePathStyle(true).credentialsProvider(credentials()).build();
        s3.createBucket(request -> request.bucket("sluice-bundles"));
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("V1__customers.sql"));
            out.write("CREATE TABLE customers (id bigint PRIMARY KEY);\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        s3.putObject(request -> request.bucket("sluice-bundles").key("app-1.zip"), RequestBody.fromBytes(zip.toByteArray()));
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip.toByteArray()));

        MigrationSource folder = new S3Bundles(settings(), () -> s3, root)
                .fetch(MigrationSource.fromJson(new ObjectMapper().createObjectNode().put("s3", "s3://sluice-bundles/app-1.zip")
                        .put("sha256", sha256)));

        assertThat(folder.kind()).isEqualTo(MigrationSource.Kind.FILESYSTEM);
        assertThat(Files.readString(Path.of(folder.path(), "V1__customers.sql"))).startsWith("CREATE TABLE customers");
        assertThat(folder.path()).isEqualTo(root.resolve(sha256).toString());
    }

    @Test
    void applicationMetrics_areReadFromCloudWatch() {
        CloudWatchClient cloudWatch = CloudWatchClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(LOCALSTACK.getRegion())).endpointOverride(LOCALSTACK.getEndpoint()).credentialsProvider(credentials()).build();
        Instant now = Instant.now();
        cloudWatch.putMetricData(request -> request.namespace("Shop").metricData(
                MetricDatum.builder().metricName("Errors").timestamp(now).values(1.0, 1.0).build(),
                MetricDatum.builder().metricName("Requests").timestamp(now).values(100.0).build()));

        Map<String, Double> values = new CloudWatchMetrics(() -> cloudWatch).read(List.of(new ApplicationMetric("errors", "Shop", "Errors",
                null, null, "Requests", 0.01, "ratio")), now.minusSeconds(30), now.plusSeconds(30));

        assertThat(values).containsExactly(Map.entry("errors", 0.02));
    }
}
