output "pipeline_state_machine_arn" {
  description = "The release pipeline: start it with a release's input (events/pipeline/release.json)."
  value       = aws_sfn_state_machine.this["pipeline"].arn
}

output "fleet_state_machine_arn" {
  description = "The fleet: one release across many databases in waves; start it through the start function with a fleet's input (events/pipeline/fleet.json)."
  value       = aws_sfn_state_machine.this["fleet"].arn
}

output "restore_state_machine_arn" {
  description = "Rollback by snapshot: start it with events/restore/restore.json's fields."
  value       = aws_sfn_state_machine.this["restore"].arn
}

output "function_arns" {
  description = "Each handler's function, by handler name (migrate, validate, rollback, canary-check, approve, start)."
  value       = { for handler, function in aws_lambda_function.this : handler => function.arn }
}

output "start_url" {
  description = "The start function's URL (AWS_IAM): POST a release's input, signed; the deploy workflow does (the caller is recorded as the release's starter, who may never approve it)."
  value       = aws_lambda_function_url.this["start"].function_url
}

output "approve_url" {
  description = "The approve function's URL (AWS_IAM): an approver POSTs {deploymentId, execution, taskToken, decision, reason}, signed; the vote is the signing principal's (var.approvers)."
  value       = aws_lambda_function_url.this["approve"].function_url
}

output "approver_policy_json" {
  description = "The identity policy an approver's role or user needs to call the approve URL (attach it where approvers sign in)."
  value       = data.aws_iam_policy_document.url_caller["approve"].json
}

output "bundle_bucket" {
  description = "Where the deploy job uploads migration bundles (releases/<id>.zip); the functions' artifact (functions/) and full reports (reports/) are kept there too."
  value       = aws_s3_bucket.bundles.id
}

output "failed_invocations_queue_url" {
  description = "Where the events of asynchronous invocations (the drift schedule's) that failed every try are kept."
  value       = aws_sqs_queue.failed_invocations.url
}

output "notification_topic_arn" {
  description = "The topic of every Sluice message and alarm; subscribe chat, mail or a queue."
  value       = aws_sns_topic.notifications.arn
}

output "approvals_table" {
  description = "The DynamoDB audit trail of approval votes and decisions."
  value       = aws_dynamodb_table.approvals.name
}

output "database_endpoint" {
  description = "Address and port of the RDS instance."
  value       = "${aws_db_instance.this.address}:${aws_db_instance.this.port}"
}

output "database_identifier" {
  description = "The RDS instance identifier (rdsSnapshot on migrate, rdsInstance on a snapshot rollback)."
  value       = aws_db_instance.this.identifier
}

output "database_secret_arn" {
  description = "The secret the functions and the drift schedule connect with (the database field's secretArn)."
  value       = local.database_secret_arns[0]
}

output "canary_parameter_name" {
  description = "The SSM parameter with the share of traffic on the new release; the pipeline input's canary.parameterName."
  value       = aws_ssm_parameter.canary.name
}

output "database_security_group_id" {
  description = "The database's security group (add the application's with application_security_group_ids)."
  value       = aws_security_group.database.id
}

output "deploy_role_arn" {
  description = "The role the GitHub deploy workflow assumes (null without github_repository)."
  value       = try(aws_iam_role.deploy[0].arn, null)
}

output "upgrade_state_machine_arn" {
  description = "The engine upgrade through an RDS Blue/Green deployment; start it through the start function with an upgrade's input (events/upgrade/upgrade.json)."
  value       = aws_sfn_state_machine.this["upgrade"].arn
}

output "master_secret_arn" {
  description = "The database's master secret: RDS's own (master_password_managed_by_rds), or the one this module keeps and rotates."
  value       = local.master_secret_arn
}

output "upgrade_target_parameter_group" {
  description = "The parameter group with the module's settings for upgrade_target_engine_version (empty without one): the upgrade gives it to green when its input names no targetParameterGroup."
  value       = local.upgrade_target_parameter_group
}

output "plan_policy_json" {
  description = "The IAM policy a role that runs terraform plan on this module needs beside AWS's ReadOnlyAccess (the random passwords, the module's secrets and key, the master rotation application and its stack)."
  value       = data.aws_iam_policy_document.plan.json
}
