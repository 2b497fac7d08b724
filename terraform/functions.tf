# One function per handler, all from the same native artifact (provided.al2023); QUARKUS_LAMBDA_HANDLER picks the
# handler. Each has its own role (iam.tf), its own log group, X-Ray tracing, the VPC and the functions' security group,
# and the dead-letter queue for asynchronous invocations (the drift schedule's) that fail every try. The artifact goes
# through the bundle bucket: a zip uploaded directly is capped at 50 MB, one in S3 at 250 MB unpacked.

resource "aws_cloudwatch_log_group" "functions" {
  for_each          = local.functions
  name              = "/aws/lambda/${local.function_name[each.key]}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
  tags              = local.tags
}

resource "aws_s3_object" "function" {
  bucket      = aws_s3_bucket.bundles.id
  key         = "functions/sluice-${filesha256(var.function_zip)}.zip"
  source      = var.function_zip
  source_hash = filesha256(var.function_zip)
  kms_key_id  = aws_kms_key.this.arn
  tags        = local.tags
}

# The deployment's lists (the secrets an event may name, the approvers), which grow with a fleet past Lambda's 4 KB
# environment (at 22 secrets of 106 characters): an object in the bundle bucket under a key of its own SHA-256, which
# the environment names with that digest. A function refuses every event when the object is not the one its
# environment names; nobody who may only write the bucket can widen a list.
locals {
  deployment_lists = jsonencode({
    databaseSecrets = local.database_secret_arns
    paritySecrets   = local.parity_secret_arns
    approvers       = [for principal, name in var.approvers : "${principal}=${name}"]
  })
  deployment_lists_sha256 = sha256(local.deployment_lists)
}

