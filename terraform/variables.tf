variable "name" {
  description = "Prefix of every resource name (functions, state machines, database, bucket suffix)."
  type        = string
  default     = "sluice"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "The VPC the database and the functions live in."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets (at least two, in different availability zones) for the database and the functions."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for id in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "private_subnet_ids must name at least two subnets (subnet-...)."
  }
}

variable "private_route_table_ids" {
  description = "Route tables of the private subnets, for the S3 and DynamoDB gateway endpoints; empty: the route table each private subnet is associated with (its explicit one, else the VPC's main table)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.private_route_table_ids : can(regex("^rtb-[0-9a-f]{8,17}$", id))])
    error_message = "private_route_table_ids must name route tables (rtb-...)."
  }
}

variable "create_vpc_endpoints" {
  description = "Create the interface endpoints (Secrets Manager, SNS, RDS, CloudWatch, Step Functions, KMS) and the S3 and DynamoDB gateway endpoints the functions reach AWS through; false when the VPC has them already."
  type        = bool
  default     = true
}

variable "aws_api_cidr_blocks" {
  description = "With create_vpc_endpoints = false: the IPv4 ranges the functions reach the AWS APIs in over HTTPS (the VPC's own interface endpoints, or anywhere through its NAT gateway)."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.aws_api_cidr_blocks) > 0 && alltrue([for block in var.aws_api_cidr_blocks : can(cidrhost(block, 0))])
    error_message = "aws_api_cidr_blocks must hold at least one IPv4 CIDR block: without one the functions cannot reach Secrets Manager, S3 or SNS."
  }
}

variable "application_security_group_ids" {
  description = "Security groups of the application, allowed to reach the database port."
  type        = list(string)
  default     = []
}

variable "database_engine_version" {
  description = "PostgreSQL major version of the RDS instance. Preflight's plan check (plans) copies planner statistics with functions new in 18; on 15-17 it reports itself skipped."
  type        = string
  default     = "17"

  validation {
    condition     = contains(["15", "16", "17", "18"], var.database_engine_version)
    error_message = "database_engine_version must be 15, 16, 17 or 18."
  }
}

variable "database_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.database_instance_class))
    error_message = "database_instance_class must look like db.t4g.medium."
  }
}

variable "database_memory_mb" {
  description = "Memory of database_instance_class in MiB, for the parameter group's ratios (shared_buffers, work_mem); the config check uses the same figure."
  type        = number
  default     = 4096

  validation {
    condition     = var.database_memory_mb >= 1024
    error_message = "database_memory_mb must be at least 1024."
  }
}

variable "database_allocated_storage_gb" {
  description = "Initial storage in GiB; storage autoscaling grows it up to database_max_allocated_storage_gb."
  type        = number
  default     = 50

  validation {
    condition     = var.database_allocated_storage_gb >= 20 && var.database_allocated_storage_gb <= 65536
    error_message = "database_allocated_storage_gb must be 20-65536."
  }
}

variable "database_max_allocated_storage_gb" {
  description = "Upper bound of storage autoscaling in GiB."
  type        = number
  default     = 500
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "app"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be a lowercase PostgreSQL identifier."
  }
}

variable "database_master_username" {
  description = "Master user of the instance; its password is generated and kept in Secrets Manager by RDS."
  type        = string
  default     = "sluice_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_master_username)) && !contains(["postgres", "admin", "rdsadmin"], var.database_master_username)
    error_message = "database_master_username must be a lowercase identifier other than postgres, admin or rdsadmin."
  }
}

variable "database_secret_arns" {
  description = "Secrets (in the format RDS writes) the functions may read for their database connections, e.g. a migration role's; empty: the master user secret RDS manages."
  type        = list(string)
  default     = []
}

variable "fleet_manifest_arns" {
  description = "S3 object ARNs (a trailing * allowed) the fleet function may read fleet manifests from, besides the bundle bucket's manifests/ folder."
  type        = list(string)
  default     = []
}

variable "multi_az" {
  description = "Run the database with a standby in another availability zone."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse to delete the database (and the approvals table) until this is switched off."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be 7-35."
  }
}

