package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import io.sluice.aws.AwsClients;
import io.sluice.cli.LocalFunctions;
import io.sluice.config.SluiceConfig;

/**
 * What a {@code terraform apply} leaves, shaped the way AWS shapes it, once per test JVM: an RDS instance (moto's,
 * for its snapshots) whose database is a PostgreSQL requiring TLS ({@link PostgresServer#requiringTls()}) with the
 * module's database and master user, the master secret as RDS manages it ({@code rds!db-...}: username and password
 * only), the bundle bucket holding the sample migrations as the deploy workflow bundles them, the notification topic
 * (a queue subscribed to read it back), and function.zip's root with the CA bundle where the native build puts the
 * RDS global bundle. {@link #functions()} are the functions configured as Terraform configures them against all this.
 */
public final class DeployedEnvironment {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE_MIGRATIONS = Path.of("src", "main", "resources", "db", "migration");
    private static DeployedEnvironment instance;

    public final SluiceConfig.Aws aws;
    public final PostgresServer server;
    public final String databaseName;
    public final String masterUser;
    public final String secretArn;
    public final String bucket;
    public final String topicArn;
    public final Bundle sample;
    public final Path taskRoot;
    public final Map<String, String> standIns;
    /** The probe role's secret as the module writes it: {@code username} and a generated {@code password}. */
    public final String probeSecretArn;
    /** The database instance's identifier as the module names it with var.name at its default. */
    public static final String DATABASE_IDENTIFIER = TerraformModule.variableDefault("name").asText() + "-db";
    private final String queue;
    private String password;

