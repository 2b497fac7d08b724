# One role per function with only the actions its adapters call (README: "IAM actions each function needs"), on the
# resources it needs; the state machines' roles; every policy an aws_iam_policy_document.

locals {
  database_arn          = "arn:${local.partition}:rds:${local.region}:${local.account}:db:${local.database_identifier}"
  restored_database_arn = "arn:${local.partition}:rds:${local.region}:${local.account}:db:${local.database_identifier}-restored-*"
  sluice_snapshots_arn  = "arn:${local.partition}:rds:${local.region}:${local.account}:snapshot:sluice-${local.database_identifier}-*"
  subnet_group_arn      = "arn:${local.partition}:rds:${local.region}:${local.account}:subgrp:${aws_db_subnet_group.this.name}"
  parameter_group_arn   = "arn:${local.partition}:rds:${local.region}:${local.account}:pg:${aws_db_parameter_group.this.name}"
  option_group_arn      = "arn:${local.partition}:rds:${local.region}:${local.account}:og:*"
  # Blue/Green: its deployments, and the instances RDS makes and renames for it under names of its own (AWS allows no
  # partial pattern for them: only db:*).
  blue_green_arn = "arn:${local.partition}:rds:${local.region}:${local.account}:deployment:*"
  # The module's parameter groups (name_prefix <name>-postgres<major>-): the live one and the upgrade's target.
  module_param_groups_arn = "arn:${local.partition}:rds:${local.region}:${local.account}:pg:${var.name}-postgres*"
  any_database_arn        = "arn:${local.partition}:rds:${local.region}:${local.account}:db:*"
  any_param_group_arn     = "arn:${local.partition}:rds:${local.region}:${local.account}:pg:*"
  # Which adapters each handler uses.
  reads_database = toset(["migrate", "validate", "rollback", "canary-check", "health", "upgrade"])
  reads_bundles  = toset(["migrate", "validate", "rollback"])
  publishes      = toset(["validate", "rollback"])
  # Whose calls make RDS create an instance encrypted with Sluice's key: a snapshot's restore, a Blue/Green green.
  rds_creates_encrypted = toset(["rollback", "upgrade"])
  # Who reads the master secret's rotation schedule: upgrade readiness (validate) and the switchover (upgrade).
  rotation_readers = toset(["validate", "upgrade"])
  # The secrets each function reads, by ARN: the database's (up to 20; a larger fleet's by tag, TaggedDatabaseSecrets),
  # the scratch server's, the parity database's (validate), the probe role's and the scratch role's.
  secrets_read = { for handler, _ in local.functions : handler => !contains(local.reads_database, handler) ? [] : concat(
    length(var.database_secret_arns) > 20 ? [] : local.database_secret_arns, compact([local.scratch_secret_arn]),
    handler == "validate" ? local.parity_secret_arns : [],
    contains(local.probe_runners, handler) ? [aws_secretsmanager_secret.own_roles["probe"].arn] : [],
  contains(local.scratch_workers, handler) ? compact([local.scratch_role_secret_arn]) : []) }
}