variable "iam_database_authentication" {
  description = "Allow IAM authentication to the database (in addition to passwords, which the functions use through the secret)."
  type        = bool
  default     = true
}

variable "performance_insights_retention_days" {
  description = "Performance Insights retention: 7 (free), or a multiple of 31 up to 731."
  type        = number
  default     = 7

  validation {
    condition     = var.performance_insights_retention_days == 7 || var.performance_insights_retention_days == 731 || (var.performance_insights_retention_days % 31 == 0 && var.performance_insights_retention_days <= 713)
    error_message = "performance_insights_retention_days must be 7, 731, or a multiple of 31 up to 713."
  }
}

variable "function_zip" {
  description = "Path of the function artifact (target/function.zip of the native build, provided.al2023)."
  type        = string
  default     = "../target/function.zip"

  validation {
    condition     = endswith(var.function_zip, ".zip")
    error_message = "function_zip must be a .zip file."
  }
}

variable "function_architecture" {
  description = "CPU architecture the native executable was built for: x86_64, the only one CI builds (the native executable and the scratch PostgreSQL binaries in function.zip are x86_64)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = var.function_architecture == "x86_64"
    error_message = "function_architecture must be x86_64: CI builds function.zip (its native executable and its scratch PostgreSQL binaries) for x86_64 only, and an arm64 function would fail at its first invocation."
  }
}

variable "function_reserved_concurrency" {
  description = "Reserve each function's concurrency (migrate 2, validate 5, rollback 2, canary-check 5, approve 5, start 2), capping the connections a runaway caller can open; off by default, since a new account's concurrency quota (10) leaves nothing to reserve."
  type        = bool
  default     = false
}

variable "function_memory_mb" {
  description = "Memory of each function in MiB, by handler; a handler not named gets 512."
  type        = map(number)
  default = {
    migrate  = 1024
    validate = 1024
    rollback = 1024
  }

  validation {
    condition     = alltrue([for memory in values(var.function_memory_mb) : memory >= 128 && memory <= 10240])
    error_message = "function_memory_mb values must be 128-10240."
  }
}

variable "log_retention_days" {
  description = "Retention of the functions' and the state machines' log groups."
  type        = number
  default     = 365

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention of at least a year (365, 400, 545, 731, ...)."
  }
}

variable "report_retention_days" {
  description = "Days the full reports of large function results (reports/ in the bundle bucket) and the fleets' waves, results and summaries (fleet/) are kept."
  type        = number
  default     = 400

  validation {
    condition     = var.report_retention_days >= 1
    error_message = "report_retention_days must be at least 1."
  }
}

variable "auto_approve_up_to" {
  description = "Approvals a release's change may need and still go on unasked (lint's change classes: minor 1, major 2, data and destructive 3); rendered into the pipeline's definition: an execution's input may ask for more approvals, never for fewer."
  type        = number
  default     = 0

  validation {
    condition     = var.auto_approve_up_to >= 0 && var.auto_approve_up_to <= 3 && floor(var.auto_approve_up_to) == var.auto_approve_up_to
    error_message = "auto_approve_up_to must be a whole number 0-3."
  }
}

variable "upgrade_approvals" {
  description = "Approvals an engine upgrade (the upgrade state machine) waits for before it creates its Blue/Green deployment; every upgrade asks, whatever its input."
  type        = number
  default     = 2

  validation {
    condition     = var.upgrade_approvals >= 1 && var.upgrade_approvals <= 3 && floor(var.upgrade_approvals) == var.upgrade_approvals
    error_message = "upgrade_approvals must be a whole number 1-3: an engine upgrade is always approved."
  }
}

variable "master_password_managed_by_rds" {
  description = "Whether RDS generates and rotates the master password in a secret of its own (manage_master_user_password). RDS Blue/Green deployments, which the engine upgrade uses, do not support such an instance: false keeps the password in a secret this module owns, rotated by AWS's single-user PostgreSQL rotation function (README: Engine upgrades, the trade-off)."
  type        = bool
  default     = true
}

variable "master_password_version" {
  description = "With master_password_managed_by_rds = false: the version of the master password Terraform sets (write-only, never in the state). Terraform sends a new password when it changes, and when the password leaves RDS's management; raise it to set a new one (README: Engine upgrades)."
  type        = number
  default     = 1

  validation {
    condition     = var.master_password_version >= 1 && floor(var.master_password_version) == var.master_password_version
    error_message = "master_password_version must be a whole number of at least 1."
  }
}