    private DeployedEnvironment(String endpoint) throws IOException {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        aws = AwsSettings.emulator(endpoint);
        server = PostgresServer.requiringTls();
        masterUser = TerraformModule.variableDefault("database_master_username").asText();
        password = "Pw-" + UUID.randomUUID();
        databaseName = TerraformModule.variableDefault("database_name").asText();
        server.freshDatabase(databaseName, masterUser, password);
        secretArn = AwsClients.secretsManager(aws).createSecret(request -> request.name("rds!db-" + UUID.randomUUID())
                .secretString(secret(password))).arn();
        bucket = "sluice-bundles-" + UUID.randomUUID().toString().substring(0, 8);
        AwsClients.s3(aws).createBucket(request -> request.bucket(bucket));
        sample = Bundle.of(SAMPLE_MIGRATIONS);
        upload("releases/sample.zip", sample);
        topicArn = AwsClients.sns(aws).createTopic(request -> request.name("sluice-notifications")).topicArn();
        queue = sqs().createQueue(request -> request.queueName("deployed-" + UUID.randomUUID().toString().substring(0, 8))).queueUrl();
        String queueArn = sqs().getQueueAttributes(request -> request.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        AwsClients.sns(aws).subscribe(request -> request.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        try {
            AwsClients.rds(aws).createDBInstance(request -> request.dbInstanceIdentifier(instance()).engine("postgres")
                    .dbInstanceClass("db.t4g.medium").allocatedStorage(50).masterUsername(masterUser).masterUserPassword(password));
        } catch (DbInstanceAlreadyExistsException e) {
            // made by an earlier test of this JVM
        }
        probeSecretArn = ownRoleSecret("probe", "sluice_probe");
        taskRoot = Files.createDirectories(Path.of("target", "task-root").toAbsolutePath());
        String[] lists = lists(List.of(secretArn), List.of(), List.of());
        PostgresServer.RDS_CA.bundle(taskRoot.resolve("rds-global-bundle.pem"));
        standIns = Map.ofEntries(
                Map.entry("aws_db_instance.this.address", PostgresServer.TLS_HOST),
                Map.entry("aws_db_instance.this.port", Integer.toString(server.port())),
                Map.entry("aws_sns_topic.notifications.arn", topicArn),
                Map.entry("aws_s3_bucket.bundles.id", bucket),
                // database_secret_arns at its default (empty): the master user's secret RDS manages.
                Map.entry("local.database_secret_arns[0]", secretArn),
                Map.entry("local.master_secret_arn", secretArn),
                // The lists object Terraform writes (functions.tf): the database's secret; parity_other_secret_arn and
                // approvers at their defaults (empty).
                Map.entry("aws_s3_object.deployment_lists.key", lists[0]),
                Map.entry("local.deployment_lists_sha256", lists[1]),
                Map.entry("local.pipeline_arn", LocalFunctions.STATE_MACHINE_ARN),
                Map.entry("local.fleet_arn", LocalFunctions.FLEET_MACHINE_ARN),
                Map.entry("local.upgrade_arn", LocalFunctions.UPGRADE_MACHINE_ARN),
                // "${var.name}-db": the one instance upgrade readiness reads and the upgrade function may upgrade.
                Map.entry("local.database_identifier", DATABASE_IDENTIFIER),
                // upgrade_target_engine_version at its default (empty): no target parameter group.
                Map.entry("local.upgrade_target_parameter_group", ""),
                // function_reserved_concurrency at its default (off): a fleet's waves run as many at once as they ask.
                Map.entry("each.key == \"fleet\" ? local.fleet_max_concurrency : \"\"", ""),
                // scratch_isolation at its default (embedded): no scratch server, no scratch role.
                Map.entry("local.scratch_secret_arn", ""),
                Map.entry("local.scratch_host", ""),
                Map.entry("local.scratch_role_secret_arn", ""),
                // scratch_extensions at its default (none): the embedded server's template holds none.
                Map.entry("join(\",\", var.scratch_extensions)", ""),
                // The probe role's secret (database.tf): the module makes one whatever the isolation.
                Map.entry("aws_secretsmanager_secret.own_roles[\"probe\"].arn", probeSecretArn));
    }

    /**
     * Writes the lists object as functions.tf does ({@code jsonencode}: keys sorted, no spaces) under its digest's key;
     * returns the key and the SHA-256, the stand-ins for {@code aws_s3_object.deployment_lists.key} and
     * {@code local.deployment_lists_sha256}.
     */
    public String[] lists(List<String> databaseSecrets, List<String> paritySecrets, List<String> approvers) {
        com.fasterxml.jackson.databind.node.ObjectNode object = JSON.createObjectNode();
        approvers.forEach(object.putArray("approvers")::add);
        databaseSecrets.forEach(object.putArray("databaseSecrets")::add);
        paritySecrets.forEach(object.putArray("paritySecrets")::add);
        byte[] content = object.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sha256;
        try {
            sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String key = "config/lists-" + sha256 + ".json";
        AwsClients.s3(aws).putObject(request -> request.bucket(bucket).key(key),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(content));
        return new String[] {key, sha256};
    }

    /** A secret of one of the roles Sluice owns, as database.tf writes it: the role's name and a generated password. */
    public String ownRoleSecret(String purpose, String role) {
        String generated = "Pw-" + UUID.randomUUID().toString().replace("-", "");
        return AwsClients.secretsManager(aws).createSecret(request -> request.name("sluice/" + purpose + "-role-" + UUID.randomUUID())
                .secretString(JSON.createObjectNode().put("username", role).put("password", generated).toString())).arn();
    }

    /** The functions as functions.tf configures them with {@code overrides} (variables, stand-ins) over the defaults. */
    public DeployedFunctions functions(Map<String, String> overrides) {
        Map<String, String> merged = new java.util.HashMap<>(standIns);
        merged.putAll(overrides);
        return new DeployedFunctions(merged, taskRoot, aws.endpoint().orElseThrow());
    }

    /** The environment, made once per test JVM; skips the caller where moto, Node or the database cannot run. */
    public static synchronized DeployedEnvironment get() {
        if (instance == null) {
            String endpoint = MotoServer.endpoint();
            try {
                instance = new DeployedEnvironment(endpoint);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!TerraformModule.variableDefault("database_secret_arns").isEmpty()) {
            throw new AssertionError("database_secret_arns has a default: the stand-in for local.database_secret_arns[0] is wrong");
        }
        return instance;
    }

    /** The instance's database, looked at as its master user (with the password of the latest rotation). */
    public synchronized TestDatabase database() {
        return new TestDatabase(server, databaseName, masterUser, password);
    }

    /** The functions configured as functions.tf configures them, in this process, function.zip unpacked at {@link #taskRoot}. */
    public DeployedFunctions functions() {
        return new DeployedFunctions(standIns, taskRoot, aws.endpoint().orElseThrow());
    }

    /** The RDS instance's identifier ({@code local.database_identifier}): what the pipeline's {@code rdsSnapshot} names. */
    public static String instance() {
        return TerraformModule.evaluatedLocal("database_identifier", Map.of()).asText();
    }

    /** An event of the deployment {@code deployed-1} against the database by its secret, with {@code fields} besides. */
    public String event(String fields) {
        return "{\"deploymentId\": \"deployed-1\", \"database\": {\"secretArn\": \"" + secretArn + "\"}, " + fields + "}";
    }

    /** The {@code migrations} field naming the sample bundle in S3 and its digest. */
    public String sampleMigrations() {
        return migrations("releases/sample.zip", sample);
    }

    /** The {@code migrations} field naming a bundle at {@code key}. */
    public String migrations(String key, Bundle bundle) {
        return "\"migrations\": {\"s3\": \"s3://" + bucket + "/" + key + "\", \"sha256\": \"" + bundle.sha256() + "\"}";
    }

    public void upload(String key, Bundle bundle) {
        AwsClients.s3(aws).putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(bundle.zip()));
    }

    /**
     * The master user as the module made it, whatever a test's attack did to it: its password the secret's, no
     * superuser, its database's owner able to create roles and databases as RDS's master user is.
     */
    public synchronized void resetMaster() {
        server.superuser("ALTER ROLE " + masterUser + " PASSWORD '" + password + "' NOSUPERUSER CREATEDB CREATEROLE LOGIN");
    }

    /** What RDS's rotation of the master secret does: a new password on the instance, a new version of the secret. */
    public synchronized void rotate() {
        password = "Pw-" + UUID.randomUUID();
        server.rotatePassword(masterUser, password);
        String rotated = secret(password);
        AwsClients.secretsManager(aws).putSecretValue(request -> request.secretId(secretArn).secretString(rotated));
    }

    /** The messages the topic got for one deployment, in order. */
    public List<JsonNode> messages(String deploymentId) throws IOException {
        List<JsonNode> messages = new ArrayList<>();
        for (int poll = 0; poll < 5; poll++) {
            for (Message message : sqs().receiveMessage(request -> request.queueUrl(queue).maxNumberOfMessages(10)).messages()) {
                JsonNode body = JSON.readTree(message.body());
                if (body.path("deploymentId").asText().equals(deploymentId)) {
                    messages.add(body);
                }
            }
        }
        return messages;
    }

    private String secret(String withPassword) {
        return JSON.createObjectNode().put("username", masterUser).put("password", withPassword).toString();
    }

    private SqsClient sqs() {
        return SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(URI.create(aws.endpoint().orElseThrow())).build();
    }
}
