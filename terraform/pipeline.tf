# The release pipeline, the restore workflow, the fleet and the engine upgrade, rendered from the definitions the local runner executes and the
# tests check (statemachine/*.asl.json), with full execution logging and X-Ray tracing; and the canary parameter the
# pipeline moves (5, 25, 50, 100; 0 on rollback).

resource "aws_cloudwatch_log_group" "state_machines" {
  name              = "/aws/vendedlogs/states/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
  tags              = local.tags
}

resource "aws_sfn_state_machine" "this" {
  for_each = { pipeline = local.pipeline_name, restore = local.restore_name, fleet = local.fleet_name, upgrade = local.upgrade_name }
  name     = each.value
  # The fleet has a role of its own (iam.tf): it may start and watch the pipeline's executions, read its waves and
  # write their results; so has the engine upgrade, which invokes the upgrade function.
  role_arn   = lookup({ fleet = aws_iam_role.fleet.arn, upgrade = aws_iam_role.upgrade.arn }, each.key, aws_iam_role.pipeline.arn)
  definition = templatefile("${path.module}/statemachine/${each.key}.asl.json", local.template_values)

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.state_machines.arn}:*"
    include_execution_data = true
    level                  = "ALL"
  }

  tracing_configuration {
    enabled = true
  }

  encryption_configuration {
    type                              = "CUSTOMER_MANAGED_KMS_KEY"
    kms_key_id                        = aws_kms_key.this.arn
    kms_data_key_reuse_period_seconds = 300
  }

  tags = local.tags
}

resource "aws_ssm_parameter" "canary" {
  #checkov:skip=CKV2_AWS_34:The share of traffic on the new release (0-100) is not a secret; the pipeline writes it as a String
  name        = var.canary_parameter_name
  description = "Share of traffic on the new release, in percent; set by the ${local.pipeline_name} state machine"
  type        = "String"
  value       = "0"

  lifecycle {
    ignore_changes = [value]
  }

  tags = local.tags
}
