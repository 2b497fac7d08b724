package io.sluice.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Named;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.function.ApproveFunction;
import io.sluice.function.CanaryCheckFunction;
import io.sluice.function.HealthFunction;
import io.sluice.function.MigrateFunction;
import io.sluice.function.RollbackFunction;
import io.sluice.function.StartFunction;
import io.sluice.function.ValidateFunction;
import io.sluice.testing.NodeTools;
import io.sluice.testing.TerraformModule;
import io.sluice.workflow.Template;

/**
 * The Terraform module as HashiCorp's HCL parser reads it ({@code @cdktf/hcl2json}; no AWS provider can be downloaded
 * here, so {@code terraform validate} runs on GitHub): the properties the module promises, checked on the parsed
 * files; the state machine templates rendered as {@code templatefile} renders them and validated with asl-validator;
 * one function per handler the artifact has; and each function's IAM actions exactly those the README lists.
 */
class TerraformModuleTest {

    private static final Path MODULE = TerraformModule.FOLDER;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

    private static JsonNode files;

    @BeforeAll
    static void parse() {
        files = TerraformModule.files();
    }

    private static JsonNode block(String kind, String type, String name) {
        return TerraformModule.block(kind, type, name);
    }

    private static JsonNode resource(String type, String name) {
        return block("resource", type, name);
    }

    private static Map<String, JsonNode> declared(String kind) {
        Map<String, JsonNode> all = new TreeMap<>();
        for (JsonNode file : files) {
            file.path(kind).fields().forEachRemaining(entry -> all.put(entry.getKey(), entry.getValue().get(0)));
        }
        return all;
    }

    private static JsonNode locals() {
        for (JsonNode file : files) {
            for (JsonNode locals : file.path("locals")) {
                if (locals.has("functions")) {
                    return locals;
                }
            }
        }
        throw new AssertionError("no locals block declares functions");
    }

    @Test
    void layout_asTerraformAwsModulesKeepIt() {
        assertThat(files.fieldNames()).toIterable().contains("versions.tf", "variables.tf", "outputs.tf", "main.tf",
                "terraform.tfvars.example");
        JsonNode aws = files.at("/versions.tf/terraform/0/required_providers/0/aws");
        assertThat(aws.path("source").asText()).isEqualTo("hashicorp/aws");
        assertThat(aws.path("version").asText()).startsWith(">= 5.");
        assertThat(files.at("/versions.tf/terraform/0/required_version").asText()).startsWith(">= 1.");
    }

    @Test
    void everyVariable_isDescribedAndTyped_theRiskyOnesValidated_andEveryOutputDescribed() {
        Map<String, JsonNode> variables = declared("variable");
        assertThat(variables).allSatisfy((name, variable) -> {
            assertThat(variable.path("description").asText()).as("%s description", name).isNotBlank();
            assertThat(variable.path("type").asText()).as("%s type", name).isNotBlank();
        });
        assertThat(variables).allSatisfy((name, variable) -> variable.path("validation").forEach(validation -> {
            assertThat(validation.path("condition").asText()).as("%s condition", name).startsWith("${");
            assertThat(validation.path("error_message").asText()).as("%s error_message", name).endsWith(".");
        }));
        assertThat(variables.entrySet().stream().filter(entry -> entry.getValue().has("validation")).map(Map.Entry::getKey))
                .contains("name", "vpc_id", "private_subnet_ids", "database_engine_version", "database_instance_class",
                        "backup_retention_days", "performance_insights_retention_days", "function_zip", "function_memory_mb",
                        "log_retention_days", "canary_parameter_name", "drift_schedule", "github_repository");
        assertThat(declared("output")).allSatisfy((name, output) ->
                assertThat(output.path("description").asText()).as("%s description", name).isNotBlank());
        assertThat(files.path("terraform.tfvars.example").fieldNames()).toIterable().allSatisfy(name ->
                assertThat(variables).as("terraform.tfvars.example sets %s", name).containsKey(name));
    }