variable "blue_green_upgrades" {
  description = "Set what an RDS Blue/Green engine upgrade needs on the module's parameter groups: rds.logical_replication and the replication slots, WAL senders, logical replication workers and worker processes for blue_green_databases. The parameters are static: the instance applies them at its next reboot (README: Engine upgrades)."
  type        = bool
  default     = false
}

variable "blue_green_databases" {
  description = "With blue_green_upgrades: the databases on the instance (connectable, not templates, postgres included: as the readiness mode counts them); an upgrade replicates each with a subscription of its own."
  type        = number
  default     = 2

  validation {
    condition     = var.blue_green_databases >= 1 && var.blue_green_databases <= 1000 && floor(var.blue_green_databases) == var.blue_green_databases
    error_message = "blue_green_databases must be a whole number 1-1000."
  }
}

variable "upgrade_target_engine_version" {
  description = "The PostgreSQL major version of the next engine upgrade: a second parameter group with the module's settings for that family, which the upgrade gives green when its input names no targetParameterGroup (green otherwise runs RDS's default group). Empty: none. After the switchover, set database_engine_version to it and empty this (the upgraded message says so)."
  type        = string
  default     = ""

  validation {
    condition     = var.upgrade_target_engine_version == "" ? true : contains(["16", "17", "18"], var.upgrade_target_engine_version) && try(tonumber(var.upgrade_target_engine_version) > tonumber(var.database_engine_version), false)
    error_message = "upgrade_target_engine_version must be empty, or a major version above database_engine_version (16, 17 or 18)."
  }
}

variable "master_password_rotation_days" {
  description = "With master_password_managed_by_rds = false: days between rotations of the module's master secret."
  type        = number
  default     = 30

  validation {
    condition     = var.master_password_rotation_days >= 1 && var.master_password_rotation_days <= 365
    error_message = "master_password_rotation_days must be 1-365."
  }
}

variable "approvers" {
  description = "Who may approve a release, by the IAM principal the approve function URL authenticates (a user's ARN, or a role session's: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION) mapped to an approver name. Whoever started a release (the principal, or the person: the deploy workflow names its session after the GitHub actor) may never approve it. Empty: nobody approves, and releases that need approvals wait until they time out."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for principal, name in var.approvers : can(regex("^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:", principal)) && can(regex("^[A-Za-z0-9._@+-]{1,128}$", name))])
    error_message = "approvers maps IAM principal ARNs to names of at most 128 of A-Za-z0-9._@+-."
  }

  validation {
    condition     = length(distinct(values(var.approvers))) == length(var.approvers)
    error_message = "approvers gives each name to one principal: one person, one vote."
  }
}

variable "canary_parameter_name" {
  description = "The SSM parameter holding the share of traffic on the new release; the pipeline input's canary.parameterName must name it."
  type        = string
  default     = "/app/release/canary-percent"

  validation {
    condition     = can(regex("^/[A-Za-z0-9_./-]+$", var.canary_parameter_name))
    error_message = "canary_parameter_name must be an absolute SSM parameter name (/a/b)."
  }
}

variable "drift_schedule" {
  description = "When the drift check runs (EventBridge Scheduler expression)."
  type        = string
  default     = "rate(1 hour)"

  validation {
    condition     = can(regex("^(rate|cron)\\(.+\\)$", var.drift_schedule))
    error_message = "drift_schedule must be a rate(...) or cron(...) expression."
  }
}

variable "parity_other_secret_arn" {
  description = "Another environment's database (staging, say) to compare this one with on a schedule (validate mode parity): the ARN of a secret holding its host, port, dbname, username and password, which the validate function may read and reach over the network. Empty: no parity check."
  type        = string
  default     = ""

  validation {
    condition     = var.parity_other_secret_arn == "" || can(regex("^arn:aws[a-z-]*:secretsmanager:", var.parity_other_secret_arn))
    error_message = "parity_other_secret_arn must be a Secrets Manager secret ARN, or empty."
  }
}