# Who may assume each role: the service, and for services acting on the account's behalf only from this account.
data "aws_iam_policy_document" "assume" {
  for_each = {
    lambda     = { service = "lambda.amazonaws.com", account_bound = false }
    monitoring = { service = "monitoring.rds.amazonaws.com", account_bound = false }
    states     = { service = "states.amazonaws.com", account_bound = true }
    scheduler  = { service = "scheduler.amazonaws.com", account_bound = true }
  }

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = [each.value.service]
    }

    dynamic "condition" {
      for_each = each.value.account_bound ? [local.account] : []
      content {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_iam_role" "function" {
  for_each           = local.functions
  name               = "${local.function_name[each.key]}-function"
  assume_role_policy = data.aws_iam_policy_document.assume["lambda"].json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "function_vpc" {
  for_each   = local.functions
  role       = aws_iam_role.function[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

data "aws_iam_policy_document" "function" {
  for_each = local.functions

  statement {
    sid       = "OwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.functions[each.key].arn}:*"]
  }

  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  # The key of everything Sluice keeps: the environment, the database secret, the topic, the approvals table, the
  # reports, the dead-letter queue.
  statement {
    sid       = "SluiceKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = [aws_kms_key.this.arn]
  }

  # Lambda sends the event of an asynchronous invocation that failed every try with the function's role.
  statement {
    sid       = "DeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.failed_invocations.arn]
  }

  dynamic "statement" {
    for_each = length(local.secrets_read[each.key]) > 0 ? [1] : []
    content {
      sid       = "DatabaseSecret"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.secrets_read[each.key]
    }
  }

  # The lists object (functions.tf): every function reads it at its first event.
  statement {
    sid       = "DeploymentLists"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.bundles.arn}/config/*"]
  }

  # A fleet's secrets beyond 20 are granted by their tag (sluice:deployment = name) rather than one ARN each: 500
  # ARNs would pass IAM's 10,240 characters of a role's inline policies. The lists object still names each one an
  # event may use, so a tagged secret that is not listed is refused.
  dynamic "statement" {
    for_each = contains(local.reads_database, each.key) && length(var.database_secret_arns) > 20 ? [1] : []
    content {
      sid       = "TaggedDatabaseSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = ["arn:${local.partition}:secretsmanager:${local.region}:${local.account}:secret:*"]

      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/sluice:deployment"
        values   = [var.name]
      }
    }
  }

  # Upgrade readiness and the switchover read the master secret's rotation (a rotation does not reach green).
  dynamic "statement" {
    for_each = contains(local.rotation_readers, each.key) ? [1] : []
    content {
      sid       = "MasterSecretRotation"
      actions   = ["secretsmanager:DescribeSecret"]
      resources = [local.master_secret_arn]
    }
  }

  dynamic "statement" {
    for_each = contains(local.reads_bundles, each.key) ? [1] : []
    content {
      sid       = "MigrationBundles"
      actions   = ["s3:GetObject"]
      resources = ["${aws_s3_bucket.bundles.arn}/releases/*"]
    }
  }

  dynamic "statement" {
    for_each = contains(local.reads_database, each.key) ? [1] : []
    content {
      sid       = "FullReports"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.bundles.arn}/reports/*"]
    }
  }

  dynamic "statement" {
    for_each = contains(local.publishes, each.key) ? [1] : []
    content {
      sid       = "Notifications"
      actions   = ["sns:Publish"]
      resources = [aws_sns_topic.notifications.arn]
    }
  }


  dynamic "statement" {
    for_each = each.key == "migrate" ? [1] : []
    content {
      sid       = "PreChangeSnapshot"
      actions   = ["rds:CreateDBSnapshot", "rds:AddTagsToResource"]
      resources = [local.database_arn, local.sluice_snapshots_arn]
    }
  }

  dynamic "statement" {
    for_each = each.key == "rollback" ? [1] : []
    content {
      sid       = "FindTheSnapshot"
      actions   = ["rds:DescribeDBSnapshots", "rds:DescribeDBInstances", "rds:ListTagsForResource"]
      resources = [local.database_arn, local.restored_database_arn, local.sluice_snapshots_arn]
    }
  }

  dynamic "statement" {
    for_each = each.key == "rollback" ? [1] : []
    content {
      sid     = "RestoreTheSnapshot"
      actions = ["rds:RestoreDBInstanceFromDBSnapshot", "rds:AddTagsToResource"]
      resources = [local.restored_database_arn, local.sluice_snapshots_arn, local.subnet_group_arn, local.parameter_group_arn,
      local.option_group_arn]
    }
  }

  # What RDS makes for these functions is encrypted with Sluice's key (a restored snapshot's instance, a Blue/Green
  # deployment's green): RDS creates a grant on the key for it, as the caller.
  dynamic "statement" {
    for_each = contains(local.rds_creates_encrypted, each.key) ? [1] : []
    content {
      sid       = "EncryptedByRds"
      actions   = ["kms:CreateGrant"]
      resources = [aws_kms_key.this.arn]

      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }

  dynamic "statement" {
    for_each = contains(local.rds_creates_encrypted, each.key) ? [1] : []
    content {
      sid       = "DescribeTheKeyThroughRds"
      actions   = ["kms:DescribeKey"]
      resources = [aws_kms_key.this.arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["rds.${local.region}.amazonaws.com"]
      }
    }
  }

  dynamic "statement" {
    for_each = each.key == "validate" ? [1] : []
    content {
      sid       = "UpgradeReadiness"
      actions   = ["rds:DescribeDBInstances"]
      resources = [local.database_arn]
    }
  }

  # The upgrade function's Blue/Green calls, and what AWS documents RDS does with the caller's permissions on its behalf:
  # green made as a read replica (create), promoted and renamed (switchover), deleted with its deployment before one.
  # CreateBlueGreenDeployment authorises the target parameter group it names too (resource type pg): the module's own.
  dynamic "statement" {
    for_each = each.key == "upgrade" ? [1] : []
    content {
      sid       = "BlueGreenDeployments"
      actions   = ["rds:CreateBlueGreenDeployment", "rds:DescribeBlueGreenDeployments", "rds:SwitchoverBlueGreenDeployment", "rds:DeleteBlueGreenDeployment", "rds:AddTagsToResource"]
      resources = [local.blue_green_arn, local.database_arn, local.module_param_groups_arn]
    }
  }

  dynamic "statement" {
    for_each = each.key == "upgrade" ? [1] : []
    content {
      sid       = "GreenByRds"
      actions   = ["rds:DescribeDBInstances", "rds:CreateDBInstanceReadReplica", "rds:PromoteReadReplica", "rds:ModifyDBInstance", "rds:DeleteDBInstance"]
      resources = [local.any_database_arn, local.any_param_group_arn, local.subnet_group_arn, local.option_group_arn]
    }
  }

  # The switchover's approval: its upgrade execution, running, and the ledger's decision on it.
  dynamic "statement" {
    for_each = each.key == "upgrade" ? [1] : []
    content {
      sid       = "ReadTheUpgrade"
      actions   = ["states:DescribeExecution"]
      resources = [local.upgrade_executions]
    }
  }

  dynamic "statement" {
    for_each = each.key == "upgrade" ? [1] : []
    content {
      sid       = "UpgradeApprovals"
      actions   = ["dynamodb:Query", "dynamodb:GetItem"]
      resources = [aws_dynamodb_table.approvals.arn]
    }
  }

  dynamic "statement" {
    for_each = each.key == "canary-check" ? [1] : []
    content {
      sid       = "ApplicationMetrics"
      actions   = ["cloudwatch:GetMetricData"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = each.key == "approve" ? [1] : []
    content {
      sid       = "ApprovalVotes"
      actions   = ["dynamodb:PutItem", "dynamodb:Query", "dynamodb:GetItem", "dynamodb:ConditionCheckItem"]
      resources = [aws_dynamodb_table.approvals.arn]
    }
  }

  dynamic "statement" {
    for_each = each.key == "start" ? [1] : []
    content {
      sid       = "RecordTheStarter"
      actions   = ["dynamodb:PutItem"]
      resources = [aws_dynamodb_table.approvals.arn]
    }
  }

  dynamic "statement" {
    for_each = each.key == "start" ? [1] : []
    content {
      sid       = "StartThePipeline"
      actions   = ["states:StartExecution"]
      resources = [local.pipeline_arn, local.fleet_arn, local.upgrade_arn]
    }
  }

  dynamic "statement" {
    for_each = each.key == "fleet" ? [1] : []
    content {
      sid       = "FleetObjects"
      actions   = ["s3:GetObject", "s3:PutObject"]
      resources = ["${aws_s3_bucket.bundles.arn}/fleet/*"]
    }
  }

  dynamic "statement" {
    for_each = each.key == "fleet" ? [1] : []
    content {
      sid       = "ListFleetResults"
      actions   = ["s3:ListBucket"]
      resources = [aws_s3_bucket.bundles.arn]

      condition {
        test     = "StringLike"
        variable = "s3:prefix"
        values   = ["fleet/*"]
      }
    }
  }

  dynamic "statement" {
    for_each = each.key == "fleet" ? [1] : []
    content {
      sid       = "FleetManifests"
      actions   = ["s3:GetObject"]
      resources = concat(["${aws_s3_bucket.bundles.arn}/manifests/*"], var.fleet_manifest_arns)
    }
  }

  dynamic "statement" {
    for_each = each.key == "fleet" ? [1] : []
    content {
      sid       = "ReadTheFleet"
      actions   = ["states:DescribeExecution"]
      resources = local.fleet_executions
    }
  }

  dynamic "statement" {
    for_each = each.key == "fleet" ? [1] : []
    content {
      sid       = "FleetApprovals"
      actions   = ["dynamodb:Query", "dynamodb:GetItem"]
      resources = [aws_dynamodb_table.approvals.arn]
    }
  }


  dynamic "statement" {
    for_each = each.key == "approve" ? [1] : []
    content {
      sid       = "ReadTheExecution"
      actions   = ["states:DescribeExecution", "states:GetExecutionHistory"]
      resources = concat([local.pipeline_executions, local.upgrade_executions], local.fleet_executions)
    }
  }

  dynamic "statement" {
    for_each = each.key == "approve" ? [1] : []
    content {
      sid       = "AnswerTheExecution"
      actions   = ["states:SendTaskSuccess", "states:SendTaskFailure"]
      resources = [local.pipeline_arn, local.fleet_arn, local.upgrade_arn]
    }
  }
}

resource "aws_iam_role_policy" "function" {
  for_each = local.functions
  name     = "sluice-${each.key}"
  role     = aws_iam_role.function[each.key].id
  policy   = data.aws_iam_policy_document.function[each.key].json
}

# The state machines: invoke the functions, publish, set the canary parameter, log and trace.

# What every state machine does: deliver its execution logs and traces, and publish to the encrypted topic.
data "aws_iam_policy_document" "state_machine_common" {
  statement {
    sid = "ExecutionLogs"
    actions = ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"]
    resources = ["*"]
  }

  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
    resources = ["*"]
  }

  statement {
    sid       = "Notify"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.notifications.arn]
  }

  statement {
    sid       = "SluiceKey"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
  }
}

data "aws_iam_policy_document" "pipeline" {
  source_policy_documents = [data.aws_iam_policy_document.state_machine_common.json]

  statement {
    sid       = "InvokeFunctions"
    actions   = ["lambda:InvokeFunction"]
    resources = [for handler in ["migrate", "validate", "rollback", "canary-check", "fleet"] : aws_lambda_function.this[handler].arn]
  }

  statement {
    sid       = "CanaryShare"
    actions   = ["ssm:PutParameter"]
    resources = [aws_ssm_parameter.canary.arn]
  }

}

resource "aws_iam_role" "pipeline" {
  name               = "${var.name}-state-machines"
  assume_role_policy = data.aws_iam_policy_document.assume["states"].json
  tags               = local.tags
}

resource "aws_iam_role_policy" "pipeline" {
  name   = "sluice-state-machines"
  role   = aws_iam_role.pipeline.id
  policy = data.aws_iam_policy_document.pipeline.json
}

# What calling a function URL with AWS_IAM auth takes: lambda:InvokeFunctionUrl, and (since October 2025) lambda:InvokeFunction
# only as a function URL invocation, so the holder cannot invoke the function directly with a request context of its
# making. Approvers get approve's (output approver_policy_json), the deploy role start's.
data "aws_iam_policy_document" "url_caller" {
  for_each = local.url_functions

  statement {
    sid       = "CallTheUrl"
    actions   = ["lambda:InvokeFunctionUrl"]
    resources = [aws_lambda_function.this[each.key].arn]

    condition {
      test     = "StringEquals"
      variable = "lambda:FunctionUrlAuthType"
      values   = ["AWS_IAM"]
    }
  }

  statement {
    sid       = "InvokeOnlyThroughTheUrl"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.this[each.key].arn]

    condition {
      test     = "Bool"
      variable = "lambda:InvokedViaFunctionUrl"
      values   = ["true"]
    }
  }
}

# The fleet: invoke its function, the validate function (the fleet's preflight) and rollback (a stopped wave's); start and
# watch the pipeline's executions (startExecution.sync:2, through the managed EventBridge rule); run its Distributed Maps'
# child executions; read its waves and write their results in the bundle bucket; publish; log and trace.

data "aws_iam_policy_document" "fleet" {
  source_policy_documents = [data.aws_iam_policy_document.state_machine_common.json]

  statement {
    sid       = "InvokeFunctions"
    actions   = ["lambda:InvokeFunction"]
    resources = [for handler in ["fleet", "validate", "rollback"] : aws_lambda_function.this[handler].arn]
  }

  statement {
    sid       = "StartPipelines"
    actions   = ["states:StartExecution"]
    resources = [local.pipeline_arn]
  }

  statement {
    sid       = "WatchPipelines"
    actions   = ["states:DescribeExecution", "states:StopExecution"]
    resources = [local.pipeline_executions]
  }

  statement {
    sid       = "SyncEvents"
    actions   = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
    resources = ["arn:${local.partition}:events:${local.region}:${local.account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"]
  }

  statement {
    sid       = "MapRuns"
    actions   = ["states:StartExecution"]
    resources = [local.fleet_arn]
  }

  statement {
    sid       = "MapRunChildren"
    actions   = ["states:DescribeExecution", "states:StopExecution"]
    resources = local.fleet_executions
  }

  # ResultWriter writes a large result in parts: what AWS's own constructs grant it (ListMultipartUploadParts,
  # AbortMultipartUpload) beside the reads and writes of the waves.
  statement {
    sid       = "WavesAndResults"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.bundles.arn}/fleet/*"]
  }

  statement {
    sid       = "ListResults"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.bundles.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["fleet/*"]
    }
  }

}

resource "aws_iam_role" "fleet" {
  name               = "${var.name}-fleet"
  assume_role_policy = data.aws_iam_policy_document.assume["states"].json
  tags               = local.tags
}

resource "aws_iam_role_policy" "fleet" {
  name   = "sluice-fleet"
  role   = aws_iam_role.fleet.id
  policy = data.aws_iam_policy_document.fleet.json
}

# The engine upgrade: invoke the validate (readiness), canary-check (windows) and upgrade functions; publish; log and
# trace. Its Blue/Green calls are the upgrade function's, under that function's role.

data "aws_iam_policy_document" "upgrade" {
  source_policy_documents = [data.aws_iam_policy_document.state_machine_common.json]

  statement {
    sid       = "InvokeFunctions"
    actions   = ["lambda:InvokeFunction"]
    resources = [for handler in ["validate", "canary-check", "upgrade"] : aws_lambda_function.this[handler].arn]
  }
}

resource "aws_iam_role" "upgrade" {
  name               = "${var.name}-upgrade"
  assume_role_policy = data.aws_iam_policy_document.assume["states"].json
  tags               = local.tags
}

resource "aws_iam_role_policy" "upgrade" {
  name   = "sluice-upgrade"
  role   = aws_iam_role.upgrade.id
  policy = data.aws_iam_policy_document.upgrade.json
}

# What a role that plans this module (terraform plan, the terraform workflow's AWS_PLAN_ROLE_ARN) needs beyond AWS's
# ReadOnlyAccess: the random passwords the module generates (read at every plan), the module's secrets and their key
# (the master and role secrets it writes), and the master rotation application (the Serverless Application
# Repository application and the CloudFormation stack it deploys). Output plan_policy_json.
data "aws_iam_policy_document" "plan" {
  statement {
    sid       = "RandomPasswords"
    actions   = ["secretsmanager:GetRandomPassword"]
    resources = ["*"]
  }

  statement {
    sid       = "ModuleSecrets"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"]
    resources = ["arn:${local.partition}:secretsmanager:${local.region}:${local.account}:secret:${var.name}/*"]
  }

  statement {
    sid       = "ModuleKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]
  }

  statement {
    sid       = "RotationApplication"
    actions   = ["serverlessrepo:GetApplication", "serverlessrepo:GetCloudFormationTemplate"]
    resources = ["arn:${local.partition}:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser"]
  }

  statement {
    sid       = "RotationStack"
    actions   = ["cloudformation:DescribeStacks", "cloudformation:GetTemplate", "cloudformation:ListStackResources"]
    resources = ["arn:${local.partition}:cloudformation:${local.region}:${local.account}:stack/serverlessrepo-${var.name}-master-rotation/*"]
  }
}