resource "aws_s3_object" "deployment_lists" {
  bucket       = aws_s3_bucket.bundles.id
  key          = "config/lists-${local.deployment_lists_sha256}.json"
  content      = local.deployment_lists
  content_type = "application/json"
  kms_key_id   = aws_kms_key.this.arn
  tags         = local.tags
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_272:The artifact is built, hashed (source_code_hash) and deployed by CI from one commit; there is no code-signing profile in this account
  for_each      = local.functions
  function_name = local.function_name[each.key]
  description   = "Sluice ${each.key}"
  role          = aws_iam_role.function[each.key].arn

  s3_bucket         = aws_s3_object.function.bucket
  s3_key            = aws_s3_object.function.key
  s3_object_version = aws_s3_object.function.version_id
  source_code_hash  = filebase64sha256(var.function_zip)
  runtime           = "provided.al2023"
  handler           = "bootstrap"
  architectures     = [var.function_architecture]
  memory_size       = lookup(var.function_memory_mb, each.key, 512)
  timeout           = each.value.timeout

  # The embedded scratch PostgreSQL unpacks its binaries (about 60 MB) and keeps its data (scratch databases up to
  # scratch_max_size each) in the temporary storage of the functions that do scratch work.
  ephemeral_storage {
    size = contains(local.scratch_workers, each.key) && var.scratch_isolation == "embedded" ? 2048 : 512
  }

  reserved_concurrent_executions = var.function_reserved_concurrency ? each.value.reserved : null
  kms_key_arn                    = aws_kms_key.this.arn

  # RDS's managed master secret holds only username and password: the host, port and database come from here, and the
  # connection is verified against the RDS CA bundle the native build puts at the root of function.zip.
  environment {
    variables = {
      QUARKUS_LAMBDA_HANDLER            = each.key
      SLUICE_AWS_NOTIFICATION_TOPIC_ARN = aws_sns_topic.notifications.arn
      SLUICE_AWS_APPROVALS_TABLE        = aws_dynamodb_table.approvals.name
      SLUICE_AWS_REPORTS_BUCKET         = aws_s3_bucket.bundles.id
      # The instance's host, port and database, for its own secrets only (the master secret, the roles'): any other
      # secret names its host.
      SLUICE_AWS_DATABASE_SECRET_ARN    = local.master_secret_arn
      SLUICE_AWS_DATABASE_HOST          = aws_db_instance.this.address
      SLUICE_AWS_DATABASE_PORT          = aws_db_instance.this.port
      SLUICE_AWS_DATABASE_NAME          = aws_db_instance.this.db_name
      SLUICE_AWS_DATABASE_SSL_MODE      = "verify-full"
      SLUICE_AWS_DATABASE_SSL_ROOT_CERT = "$${LAMBDA_TASK_ROOT}/rds-global-bundle.pem"
      # Events name the database by the secrets of the lists object only (validate: the parity database's too); a URL
      # with credentials in an event is refused. The approvers are its approvers list.
      SLUICE_AWS_LISTS_OBJECT  = aws_s3_object.deployment_lists.key
      SLUICE_AWS_LISTS_SHA256  = local.deployment_lists_sha256
      SLUICE_AWS_LISTS_SECRETS = each.key == "validate" ? "databaseSecrets,paritySecrets" : "databaseSecrets"
      # Where scratch work runs (scratch_isolation), bounded; the scratch server's secret (server), the scratch role's (role).
      SLUICE_SCRATCH_ISOLATION           = var.scratch_isolation
      SLUICE_SCRATCH_MAX_SIZE            = var.scratch_max_size
      SLUICE_SCRATCH_EXTENSIONS          = join(",", var.scratch_extensions)
      SLUICE_DATABASE_SCRATCH_SECRET_ARN = local.scratch_secret_arn
      SLUICE_DATABASE_SCRATCH_HOST       = local.scratch_host
      SLUICE_SCRATCH_ROLE_SECRET_ARN     = local.scratch_role_secret_arn
      # What probes and check-green's plans run as on the live database: the probe role, its password in this secret
      # (read by the functions that run them only: iam.tf).
      SLUICE_PROBE_SECRET_ARN = aws_secretsmanager_secret.own_roles["probe"].arn
      # What start starts, and who approve counts as an approver.
      SLUICE_AWS_PIPELINE_ARN = local.pipeline_arn
      SLUICE_AWS_FLEET_ARN    = local.fleet_arn
      # A fleet's waves run no more pipelines at once than the reservations let run (fleet only).
      SLUICE_AWS_FLEET_MAX_CONCURRENCY = each.key == "fleet" ? local.fleet_max_concurrency : ""
      SLUICE_AWS_UPGRADE_ARN           = local.upgrade_arn
      # The one instance upgrade readiness reads and the upgrade function makes Blue/Green deployments of.
      SLUICE_AWS_RDS_INSTANCE = local.database_identifier
      # The engine the module declares (readiness refuses an upgrade of an instance that runs another), and the next
      # engine's parameter group, which the upgrade gives green when its input names none.
      SLUICE_AWS_DATABASE_ENGINE_VERSION        = var.database_engine_version
      SLUICE_AWS_UPGRADE_TARGET_ENGINE_VERSION  = var.upgrade_target_engine_version
      SLUICE_AWS_UPGRADE_TARGET_PARAMETER_GROUP = local.upgrade_target_parameter_group
    }
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.failed_invocations.arn
  }

  tracing_config {
    mode = "Active"
  }

  vpc_config {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [aws_security_group.functions.id]
  }

  # Lambda checks at creation that the role may create network interfaces (VPC) and send to the dead-letter queue.
  depends_on = [aws_cloudwatch_log_group.functions, aws_iam_role_policy.function, aws_iam_role_policy_attachment.function_vpc]
  tags       = local.tags
}

# Asynchronous invocations (the drift schedule's): two more tries for a transient failure, then the dead-letter queue.
resource "aws_lambda_function_event_invoke_config" "this" {
  for_each                     = local.functions
  function_name                = aws_lambda_function.this[each.key].function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600
}

# approve and start answer their function URLs only, with AWS_IAM auth: AWS signs the caller's principal into the
# request, which is who votes or who starts (no field of the body says it). Nothing in this module grants
# lambda:InvokeFunction on them otherwise: approvers get data.aws_iam_policy_document.url_caller["approve"] (output
# approver_policy_json), the deploy role the same for start.
resource "aws_lambda_function_url" "this" {
  for_each           = local.url_functions
  function_name      = aws_lambda_function.this[each.key].function_name
  authorization_type = "AWS_IAM"

  lifecycle {
    precondition {
      condition     = !contains(local.regions_without_function_urls, local.region)
      error_message = "Lambda has no function URLs in ${local.region} (nor in ${join(", ", local.regions_without_function_urls)}), and approve and start are called through theirs: deploy Sluice in another region."
    }
  }
}