variable "parity_schedule" {
  description = "When the parity check runs (EventBridge Scheduler expression), with parity_other_secret_arn set."
  type        = string
  default     = "rate(1 day)"

  validation {
    condition     = can(regex("^(rate|cron)\\(.+\\)$", var.parity_schedule))
    error_message = "parity_schedule must be a rate(...) or cron(...) expression."
  }
}

variable "drift_schema" {
  description = "The schema the drift check compares with the snapshot of its version."
  type        = string
  default     = "public"
}

variable "notification_emails" {
  description = "Addresses subscribed to the notification topic (each confirms by mail)."
  type        = list(string)
  default     = []
}

variable "bundle_access_log_bucket" {
  description = "Bucket receiving the migration bundle bucket's access logs; null: no access logging."
  type        = string
  default     = null
}

variable "github_repository" {
  description = "owner/name of the repository whose deploy workflow may assume the deploy role (OIDC); null: no deploy role."
  type        = string
  default     = null

  validation {
    condition     = var.github_repository == null || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

variable "github_oidc_provider_arn" {
  description = "ARN of the account's GitHub OIDC provider (token.actions.githubusercontent.com); required with github_repository."
  type        = string
  default     = null
}

variable "scratch_instance" {
  description = "Create a small RDS instance (same engine version and parameters) for scratch databases: proofs, lock probes, rebuilt versions and the compatibility proof then run there, not on the live instance."
  type        = bool
  default     = false
}

variable "scratch_instance_class" {
  description = "RDS instance class of the scratch instance."
  type        = string
  default     = "db.t4g.micro"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.scratch_instance_class))
    error_message = "scratch_instance_class must be an RDS instance class such as db.t4g.micro."
  }
}

variable "scratch_secret_arn" {
  description = "The Secrets Manager secret of a scratch server the team runs itself (a secret holding host, port and dbname besides username and password; the live database's major version; never the live instance). Ignored when scratch_instance is true; used with scratch_isolation = \"server\"."
  type        = string
  default     = ""
}

variable "scratch_isolation" {
  description = "Where scratch work runs (undo proofs, lock probes, rebuilt versions, the compatibility proof, plan checks, schema builds: scripts and queries nobody has approved yet): embedded (a PostgreSQL of the live major version the validate and rollback functions start in their own temporary storage), server (scratch_instance, or scratch_secret_arn), role (a least-privilege role on the live instance that Sluice makes with the live credentials, its password in a secret of this module's) or none (scratch work is refused). Never the live instance with its own credentials."
  type        = string
  default     = "embedded"

  validation {
    condition     = contains(["embedded", "server", "role", "none"], var.scratch_isolation)
    error_message = "scratch_isolation must be embedded, server, role or none."
  }

  validation {
    condition     = var.scratch_isolation != "server" || var.scratch_instance || var.scratch_secret_arn != ""
    error_message = "scratch_isolation = \"server\" needs a scratch server: scratch_instance = true, or scratch_secret_arn."
  }

  validation {
    condition     = var.scratch_isolation == "server" || !var.scratch_instance && var.scratch_secret_arn == ""
    error_message = "scratch_instance and scratch_secret_arn are the scratch server of scratch_isolation = \"server\"; set it, or leave them unset."
  }
}

variable "scratch_extensions" {
  description = "With scratch_isolation = \"embedded\": extensions the embedded PostgreSQL's template holds, made by its superuser (which the release's scripts never are): those the scripts need that a database owner may not create, such as pg_stat_statements. Each must ship with the PostgreSQL binaries in the artifact."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for extension in var.scratch_extensions : can(regex("^[a-z][a-z0-9_-]{0,62}$", extension))])
    error_message = "scratch_extensions must be extension names: lower-case letters, digits, _ and -."
  }
}

variable "scratch_max_size" {
  description = "The most a scratch database may grow to (and its temp_file_limit), as PostgreSQL writes a size; past it the proof stops and says so."
  type        = string
  default     = "256MB"

  validation {
    condition     = can(regex("^[0-9]{1,9}(kB|MB|GB|TB)$", var.scratch_max_size))
    error_message = "scratch_max_size must be a size as PostgreSQL writes one: 256MB, 2GB."
  }
}