    @Test
    void database_isEncryptedPrivateProtectedBackedUp_withItsPasswordInSecretsManager() {
        JsonNode db = resource("aws_db_instance", "this");

        assertThat(db.path("engine").asText()).isEqualTo("postgres");
        assertThat(db.path("storage_encrypted").asBoolean()).isTrue();
        assertThat(db.path("kms_key_id").asText()).isEqualTo("${aws_kms_key.this.arn}");
        assertThat(db.path("publicly_accessible").asBoolean(true)).isFalse();
        assertThat(db.path("deletion_protection").asText()).isEqualTo("${var.deletion_protection}");
        assertThat(db.path("skip_final_snapshot").asBoolean(true)).isFalse();
        assertThat(db.path("final_snapshot_identifier").asText()).isNotBlank();
        assertThat(db.path("backup_retention_period").asText()).isEqualTo("${var.backup_retention_days}");
        assertThat(db.path("multi_az").asText()).isEqualTo("${var.multi_az}");
        // RDS's own secret by default; or the module's, rotated, for Blue/Green engine upgrades, which do not support RDS's.
        assertThat(db.path("manage_master_user_password").asText()).isEqualTo("${var.master_password_managed_by_rds ? true : null}");
        assertThat(db.path("master_user_secret_kms_key_id").asText())
                .isEqualTo("${var.master_password_managed_by_rds ? aws_kms_key.this.arn : null}");
        assertThat(declared("variable").get("master_password_managed_by_rds").path("default").asBoolean()).isTrue();
        JsonNode secret = resource("aws_secretsmanager_secret", "master");
        assertThat(secret.path("count").asText()).isEqualTo("${var.master_password_managed_by_rds ? 0 : 1}");
        assertThat(secret.path("kms_key_id").asText()).isEqualTo("${aws_kms_key.this.arn}");
        JsonNode rotation = resource("aws_secretsmanager_secret_rotation", "master");
        assertThat(rotation.path("rotation_lambda_arn").asText())
                .isEqualTo("${aws_serverlessapplicationrepository_cloudformation_stack.master_rotation[0].outputs[\"RotationLambdaARN\"]}");
        assertThat(rotation.at("/rotation_rules/0/automatically_after_days").asText()).isEqualTo("${var.master_password_rotation_days}");
        assertThat(resource("aws_serverlessapplicationrepository_cloudformation_stack", "master_rotation").path("application_id").asText())
                .endsWith(":applications/SecretsManagerRDSPostgreSQLRotationSingleUser");
        assertThat(resource("aws_secretsmanager_secret_version", "master").path("secret_string").asText())
                .contains("engine", "host", "port", "dbname", "username", "password");
        assertThat(locals().path("database_secret_arns").asText()).contains("local.master_secret_arn");
        assertThat(db.path("iam_database_authentication_enabled").asText()).isEqualTo("${var.iam_database_authentication}");
        assertThat(db.path("performance_insights_enabled").asBoolean()).isTrue();
        assertThat(db.path("enabled_cloudwatch_logs_exports")).extracting(JsonNode::asText).containsExactly("postgresql", "upgrade");
        assertThat(db.path("db_subnet_group_name").asText()).isEqualTo("${aws_db_subnet_group.this.name}");
        assertThat(db.path("vpc_security_group_ids")).extracting(JsonNode::asText).containsExactly("${aws_security_group.database.id}");
        assertThat(db.path("parameter_group_name").asText()).isEqualTo("${aws_db_parameter_group.this.name}");
        assertThat(declared("variable").get("private_subnet_ids").path("validation").get(0).path("condition").asText()).contains(">= 2");
    }

    @Test
    void theScratchInstance_isOptional_runsTheDatabasesEngineAndParameters_privateAndEncrypted_andTheFunctionsMayReadItsSecret() {
        JsonNode scratch = resource("aws_db_instance", "scratch");

        assertThat(scratch.path("count").asText()).isEqualTo("${var.scratch_instance ? 1 : 0}");
        assertThat(declared("variable").get("scratch_instance").path("default").asBoolean(true)).isFalse();
        assertThat(scratch.path("engine_version").asText()).isEqualTo("${var.database_engine_version}");
        assertThat(scratch.path("parameter_group_name").asText()).isEqualTo("${aws_db_parameter_group.this.name}");
        assertThat(scratch.path("storage_encrypted").asBoolean()).isTrue();
        assertThat(scratch.path("publicly_accessible").asBoolean(true)).isFalse();
        assertThat(scratch.path("manage_master_user_password").asBoolean()).isTrue();
        assertThat(scratch.path("vpc_security_group_ids")).extracting(JsonNode::asText).containsExactly("${aws_security_group.database.id}");
        assertThat(TerraformModule.local("scratch_secret_arn").asText()).isEqualTo("${var.scratch_isolation != \"server\" ? \"\" :"
                + " var.scratch_instance ? aws_db_instance.scratch[0].master_user_secret[0].secret_arn : var.scratch_secret_arn}");
        JsonNode environment = resource("aws_lambda_function", "this").at("/environment/0/variables");
        assertThat(environment.path("SLUICE_DATABASE_SCRATCH_SECRET_ARN").asText()).isEqualTo("${local.scratch_secret_arn}");
        assertThat(environment.path("SLUICE_DATABASE_SCRATCH_HOST").asText()).isEqualTo("${local.scratch_host}");
    }

