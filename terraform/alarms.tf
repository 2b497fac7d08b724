# Alarms to the notification topic: a failed or timed-out pipeline execution, drift found by the schedule, and errors
# or throttles of any function.

resource "aws_cloudwatch_metric_alarm" "pipeline_failed" {
  for_each            = { pipeline = aws_sfn_state_machine.pipeline.arn, restore = aws_sfn_state_machine.restore.arn }
  alarm_name          = "${var.name}-${each.key}-failed"
  alarm_description   = "A ${each.key} execution failed, timed out or was aborted: see its execution history"
  namespace           = "AWS/States"
  metric_name         = "ExecutionsFailed"
  dimensions          = { StateMachineArn = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.notifications.arn]
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "pipeline_timed_out" {
  alarm_name          = "${var.name}-pipeline-timed-out"
  alarm_description   = "A pipeline execution ran into its timeout"
  namespace           = "AWS/States"
  metric_name         = "ExecutionsTimedOut"
  dimensions          = { StateMachineArn = aws_sfn_state_machine.pipeline.arn }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.notifications.arn]
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "drift" {
  alarm_name          = "${var.name}-drift-found"
  alarm_description   = "The drift check found objects changed outside migrations: the drift-found message lists them and the SQL to fix it"
  namespace           = "Sluice"
  metric_name         = "DriftObjects"
  dimensions          = { Function = "validate" }
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.notifications.arn]
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each            = local.functions
  alarm_name          = "${local.function_name[each.key]}-errors"
  alarm_description   = "${each.key} raised errors (typed errors included: see its log for which)"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.notifications.arn]
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "function_throttles" {
  for_each            = local.functions
  alarm_name          = "${local.function_name[each.key]}-throttles"
  alarm_description   = "${each.key} was throttled: its reserved concurrency was reached"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.this[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.notifications.arn]
  tags                = local.tags
}
