# Sluice next to an RDS PostgreSQL instance: the functions (one native artifact, one function per handler), the
# release pipeline and the restore workflow (Step Functions), the drift schedule, notifications, alarms, the bundle
# bucket and the approvals table. One file per concern; this one holds what they share.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition
  tags      = merge(var.tags, { "sluice:managed-by" = "terraform" })

  # Every handler of the artifact: its timeout (the longest TimeoutSeconds of the tasks that invoke it), and how many copies may run at once with
  # function_reserved_concurrency (migrations take Sluice's advisory lock anyway; the cap keeps a runaway loop from
  # exhausting the database's connections, but a new account's concurrency quota may be too small to reserve it).
  functions = {
    migrate        = { timeout = 900, reserved = 2 }
    validate       = { timeout = 900, reserved = 5 }
    rollback       = { timeout = 900, reserved = 2 }
    "canary-check" = { timeout = 120, reserved = 5 }
    approve        = { timeout = 30, reserved = 5 }
    start          = { timeout = 30, reserved = 2 }
    health         = { timeout = 60, reserved = 2 }
    fleet          = { timeout = 300, reserved = 2 }
    upgrade        = { timeout = 900, reserved = 1 }
  }
  # The handlers people and the deploy workflow call, each behind a function URL with AWS_IAM auth: the caller is the
  # principal AWS authenticates, never a field of the request.
  url_functions = toset(["approve", "start"])
  # Where Lambda has no function URLs (AWS Lambda Developer Guide, "Creating and managing Lambda function URLs"): the
  # module is refused there at plan, naming the region, rather than failing half-applied.
  regions_without_function_urls = ["ap-south-2", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-east-2",
  "ca-west-1", "eu-south-2", "eu-central-2", "il-central-1", "me-central-1"]
  function_name = { for handler, _ in local.functions : handler => "${var.name}-${handler}" }
  # With reserved concurrency, a pipeline needs one of each function it invokes at a time: a wave runs at most the
  # smallest reservation of them at once (more would be throttled and fail its releases).
  fleet_max_concurrency = var.function_reserved_concurrency ? tostring(min([for handler in ["validate", "migrate", "canary-check", "rollback"] : local.functions[handler].reserved]...)) : ""

  database_identifier = "${var.name}-db"
  # The master secret: RDS's own (master_password_managed_by_rds), or the one this module keeps and rotates.
  master_secret_arn    = var.master_password_managed_by_rds ? aws_db_instance.this.master_user_secret[0].secret_arn : aws_secretsmanager_secret.master[0].arn
  database_secret_arns = length(var.database_secret_arns) > 0 ? var.database_secret_arns : [local.master_secret_arn]
  # The other environment's database the parity check compares with (validate only).
  parity_secret_arns = compact([var.parity_other_secret_arn])
  # Where scratch databases are built with scratch_isolation = "server": the scratch instance's managed secret (its host
  # from the environment, as the live instance's is), or a team's own scratch server's secret.
  scratch_secret_arn = var.scratch_isolation != "server" ? "" : var.scratch_instance ? aws_db_instance.scratch[0].master_user_secret[0].secret_arn : var.scratch_secret_arn
  scratch_host       = var.scratch_isolation == "server" && var.scratch_instance ? aws_db_instance.scratch[0].address : ""
  # The functions that do scratch work (their temporary storage holds the embedded PostgreSQL), and those whose
  # probes and plans reach the live database (as the probe role).
  scratch_workers = toset(["validate", "rollback"])
  probe_runners   = toset(["canary-check", "upgrade"])
  # The roles Sluice owns on the live instance, each with its password in a secret of this module's: the probe role
  # always, the scratch role with scratch_isolation = "role".
  own_roles               = merge({ probe = "sluice_probe" }, var.scratch_isolation == "role" ? { scratch = "sluice_scratch" } : {})
  scratch_role_secret_arn = var.scratch_isolation == "role" ? aws_secretsmanager_secret.own_roles["scratch"].arn : ""

  pipeline_name = "${var.name}-pipeline"
  restore_name  = "${var.name}-restore"
  pipeline_arn  = "arn:${local.partition}:states:${local.region}:${local.account}:stateMachine:${local.pipeline_name}"
  fleet_name    = "${var.name}-fleet"
  fleet_arn     = "arn:${local.partition}:states:${local.region}:${local.account}:stateMachine:${local.fleet_name}"
  # Executions of a state machine: its own, and a Distributed Map's child executions (<machine>/<map run>:<id>).
  pipeline_executions = "arn:${local.partition}:states:${local.region}:${local.account}:execution:${local.pipeline_name}:*"
  upgrade_name        = "${var.name}-upgrade"
  upgrade_arn         = "arn:${local.partition}:states:${local.region}:${local.account}:stateMachine:${local.upgrade_name}"
  upgrade_executions  = "arn:${local.partition}:states:${local.region}:${local.account}:execution:${local.upgrade_name}:*"
  fleet_executions = [
    "arn:${local.partition}:states:${local.region}:${local.account}:execution:${local.fleet_name}:*",
    "arn:${local.partition}:states:${local.region}:${local.account}:execution:${local.fleet_name}/*",
  ]

  # What renders the definitions, as templatefile sees it.
  template_values = {
    migrate_function_arn      = aws_lambda_function.this["migrate"].arn
    validate_function_arn     = aws_lambda_function.this["validate"].arn
    rollback_function_arn     = aws_lambda_function.this["rollback"].arn
    canary_check_function_arn = aws_lambda_function.this["canary-check"].arn
    fleet_function_arn        = aws_lambda_function.this["fleet"].arn
    upgrade_function_arn      = aws_lambda_function.this["upgrade"].arn
    pipeline_arn              = local.pipeline_arn
    notification_topic_arn    = aws_sns_topic.notifications.arn
    auto_approve_up_to        = tostring(var.auto_approve_up_to)
    upgrade_approvals         = tostring(var.upgrade_approvals)
  }
}