    @Test
    void scratchIsolation_isEmbeddedByDefault_andTheModuleMakesTheSecretsOfTheRolesSluiceOwns() {
        JsonNode isolation = declared("variable").get("scratch_isolation");
        assertThat(isolation.path("default").asText()).isEqualTo("embedded");
        assertThat(isolation.path("validation")).hasSize(3);
        assertThat(isolation.path("validation").get(0).path("condition").asText())
                .isEqualTo("${contains([\"embedded\", \"server\", \"role\", \"none\"], var.scratch_isolation)}");
        assertThat(TerraformModule.local("own_roles").asText()).isEqualTo("${merge({ probe = \"sluice_probe\" }, var.scratch_isolation =="
                + " \"role\" ? { scratch = \"sluice_scratch\" } : {})}");
        JsonNode secret = resource("aws_secretsmanager_secret", "own_roles");
        assertThat(secret.path("for_each").asText()).isEqualTo("${local.own_roles}");
        assertThat(secret.path("kms_key_id").asText()).isEqualTo("${aws_kms_key.this.arn}");
        JsonNode version = resource("aws_secretsmanager_secret_version", "own_roles");
        assertThat(version.path("secret_string").asText()).contains("username = each.value")
                .contains("password = data.aws_secretsmanager_random_password.own_roles[each.key].random_password");
        assertThat(version.at("/lifecycle/0/ignore_changes").toString()).contains("secret_string");
        JsonNode function = resource("aws_lambda_function", "this");
        JsonNode environment = function.at("/environment/0/variables");
        assertThat(environment.path("SLUICE_SCRATCH_ISOLATION").asText()).isEqualTo("${var.scratch_isolation}");
        assertThat(environment.path("SLUICE_SCRATCH_ROLE_SECRET_ARN").asText()).isEqualTo("${local.scratch_role_secret_arn}");
        assertThat(environment.path("SLUICE_PROBE_SECRET_ARN").asText()).isEqualTo("${aws_secretsmanager_secret.own_roles[\"probe\"].arn}");
        assertThat(function.at("/ephemeral_storage/0/size").asText()).isEqualTo("${contains(local.scratch_workers, each.key) &&"
                + " var.scratch_isolation == \"embedded\" ? 2048 : 512}");
        assertThat(declared("variable").get("function_memory_mb").path("default").toString()).contains("\"validate\":1024")
                .contains("\"rollback\":1024");
    }

    @Test
    void parameterGroup_holdsTheGuidesSettings_andWhatTheConfigCheckLooksFor() {
        JsonNode parameters = null;
        for (JsonNode locals : files.path("database.tf").path("locals")) {
            if (locals.has("database_parameters")) {
                parameters = locals.get("database_parameters");
            }
        }
        assertThat(parameters).as("locals.database_parameters").isNotNull();
        assertThat(parameters.fieldNames()).toIterable().contains("max_connections", "shared_buffers", "effective_cache_size",
                "work_mem", "maintenance_work_mem", "max_wal_size", "checkpoint_completion_target", "wal_buffers",
                "default_statistics_target", "shared_preload_libraries", "ssl_min_protocol_version",
                "password_encryption", "log_min_duration_statement", "log_lock_waits", "idle_in_transaction_session_timeout");
        assertThat(resource("aws_db_parameter_group", "this").path("parameter")).anySatisfy(parameter -> {
            assertThat(parameter.path("name").asText()).isEqualTo("rds.force_ssl");
            assertThat(parameter.path("value").asText()).isEqualTo("1");
        });
        assertThat(parameters.at("/shared_preload_libraries/value").asText()).contains("pg_stat_statements");
        assertThat(parameters.at("/password_encryption/value").asText()).isEqualTo("scram-sha-256");
        assertThat(parameters.at("/max_wal_size/value").asInt()).as("config check: at least 1024 MB").isGreaterThanOrEqualTo(1024);
        assertThat(files.at("/database.tf/locals/0/max_connections").asInt()).as("config check: at most 250").isBetween(1, 250);
        assertThat(parameters.at("/shared_buffers/value").asText()).as("a quarter of memory: config check 0.15-0.40")
                .contains("var.database_memory_mb").contains("0.25");
        assertThat(resource("aws_db_parameter_group", "this").path("family").asText())
                .isEqualTo("postgres${var.database_engine_version}");
        assertThat(resource("aws_db_parameter_group", "upgrade_target").path("family").asText())
                .isEqualTo("postgres${var.upgrade_target_engine_version}");
    }

