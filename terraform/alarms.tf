# Alarms to the notification topic: a failed, timed-out or aborted execution of a state machine (a fleet stopped among them), drift found by
# the schedule, a database the scheduled health check finds DOWN, errors or throttles of any function, and an
# asynchronous invocation that failed every try.

locals {
  # What each scheduled check's alarm watches (alarms only for the checks that run: local.enabled_checks).
  check_alarms = {
    drift = {
      name        = "drift-found"
      description = "The drift check found objects changed outside migrations: the drift-found message lists them and the SQL to fix it"
      metric      = "DriftObjects"
      function    = "validate"
    }
    parity = {
      name        = "parity-differs"
      description = "The scheduled parity check found the other environment's database differing from this one (schema, history, or a setting whose rule passes on one only): the validate function's log has the report"
      metric      = "ParityDifferences"
      function    = "validate"
    }
    health = {
      name        = "health-down"
      description = "The scheduled health check found the database not live or not ready: the health function's log has SmallRye Health's document with the checks that are DOWN"
      metric      = "HealthChecksDown"
      function    = "health"
    }
  }
  state_machine_alarms = {
    "pipeline-failed"    = { machine = "pipeline", metric = "ExecutionsFailed", what = "A pipeline execution failed: see its execution history" }
    "pipeline-timed-out" = { machine = "pipeline", metric = "ExecutionsTimedOut", what = "A pipeline execution ran into its timeout" }
    "pipeline-aborted"   = { machine = "pipeline", metric = "ExecutionsAborted", what = "A pipeline execution was stopped by hand" }
    "restore-failed"     = { machine = "restore", metric = "ExecutionsFailed", what = "A restore from a snapshot failed: see its execution history" }
    "fleet-stopped"      = { machine = "fleet", metric = "ExecutionsFailed", what = "A fleet stopped: a wave failed beyond its tolerance, or it stopped before its first wave; the fleet-stopped notification says which databases were released" }
    "fleet-timed-out"    = { machine = "fleet", metric = "ExecutionsTimedOut", what = "A fleet execution ran into its timeout" }
    "upgrade-failed"     = { machine = "upgrade", metric = "ExecutionsFailed", what = "An engine upgrade stopped: before the switchover green was deleted and blue serves; after it nothing was rolled back (the notification says which)" }
    "upgrade-timed-out"  = { machine = "upgrade", metric = "ExecutionsTimedOut", what = "An engine upgrade ran into its timeout: see where in its execution history" }
  }
  function_alarms = merge([
    for handler, _ in local.functions : {
      "${handler}-errors"    = { handler = handler, metric = "Errors", what = "${handler} raised errors (typed errors included: its log says which)" }
      "${handler}-throttles" = { handler = handler, metric = "Throttles", what = "${handler} was throttled: its reserved concurrency was reached" }
    }
  ]...)
  alarms = merge(
    { for key, alarm in local.state_machine_alarms : key => merge(alarm, {
      namespace  = "AWS/States"
      dimensions = { StateMachineArn = aws_sfn_state_machine.this[alarm.machine].arn }
    }) },
    { for key, alarm in local.function_alarms : key => merge(alarm, {
      namespace  = "AWS/Lambda"
      dimensions = { FunctionName = aws_lambda_function.this[alarm.handler].function_name }
    }) },
    {
      "failed-invocations" = {
        namespace  = "AWS/SQS"
        metric     = "ApproximateNumberOfMessagesVisible"
        dimensions = { QueueName = aws_sqs_queue.failed_invocations.name }
        what       = "An asynchronous invocation (the drift schedule's) failed every try: its event is in the ${aws_sqs_queue.failed_invocations.name} queue"
      }
    },
  )
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = local.alarms
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.what
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.notifications.arn]
  tags                = local.tags
}

# What the scheduled checks find: drift (objects changed outside migrations), a database the health check finds DOWN, and
# (with parity_other_secret_arn) another environment whose database differs.
resource "aws_cloudwatch_metric_alarm" "check" {
  for_each            = { for check, alarm in local.check_alarms : check => alarm if contains(keys(local.enabled_checks), check) }
  alarm_name          = "${var.name}-${each.value.name}"
  alarm_description   = each.value.description
  namespace           = "Sluice"
  metric_name         = each.value.metric
  dimensions          = { Function = each.value.function }
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.notifications.arn]
  tags                = local.tags
}

# The drift alarm was a resource of its own: existing deployments keep it under its new address.
moved {
  from = aws_cloudwatch_metric_alarm.drift
  to   = aws_cloudwatch_metric_alarm.check["drift"]
}
