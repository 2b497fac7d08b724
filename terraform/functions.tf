# One function per handler, all from the same native artifact (provided.al2023); QUARKUS_LAMBDA_HANDLER picks the
# handler. Each has its own role (iam.tf), its own log group, X-Ray tracing, a reserved concurrency, the VPC and the
# functions' security group (the AWS APIs through the VPC endpoints).

resource "aws_cloudwatch_log_group" "functions" {
  for_each          = local.functions
  name              = "/aws/lambda/${local.function_name[each.key]}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
  tags              = local.tags
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:Every invocation is synchronous (Step Functions, the scheduler's retry policy, operators); a dead-letter queue only receives failed asynchronous events
  #checkov:skip=CKV_AWS_272:The artifact is built, hashed (source_code_hash) and deployed by CI from one commit; there is no code-signing profile in this account
  for_each      = local.functions
  function_name = local.function_name[each.key]
  description   = "Sluice ${each.key}"
  role          = aws_iam_role.function[each.key].arn

  filename         = var.function_zip
  source_code_hash = filebase64sha256(var.function_zip)
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = [var.function_architecture]
  memory_size      = lookup(var.function_memory_mb, each.key, 512)
  timeout          = each.value.timeout

  reserved_concurrent_executions = each.value.reserved
  kms_key_arn                    = aws_kms_key.this.arn

  environment {
    variables = {
      QUARKUS_LAMBDA_HANDLER            = each.key
      SLUICE_AWS_NOTIFICATION_TOPIC_ARN = aws_sns_topic.notifications.arn
      SLUICE_AWS_APPROVALS_TABLE        = aws_dynamodb_table.approvals.name
      SLUICE_AWS_DATABASE_SSL_MODE      = "verify-full"
    }
  }

  tracing_config {
    mode = "Active"
  }

  vpc_config {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [aws_security_group.functions.id]
  }

  depends_on = [aws_cloudwatch_log_group.functions]
  tags       = local.tags
}