    @Test
    void oneFunctionPerHandler_onTheCustomRuntime_inTheVpc_traced_withItsOwnRoleAndLogGroup() {
        Set<String> handlers = new TreeSet<>();
        for (Class<?> handler : List.of(MigrateFunction.class, ValidateFunction.class, RollbackFunction.class, CanaryCheckFunction.class,
                ApproveFunction.class, StartFunction.class, HealthFunction.class, io.sluice.function.FleetFunction.class,
                io.sluice.function.UpgradeFunction.class)) {
            handlers.add(handler.getAnnotation(Named.class).value());
        }
        assertThat(locals().path("functions").fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(handlers);

        JsonNode function = resource("aws_lambda_function", "this");
        assertThat(function.path("for_each").asText()).isEqualTo("${local.functions}");
        assertThat(function.path("runtime").asText()).isEqualTo("provided.al2023");
        assertThat(function.at("/environment/0/variables/QUARKUS_LAMBDA_HANDLER").asText()).isEqualTo("${each.key}");
        assertThat(function.path("role").asText()).isEqualTo("${aws_iam_role.function[each.key].arn}");
        assertThat(function.at("/tracing_config/0/mode").asText()).isEqualTo("Active");
        assertThat(function.at("/vpc_config/0/security_group_ids/0").asText()).isEqualTo("${aws_security_group.functions.id}");
        assertThat(function.path("kms_key_arn").asText()).isEqualTo("${aws_kms_key.this.arn}");
        assertThat(function.path("reserved_concurrent_executions").asText()).as("a new account's quota leaves nothing to reserve")
                .isEqualTo("${var.function_reserved_concurrency ? each.value.reserved : null}");
        assertThat(declared("variable").get("function_reserved_concurrency").path("default").asBoolean(true)).isFalse();
        // Lambda checks at creation that the role may create network interfaces and send to the dead-letter queue.
        assertThat(function.path("depends_on")).extracting(JsonNode::asText).contains("${aws_iam_role_policy.function}",
                "${aws_iam_role_policy_attachment.function_vpc}");
        assertThat(function.at("/dead_letter_config/0/target_arn").asText()).isEqualTo("${aws_sqs_queue.failed_invocations.arn}");
        assertThat(resource("aws_lambda_function_event_invoke_config", "this").path("maximum_retry_attempts").asInt()).isEqualTo(2);
        assertThat(locals().path("functions")).allSatisfy(settings ->
                assertThat(settings.path("timeout").asInt()).isBetween(1, 900));
        JsonNode logs = resource("aws_cloudwatch_log_group", "functions");
        assertThat(logs.path("name").asText()).isEqualTo("/aws/lambda/${local.function_name[each.key]}");
        assertThat(logs.path("retention_in_days").asText()).isEqualTo("${var.log_retention_days}");
        assertThat(logs.path("kms_key_id").asText()).isEqualTo("${aws_kms_key.this.arn}");
        assertThat(resource("aws_iam_role", "function").path("for_each").asText()).isEqualTo("${local.functions}");
    }

    /**
     * A function killed by its own timeout before the task that invoked it gives up is a failure without a retry: every
     * function's timeout is the longest TimeoutSeconds of the tasks that invoke it (validate was 300 s under the
     * pipeline's 900 s Preflight), so a long preflight ends as its task allows, with the retry the task has.
     */
    @Test
    void everyFunctionsTimeout_isTheLongestTimeoutOfTheTasksThatInvokeIt() throws Exception {
        Map<String, Integer> longestTask = new TreeMap<>();
        try (Stream<Path> definitions = Files.list(MODULE.resolve("statemachine"))) {
            for (Path definition : definitions.filter(path -> path.toString().endsWith(".asl.json")).sorted().toList()) {
                tasks(new com.fasterxml.jackson.databind.ObjectMapper().readTree(definition.toFile()).path("States"), longestTask);
            }
        }
        Map<String, Integer> timeouts = new TreeMap<>();
        locals().path("functions").fields().forEachRemaining(entry -> timeouts.put(entry.getKey(), entry.getValue().path("timeout").asInt()));
        Map<String, Integer> invoked = new TreeMap<>(timeouts);
        invoked.keySet().retainAll(longestTask.keySet());
        assertThat(invoked).as("function timeouts (locals.functions) against the longest task invoking each").isEqualTo(longestTask);
        assertThat(timeouts).containsEntry("validate", 900);
    }

    /** The longest TimeoutSeconds of the tasks invoking each function, by handler, everywhere in {@code states}. */
    private static void tasks(JsonNode states, Map<String, Integer> longest) {
        Pattern function = Pattern.compile("\\$\\{([a-z_]+)_function_arn}");
        states.fields().forEachRemaining(entry -> {
            JsonNode state = entry.getValue();
            if (state.path("Type").asText().equals("Task")) {
                Matcher invoked = function.matcher(state.toString());
                while (invoked.find()) {
                    assertThat(state.has("TimeoutSeconds")).as("task %s has a TimeoutSeconds", entry.getKey()).isTrue();
                    longest.merge(invoked.group(1).replace('_', '-'), state.path("TimeoutSeconds").asInt(), Math::max);
                }
            }
            for (String nested : List.of("Iterator", "ItemProcessor")) {
                if (state.has(nested)) {
                    tasks(state.path(nested).path("States"), longest);
                }
            }
            state.path("Branches").forEach(branch -> tasks(branch.path("States"), longest));
        });
    }

    @Test
    void theArtifact_goesThroughTheBundleBucket_whereLambdaTakes250MbUnpacked_notThe50MbOfADirectUpload() {
        JsonNode function = resource("aws_lambda_function", "this");
        JsonNode artifact = resource("aws_s3_object", "function");

        assertThat(function.has("filename")).isFalse();
        assertThat(function.path("s3_bucket").asText()).isEqualTo("${aws_s3_object.function.bucket}");
        assertThat(function.path("s3_key").asText()).isEqualTo("${aws_s3_object.function.key}");
        assertThat(function.path("s3_object_version").asText()).isEqualTo("${aws_s3_object.function.version_id}");
        assertThat(function.path("source_code_hash").asText()).isEqualTo("${filebase64sha256(var.function_zip)}");
        assertThat(artifact.path("bucket").asText()).isEqualTo("${aws_s3_bucket.bundles.id}");
        assertThat(artifact.path("key").asText()).isEqualTo("functions/sluice-${filesha256(var.function_zip)}.zip");
        assertThat(artifact.path("source").asText()).isEqualTo("${var.function_zip}");
        assertThat(artifact.path("kms_key_id").asText()).isEqualTo("${aws_kms_key.this.arn}");
    }

    @Test
    void theDriftSchedule_mayReadItsEncryptedInput_andWhatFailsEveryTryIsKept() {
        Map<String, Set<String>> scheduler = statements(block("data", "aws_iam_policy_document", "scheduler"));
        JsonNode target = resource("aws_scheduler_schedule", "check").at("/target/0");

        assertThat(resource("aws_scheduler_schedule", "check").path("kms_key_arn").asText()).isEqualTo("${aws_kms_key.this.arn}");
        assertThat(scheduler).containsEntry("InvokeTheChecks", Set.of("lambda:InvokeFunction"))
                .containsEntry("SluiceKey", Set.of("kms:Decrypt", "kms:GenerateDataKey"))
                .containsEntry("DeadLetters", Set.of("sqs:SendMessage"));
        assertThat(target.at("/dead_letter_config/0/arn").asText()).isEqualTo("${aws_sqs_queue.failed_invocations.arn}");
        assertThat(resource("aws_sqs_queue", "failed_invocations").path("kms_master_key_id").asText()).isEqualTo("${aws_kms_key.this.arn}");
        String alarms = files.at("/alarms.tf/locals/0/alarms").asText();
        assertThat(alarms).contains("\"failed-invocations\"").contains("namespace  = \"AWS/SQS\"")
                .contains("metric     = \"ApproximateNumberOfMessagesVisible\"")
                .contains("dimensions = { QueueName = aws_sqs_queue.failed_invocations.name }");
    }

    @Test
    void theKey_letsLogDeliveryDecryptTheStateMachinesExecutions() {
        JsonNode delivery = null;
        for (JsonNode statement : block("data", "aws_iam_policy_document", "key").path("statement")) {
            if (statement.path("sid").asText().equals("LogDeliveryReadsEncryptedExecutions")) {
                delivery = statement;
            }
        }
        assertThat(delivery).as("a key policy statement for delivery.logs.amazonaws.com").isNotNull();
        assertThat(delivery.at("/principals/0/identifiers/0").asText()).isEqualTo("delivery.logs.amazonaws.com");
        assertThat(delivery.path("actions")).extracting(JsonNode::asText).containsExactly("kms:Decrypt");
        assertThat(resource("aws_sfn_state_machine", "this").at("/encryption_configuration/0/kms_key_id").asText())
                .isEqualTo("${aws_kms_key.this.arn}");
    }

    @Test
    void rollback_mayRestoreASnapshotEncryptedWithSluicesKey() {
        JsonNode policy = block("data", "aws_iam_policy_document", "function");
        Map<String, JsonNode> rollback = new TreeMap<>();
        for (JsonNode dynamic : policy.at("/dynamic/statement")) {
            if (dynamic.path("for_each").asText().equals("${contains(local.rds_creates_encrypted, each.key) ? [1] : []}")) {
                rollback.put(dynamic.at("/content/0/sid").asText(), dynamic.at("/content/0"));
            }
        }
        assertThat(files.at("/iam.tf/locals/0/rds_creates_encrypted").asText()).isEqualTo("${toset([\"rollback\", \"upgrade\"])}");
        JsonNode grant = rollback.get("EncryptedByRds");
        assertThat(grant.path("actions")).extracting(JsonNode::asText).containsExactly("kms:CreateGrant");
        assertThat(grant.at("/condition/0/variable").asText()).isEqualTo("kms:GrantIsForAWSResource");
        assertThat(grant.at("/condition/0/values/0").asText()).isEqualTo("true");
        JsonNode describe = rollback.get("DescribeTheKeyThroughRds");
        assertThat(describe.path("actions")).extracting(JsonNode::asText).containsExactly("kms:DescribeKey");
        assertThat(describe.at("/condition/0/values/0").asText()).isEqualTo("rds.${local.region}.amazonaws.com");
    }

    /** Each statement's actions by sid. */
    private static Map<String, Set<String>> statements(JsonNode policy) {
        Map<String, Set<String>> bySid = new TreeMap<>();
        policy.path("statement").forEach(statement -> {
            Set<String> actions = new TreeSet<>();
            statement.path("actions").forEach(action -> actions.add(action.asText()));
            bySid.put(statement.path("sid").asText(), actions);
        });
        return bySid;
    }

    @Test
    void eachFunctionsRole_grantsExactlyTheActionsTheReadmeLists() throws Exception {
        Map<String, Set<String>> granted = grantedActions();
        Map<String, Set<String>> documented = documentedActions();

        assertThat(granted).isEqualTo(documented);
    }

    /** The IAM actions iam.tf gives each handler: its statements, the dynamic ones whose for_each holds for it. */
    private static Map<String, Set<String>> grantedActions() {
        JsonNode policy = block("data", "aws_iam_policy_document", "function");
        JsonNode iamLocals = files.at("/iam.tf/locals/0");
        Map<String, Set<String>> granted = new TreeMap<>();
        Set<String> everyone = new TreeSet<>();
        policy.path("statement").forEach(statement -> statement.path("actions").forEach(action -> everyone.add(action.asText())));
        locals().path("functions").fieldNames().forEachRemaining(handler -> {
            Set<String> actions = new TreeSet<>();
            for (JsonNode dynamic : policy.at("/dynamic/statement")) {
                if (applies(dynamic.path("for_each").asText(), handler, iamLocals)) {
                    dynamic.at("/content/0/actions").forEach(action -> actions.add(action.asText()));
                }
            }
            granted.put(handler, actions);
        });
        assertThat(everyone).containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments",
                "xray:PutTelemetryRecords", "kms:Decrypt", "kms:GenerateDataKey*", "sqs:SendMessage", "s3:GetObject");
        return granted;
    }

