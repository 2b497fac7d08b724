# The drift check on a schedule (and, optional, the parity check against another environment's database): validate in drift mode against the database; it publishes drift-found (SNS) and its
# DriftObjects metric when objects changed outside migrations, and the drift alarm (alarms.tf) watches the metric.
# On the same schedule the health function reads the database's health (SmallRye Health's document in its log and
# result); its HealthChecksDown metric feeds the health alarm.
# The scheduler invokes the function asynchronously: Lambda tries a failed check twice more, then puts its event in
# the failed-invocations queue; an event the scheduler cannot deliver goes there too.

locals {
  # The event the schedule sends, as validate reads it.
  drift_check_event = {
    deploymentId = "drift-schedule"
    mode         = "drift"
    database     = { secretArn = local.database_secret_arns[0] }
    schema       = var.drift_schema
  }
  # The event the health schedule sends, as health reads it.
  health_check_event = {
    deploymentId = "health-schedule"
    database     = { secretArn = local.database_secret_arns[0] }
    schema       = var.drift_schema
  }
  # The parity check (parity_other_secret_arn set): this database, the reference, against another environment's.
  parity_check_event = {
    deploymentId = "parity-schedule"
    mode         = "parity"
    database     = { secretArn = local.database_secret_arns[0] }
    other        = { secretArn = var.parity_other_secret_arn }
    schema       = var.drift_schema
  }
  # The checks on the schedule: the function each invokes, the event it sends, and when.
  scheduled_checks = {
    drift  = { function = "validate", event = local.drift_check_event, schedule = var.drift_schedule }
    health = { function = "health", event = local.health_check_event, schedule = var.drift_schedule }
    parity = { function = "validate", event = local.parity_check_event, schedule = var.parity_schedule }
  }
  # Parity only with another environment's database to compare with.
  enabled_checks = { for check, value in local.scheduled_checks : check => value if check != "parity" || var.parity_other_secret_arn != "" }
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "InvokeTheChecks"
    actions   = ["lambda:InvokeFunction"]
    resources = distinct([for check in values(local.enabled_checks) : aws_lambda_function.this[check.function].arn])
  }

  # The schedule is encrypted with Sluice's key: reading its own input needs it, and so does the encrypted queue.
  statement {
    sid       = "SluiceKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.this.arn]
  }

  statement {
    sid       = "DeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.failed_invocations.arn]
  }
}

resource "aws_iam_role" "scheduler" {
  name               = "${var.name}-drift-schedule"
  assume_role_policy = data.aws_iam_policy_document.assume["scheduler"].json
  tags               = local.tags
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "sluice-drift-schedule"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_scheduler_schedule" "check" {
  for_each            = local.enabled_checks
  name                = "${var.name}-${each.key}-check"
  description         = "Sluice ${each.key} check of ${local.database_identifier}"
  schedule_expression = each.value.schedule
  kms_key_arn         = aws_kms_key.this.arn

  flexible_time_window {
    mode                      = "FLEXIBLE"
    maximum_window_in_minutes = 5
  }

  target {
    arn      = aws_lambda_function.this[each.value.function].arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode(each.value.event)

    retry_policy {
      maximum_retry_attempts       = 2
      maximum_event_age_in_seconds = 3600
    }

    dead_letter_config {
      arn = aws_sqs_queue.failed_invocations.arn
    }
  }
}

# The drift schedule was a resource of its own: existing deployments keep it under its new address.
moved {
  from = aws_scheduler_schedule.drift
  to   = aws_scheduler_schedule.check["drift"]
}