    private static final Pattern CONTAINS = Pattern.compile("\\$\\{contains\\(local\\.([a-z_]+), each\\.key\\) \\? \\[1] : \\[]}");
    private static final Pattern EQUALS = Pattern.compile("\\$\\{each\\.key == \"([a-z-]+)\" \\? \\[1] : \\[]}");

    /**
     * Evaluates the forms of for_each iam.tf uses, with every variable at its default; any other form fails the test
     * (it must be taught here).
     */
    private static boolean applies(String forEach, String handler, JsonNode locals) {
        // The secrets a function reads by ARN: the database's (database_secret_arns empty: the master secret) for every
        // function that reads the database; a fleet of more than 20 secrets by tag, which no default deploys.
        if (forEach.equals("${length(local.secrets_read[each.key]) > 0 ? [1] : []}")) {
            return applies("${contains(local.reads_database, each.key) ? [1] : []}", handler, locals);
        }
        if (forEach.equals("${contains(local.reads_database, each.key) && length(var.database_secret_arns) > 20 ? [1] : []}")) {
            assertThat(declared("variable").get("database_secret_arns").path("default")).isEmpty();
            return false;
        }
        Matcher contains = CONTAINS.matcher(forEach);
        if (contains.matches()) {
            String set = locals.path(contains.group(1)).asText();
            assertThat(set).as("local.%s", contains.group(1)).startsWith("${toset([");
            return set.contains("\"" + handler + "\"");
        }
        Matcher equals = EQUALS.matcher(forEach);
        assertThat(equals.matches()).as("a for_each of a form this test evaluates: %s", forEach).isTrue();
        return equals.group(1).equals(handler);
    }

    /** The README's "IAM actions by function" table. */
    private static Map<String, Set<String>> documentedActions() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf(lines.stream().filter(line -> line.startsWith("IAM actions by function")).findFirst().orElseThrow());
        Map<String, Set<String>> documented = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| `([a-z-]+)` \\| (.*) \\|$");
        Pattern action = Pattern.compile("`([a-z0-9]+:[A-Za-z*]+)`");
        for (String line : lines.subList(start, Math.min(lines.size(), start + 30))) {
            Matcher matcher = row.matcher(line);
            if (matcher.matches()) {
                Set<String> actions = new TreeSet<>();
                Matcher found = action.matcher(matcher.group(2));
                while (found.find()) {
                    actions.add(found.group(1));
                }
                documented.put(matcher.group(1), actions);
            }
        }
        return documented;
    }

    @Test
    void securityGroups_openTheDatabasePortAndHttpsToTheAwsApis_withOrWithoutTheEndpointsThisModuleCreates() {
        assertThat(files.path("network.tf").toString()).doesNotContain("0.0.0.0/0").doesNotContain("::/0");
        Map<String, String> egress = new TreeMap<>();
        files.at("/network.tf/resource/aws_vpc_security_group_egress_rule").fields().forEachRemaining(entry -> {
            JsonNode rule = entry.getValue().get(0);
            assertThat(rule.path("security_group_id").asText()).isEqualTo("${aws_security_group.functions.id}");
            assertThat(rule.path("description").asText()).isNotBlank();
            egress.put(entry.getKey() + " " + rule.path("from_port").asText() + "-" + rule.path("to_port").asText(),
                    rule.has("count") ? rule.path("count").asText() : rule.path("for_each").asText());
        });
        assertThat(egress).containsOnlyKeys("functions_to_database ${aws_db_instance.this.port}-${aws_db_instance.this.port}",
                "functions_to_endpoints 443-443", "functions_to_gateway_endpoints 443-443", "functions_to_aws_apis 443-443");
        // With the module's endpoints, HTTPS goes to them; without, to aws_api_cidr_blocks, which may not be empty.
        assertThat(egress.get("functions_to_endpoints 443-443")).isEqualTo("${var.create_vpc_endpoints ? 1 : 0}");
        assertThat(egress.get("functions_to_aws_apis 443-443")).isEqualTo("${var.create_vpc_endpoints ? toset([]) : toset(var.aws_api_cidr_blocks)}");
        assertThat(resource("aws_vpc_security_group_egress_rule", "functions_to_aws_apis").path("cidr_ipv4").asText()).isEqualTo("${each.value}");
        assertThat(declared("variable").get("aws_api_cidr_blocks").at("/validation/0/condition").asText())
                .contains("length(var.aws_api_cidr_blocks) > 0");
        // The gateway endpoints route through the private subnets' tables: given, or looked up from the subnets.
        for (String gateway : List.of("s3", "dynamodb")) {
            assertThat(resource("aws_vpc_endpoint", gateway).path("route_table_ids").asText()).isEqualTo("${local.private_route_table_ids}");
        }
        assertThat(files.at("/network.tf/locals/0/private_route_table_ids").asText()).contains("var.private_route_table_ids")
                .contains("data.aws_route_table.private");
        assertThat(block("data", "aws_route_table", "private").path("subnet_id").asText()).isEqualTo("${each.value}");
        files.at("/network.tf/resource/aws_vpc_security_group_ingress_rule").forEach(rules -> rules.forEach(rule ->
                assertThat(rule.has("referenced_security_group_id")).as("ingress only from a security group").isTrue()));
    }

    @Test
    void stateMachines_renderTheCheckedDefinitions_logEverything_trace_andEveryPlaceholderIsProvided() throws Exception {
        JsonNode templateValues = locals().path("template_values");
        Set<String> provided = new TreeSet<>();
        templateValues.fieldNames().forEachRemaining(provided::add);
        List<String> validate = new ArrayList<>(List.of(NodeTools.modules().resolve(".bin").resolve("asl-validator").toString()));
        JsonNode sfn = resource("aws_sfn_state_machine", "this");
        assertThat(sfn.path("for_each").fieldNames()).toIterable().containsExactlyInAnyOrder("pipeline", "restore", "fleet", "upgrade");
        assertThat(sfn.path("definition").asText())
                .isEqualTo("${templatefile(\"${path.module}/statemachine/${each.key}.asl.json\", local.template_values)}");
        assertThat(sfn.path("role_arn").asText()).as("the fleet's and the upgrade's own roles")
                .isEqualTo("${lookup({ fleet = aws_iam_role.fleet.arn, upgrade = aws_iam_role.upgrade.arn }, each.key, aws_iam_role.pipeline.arn)}");
        assertThat(sfn.at("/logging_configuration/0/level").asText()).isEqualTo("ALL");
        assertThat(sfn.at("/logging_configuration/0/include_execution_data").asBoolean()).isTrue();
        assertThat(sfn.at("/tracing_configuration/0/enabled").asBoolean()).isTrue();
        assertThat(templateValues.path("pipeline_arn").asText()).isEqualTo("${local.pipeline_arn}");
        for (String machine : List.of("pipeline", "restore", "fleet", "upgrade")) {
            String template = Files.readString(MODULE.resolve("statemachine").resolve(machine + ".asl.json"));
            Set<String> placeholders = new TreeSet<>();
            Matcher matcher = PLACEHOLDER.matcher(template);
            while (matcher.find()) {
                placeholders.add(matcher.group(1));
            }
            assertThat(provided).as("template_values covers %s's placeholders", machine).containsAll(placeholders);
            Map<String, String> values = new LinkedHashMap<>();
            for (String name : provided) {
                values.put(name, name.equals("notification_topic_arn") ? "arn:aws:sns:eu-west-1:123456789012:shop-sluice-notifications"
                        : name.equals("auto_approve_up_to") ? "0"
                        : name.equals("upgrade_approvals") ? "2"
                        : name.equals("pipeline_arn") ? "arn:aws:states:eu-west-1:123456789012:stateMachine:shop-sluice-pipeline"
                        : "arn:aws:lambda:eu-west-1:123456789012:function:shop-sluice-" + name.replace("_function_arn", "").replace('_', '-'));
            }
            Path rendered = Files.createTempFile(machine, ".asl.json");
            Files.writeString(rendered, Template.render(template, values));
            validate.add("--json-path");
            validate.add(rendered.toString());
        }
        assertThat(NodeTools.run(validate)).contains("is valid");
        assertThat(resource("aws_ssm_parameter", "canary").path("name").asText()).isEqualTo("${var.canary_parameter_name}");
        assertThat(templateValues.path("auto_approve_up_to").asText()).as("the deployment's approval limit, which no input raises")
                .isEqualTo("${tostring(var.auto_approve_up_to)}");
    }

    @Test
    void driftAndHealthRunOnASchedule_andTheirAlarmsWatchTheMetricsTheFunctionsEmit() {
        JsonNode schedule = resource("aws_scheduler_schedule", "check");
        assertThat(schedule.path("schedule_expression").asText()).isEqualTo("${each.value.schedule}");
        assertThat(schedule.path("for_each").asText()).isEqualTo("${local.enabled_checks}");
        // Parity runs only with another environment's database to compare with.
        assertThat(TerraformModule.local("enabled_checks").asText()).contains("if check != \"parity\" || var.parity_other_secret_arn != \"\"");
        assertThat(TerraformModule.local("parity_check_event").path("mode").asText()).isEqualTo("parity");
        assertThat(TerraformModule.local("parity_check_event").at("/other/secretArn").asText()).isEqualTo("${var.parity_other_secret_arn}");
        assertThat(schedule.at("/target/0/arn").asText()).isEqualTo("${aws_lambda_function.this[each.value.function].arn}");
        JsonNode checks = TerraformModule.local("scheduled_checks");
        assertThat(checks.fieldNames()).toIterable().containsExactly("drift", "health", "parity");
        assertThat(checks.at("/parity/function").asText()).isEqualTo("validate");
        assertThat(checks.at("/parity/schedule").asText()).isEqualTo("${var.parity_schedule}");
        assertThat(checks.at("/drift/schedule").asText()).isEqualTo("${var.drift_schedule}");
        assertThat(checks.at("/drift/function").asText()).isEqualTo("validate");
        assertThat(checks.at("/health/function").asText()).isEqualTo("health");
        assertThat(TerraformModule.local("drift_check_event").path("mode").asText()).isEqualTo("drift");
        assertThat(TerraformModule.local("health_check_event").path("deploymentId").asText()).isEqualTo("health-schedule");
        assertThat(block("data", "aws_iam_policy_document", "scheduler").at("/statement/0/resources").asText())
                .isEqualTo("${distinct([for check in values(local.enabled_checks) : aws_lambda_function.this[check.function].arn])}");
        JsonNode alarm = resource("aws_cloudwatch_metric_alarm", "check");
        assertThat(alarm.path("namespace").asText()).isEqualTo("Sluice");
        assertThat(alarm.path("metric_name").asText()).isEqualTo("${each.value.metric}");
        assertThat(alarm.path("for_each").asText())
                .isEqualTo("${{ for check, alarm in local.check_alarms : check => alarm if contains(keys(local.enabled_checks), check) }}");
        JsonNode checkAlarms = files.at("/alarms.tf/locals/0/check_alarms");
        assertThat(checkAlarms.at("/drift/metric").asText()).isEqualTo("DriftObjects");
        assertThat(checkAlarms.at("/drift/function").asText()).isEqualTo("validate");
        assertThat(checkAlarms.at("/parity/metric").asText()).isEqualTo("ParityDifferences");
        assertThat(checkAlarms.at("/parity/function").asText()).isEqualTo("validate");
        assertThat(checkAlarms.at("/health/metric").asText()).isEqualTo("HealthChecksDown");
        assertThat(checkAlarms.at("/health/function").asText()).isEqualTo("health");
        Map<String, String> stateMachineAlarms = new HashMap<>();
        files.at("/alarms.tf/locals/0/state_machine_alarms").fields().forEachRemaining(entry ->
                stateMachineAlarms.put(entry.getKey(), entry.getValue().path("machine").asText() + " " + entry.getValue().path("metric").asText()));
        assertThat(stateMachineAlarms).containsEntry("pipeline-failed", "pipeline ExecutionsFailed")
                .containsEntry("pipeline-timed-out", "pipeline ExecutionsTimedOut").containsEntry("restore-failed", "restore ExecutionsFailed")
                .containsEntry("fleet-stopped", "fleet ExecutionsFailed");
        assertThat(files.at("/alarms.tf/locals/0/function_alarms").asText()).contains("metric = \"Errors\"").contains("metric = \"Throttles\"")
                .contains("for handler, _ in local.functions");
        assertThat(files.at("/alarms.tf/locals/0/alarms").asText())
                .contains("StateMachineArn = aws_sfn_state_machine.this[alarm.machine].arn")
                .contains("FunctionName = aws_lambda_function.this[alarm.handler].function_name");
        assertThat(resource("aws_cloudwatch_metric_alarm", "this").path("for_each").asText()).isEqualTo("${local.alarms}");
        files.at("/alarms.tf/resource/aws_cloudwatch_metric_alarm").forEach(each -> assertThat(each.get(0).path("alarm_actions").get(0).asText())
                .isEqualTo("${aws_sns_topic.notifications.arn}"));
    }

    @Test
    void bundlesTopicAndApprovals_areEncryptedVersionedPrivate_andRecoverable() {
        assertThat(resource("aws_s3_bucket_versioning", "bundles").at("/versioning_configuration/0/status").asText()).isEqualTo("Enabled");
        JsonNode sse = resource("aws_s3_bucket_server_side_encryption_configuration", "bundles").at("/rule/0");
        assertThat(sse.at("/apply_server_side_encryption_by_default/0/sse_algorithm").asText()).isEqualTo("aws:kms");
        JsonNode block = resource("aws_s3_bucket_public_access_block", "bundles");
        for (String setting : List.of("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")) {
            assertThat(block.path(setting).asBoolean()).as(setting).isTrue();
        }
        JsonNode tlsOnly = block("data", "aws_iam_policy_document", "bundles").at("/statement/0");
        assertThat(tlsOnly.path("effect").asText()).isEqualTo("Deny");
        assertThat(tlsOnly.at("/condition/0/variable").asText()).isEqualTo("aws:SecureTransport");
        assertThat(tlsOnly.at("/condition/0/values/0").asText()).isEqualTo("false");
        JsonNode approvals = resource("aws_dynamodb_table", "approvals");
        assertThat(approvals.path("hash_key").asText()).isEqualTo("execution");
        assertThat(approvals.path("range_key").asText()).isEqualTo("entry");
        assertThat(approvals.at("/point_in_time_recovery/0/enabled").asBoolean()).isTrue();
        assertThat(approvals.at("/server_side_encryption/0/enabled").asBoolean()).isTrue();
        assertThat(resource("aws_sns_topic", "notifications").path("kms_master_key_id").asText()).isEqualTo("${aws_kms_key.this.arn}");
        assertThat(resource("aws_kms_key", "this").path("enable_key_rotation").asBoolean()).isTrue();
    }

    @Test
    void everyCheckovSkip_givesAReason() throws Exception {
        Pattern skip = Pattern.compile("#checkov:skip=(CKV2?_AWS_\\d+)(:?)(.*)");
        try (Stream<Path> tf = Files.list(MODULE)) {
            for (Path file : tf.filter(path -> path.toString().endsWith(".tf")).toList()) {
                for (Iterator<String> lines = Files.readAllLines(file).iterator(); lines.hasNext();) {
                    Matcher matcher = skip.matcher(lines.next());
                    if (matcher.find()) {
                        assertThat(matcher.group(3).trim()).as("%s skips %s", file, matcher.group(1)).hasSizeGreaterThan(40);
                    }
                }
            }
        }
    }
}
