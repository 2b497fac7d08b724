# RDS PostgreSQL: encrypted with the key, in the private subnets, never public, protected from deletion, backed up
# with a final snapshot, the master password generated and rotated by RDS in Secrets Manager (or, for Blue/Green
# engine upgrades, in a secret of this module's, rotated: master_password_managed_by_rds), logs exported,
# Performance Insights on. The parameter group holds the guide's settings, sized from database_memory_mb so that
# the config check (validate mode config) passes on it.

locals {
  max_connections = 200
  # RDS units: shared_buffers and effective_cache_size in 8 KiB pages, work_mem and maintenance_work_mem in KiB.
  database_parameters = {
    max_connections                     = { value = local.max_connections, apply = "pending-reboot" }
    shared_buffers                      = { value = floor(var.database_memory_mb * 1024 / 8 * 0.25), apply = "pending-reboot" }
    effective_cache_size                = { value = floor(var.database_memory_mb * 1024 / 8 * 0.75), apply = "immediate" }
    work_mem                            = { value = min(16384, floor(var.database_memory_mb * 1024 / 2 / local.max_connections)), apply = "immediate" }
    maintenance_work_mem                = { value = min(1048576, floor(var.database_memory_mb * 1024 / 8)), apply = "immediate" }
    max_wal_size                        = { value = 2048, apply = "immediate" }
    checkpoint_completion_target        = { value = 0.9, apply = "immediate" }
    wal_buffers                         = { value = 2048, apply = "pending-reboot" }
    default_statistics_target           = { value = 100, apply = "immediate" }
    shared_preload_libraries            = { value = "pg_stat_statements", apply = "pending-reboot" }
    ssl_min_protocol_version            = { value = "TLSv1.2", apply = "immediate" }
    password_encryption                 = { value = "scram-sha-256", apply = "immediate" }
    log_statement                       = { value = "ddl", apply = "immediate" }
    log_min_duration_statement          = { value = 1000, apply = "immediate" }
    log_lock_waits                      = { value = 1, apply = "immediate" }
    idle_in_transaction_session_timeout = { value = 600000, apply = "immediate" }
  }
  # What an RDS Blue/Green engine upgrade replicates with (blue_green_upgrades): logical replication, and the capacity
  # the readiness mode checks (UpgradeReadiness: a slot and a WAL sender per database, plus 10 for replication a team
  # has already; a logical replication worker per database plus one for table synchronisation; worker processes above
  # those, with 8 for parallel queries and extensions). All static: the instance applies them at its next reboot.
  replication_workers = max(4, var.blue_green_databases + 1)
  replication_parameters = var.blue_green_upgrades ? {
    "rds.logical_replication"       = { value = 1, apply = "pending-reboot" }
    max_replication_slots           = { value = max(20, var.blue_green_databases + 10), apply = "pending-reboot" }
    max_wal_senders                 = { value = max(20, var.blue_green_databases + 10), apply = "pending-reboot" }
    max_logical_replication_workers = { value = local.replication_workers, apply = "pending-reboot" }
    max_worker_processes            = { value = "GREATEST({DBInstanceVCPU*2},${local.replication_workers + 8})", apply = "pending-reboot" }
  } : {}
  # The next engine's group (upgrade_target_engine_version), which the upgrade gives green as its targetParameterGroup:
  # without it green runs RDS's default group.
  upgrade_target_parameter_group = var.upgrade_target_engine_version == "" ? "" : aws_db_parameter_group.upgrade_target[0].name
}

resource "aws_db_subnet_group" "this" {
  name        = "${var.name}-database"
  description = "Private subnets of the ${var.name} database"
  subnet_ids  = var.private_subnet_ids
  tags        = local.tags
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-postgres${var.database_engine_version}-"
  family      = "postgres${var.database_engine_version}"
  description = "${var.name}: the guide's settings, sized for ${var.database_memory_mb} MiB"

  # TLS only (a static block, so scanners see it): the functions connect with sslmode=verify-full anyway.
  parameter {
    name         = "rds.force_ssl"
    value        = "1"
    apply_method = "immediate"
  }

  dynamic "parameter" {
    for_each = merge(local.database_parameters, local.replication_parameters)
    content {
      name         = parameter.key
      value        = tostring(parameter.value.value)
      apply_method = parameter.value.apply
    }
  }

  lifecycle {
    create_before_destroy = true
  }

  tags = local.tags
}

# The same settings for the next engine's family (upgrade_target_engine_version): the upgrade's green runs it.
resource "aws_db_parameter_group" "upgrade_target" {
  count       = var.upgrade_target_engine_version == "" ? 0 : 1
  name_prefix = "${var.name}-postgres${var.upgrade_target_engine_version}-"
  family      = "postgres${var.upgrade_target_engine_version}"
  description = "${var.name}: the guide's settings, sized for ${var.database_memory_mb} MiB, for the upgrade's green"

  parameter {
    name         = "rds.force_ssl"
    value        = "1"
    apply_method = "immediate"
  }

  dynamic "parameter" {
    for_each = merge(local.database_parameters, local.replication_parameters)
    content {
      name         = parameter.key
      value        = tostring(parameter.value.value)
      apply_method = parameter.value.apply
    }
  }

  lifecycle {
    create_before_destroy = true
  }

  tags = local.tags
}

resource "aws_iam_role" "monitoring" {
  name               = "${var.name}-rds-monitoring"
  assume_role_policy = data.aws_iam_policy_document.assume["monitoring"].json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_db_instance" "this" {
  identifier     = local.database_identifier
  engine         = "postgres"
  engine_version = var.database_engine_version
  instance_class = var.database_instance_class
  db_name        = var.database_name
  username       = var.database_master_username
  port           = 5432

  # The CA the functions verify the server against (sslmode=verify-full, the RDS bundle shipped in the artifact).
  ca_cert_identifier = "rds-ca-rsa2048-g1"

  # RDS's own secret for the master password, or (master_password_managed_by_rds = false, which Blue/Green deployments
  # need) a password this module generates once, keeps in its own secret and has rotated (below).
  # The password is write-only (never in the state) and sent when its version changes: at creation, and when the
  # master password leaves RDS's management, where ModifyDBInstance must carry it ("If the DB instance already manages
  # the master user password with Amazon Web Services Secrets Manager, and you specify that the master user password is
  # not managed [...], then you must specify MasterUserPassword"). It is the password the module's secret is written
  # with in the same apply (aws_secretsmanager_secret_version.master, replaced with each version).
  manage_master_user_password   = var.master_password_managed_by_rds ? true : null
  master_user_secret_kms_key_id = var.master_password_managed_by_rds ? aws_kms_key.this.arn : null
  password_wo                   = var.master_password_managed_by_rds ? null : data.aws_secretsmanager_random_password.master[0].random_password
  password_wo_version           = var.master_password_managed_by_rds ? null : var.master_password_version

  allocated_storage     = var.database_allocated_storage_gb
  max_allocated_storage = var.database_max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.this.arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.database.id]
  publicly_accessible    = false
  multi_az               = var.multi_az
  parameter_group_name   = aws_db_parameter_group.this.name

  iam_database_authentication_enabled = var.iam_database_authentication

  backup_retention_period   = var.backup_retention_days
  backup_window             = "03:00-04:00"
  maintenance_window        = "sun:04:30-sun:05:30"
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${local.database_identifier}-final"

  auto_minor_version_upgrade      = true
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]
  monitoring_interval             = 60
  monitoring_role_arn             = aws_iam_role.monitoring.arn

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.this.arn
  performance_insights_retention_period = var.performance_insights_retention_days

  tags = local.tags

  # The rotation changes the password from then on; the one generated here only starts it (password_wo_version). A
  # password in the state from before the write-only one is never sent again as empty (the provider's #42582).
  lifecycle {
    ignore_changes = [password]
  }
}

# The scratch server (optional, scratch_instance): a small instance of the database's engine version and parameters,
# where proofs, lock probes, rebuilt versions and the compatibility proof build their throw-away databases, so that a
# long proof does not load the live instance. It holds no data of its own: every database on it lives minutes.
resource "aws_db_instance" "scratch" {
  #checkov:skip=CKV_AWS_157:Scratch databases live minutes and are rebuilt from the scripts; a standby would protect nothing
  #checkov:skip=CKV_AWS_293:Nothing on the scratch server outlives a proof; protection would only stop the module's own destroy
  count          = var.scratch_instance ? 1 : 0
  identifier     = "${local.database_identifier}-scratch"
  engine         = "postgres"
  engine_version = var.database_engine_version
  instance_class = var.scratch_instance_class
  db_name        = "postgres"
  username       = var.database_master_username
  port           = 5432

  ca_cert_identifier = "rds-ca-rsa2048-g1"

  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.this.arn

  allocated_storage     = 20
  max_allocated_storage = 100
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.this.arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.database.id]
  publicly_accessible    = false
  multi_az               = false
  parameter_group_name   = aws_db_parameter_group.this.name

  iam_database_authentication_enabled = var.iam_database_authentication

  backup_retention_period  = 1
  backup_window            = "03:00-04:00"
  maintenance_window       = "sun:04:30-sun:05:30"
  copy_tags_to_snapshot    = true
  delete_automated_backups = true
  deletion_protection      = false
  skip_final_snapshot      = true

  auto_minor_version_upgrade      = true
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]
  monitoring_interval             = 60
  monitoring_role_arn             = aws_iam_role.monitoring.arn

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.this.arn
  performance_insights_retention_period = 7

  tags = local.tags
}

# The master password outside RDS's management (master_password_managed_by_rds = false): generated once, kept in a
# secret of this module's in the format RDS writes (engine, host, port, dbname, username, password), encrypted with
# Sluice's key and rotated by AWS's single-user PostgreSQL rotation function, deployed from the Serverless Application
# Repository into the functions' subnets and security group (which reach the database and Secrets Manager).

data "aws_secretsmanager_random_password" "master" {
  count               = var.master_password_managed_by_rds ? 0 : 1
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "master" {
  count                   = var.master_password_managed_by_rds ? 0 : 1
  name_prefix             = "${var.name}/database-master-"
  description             = "The ${local.database_identifier} master user, rotated every ${var.master_password_rotation_days} days"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = 30
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "master" {
  count     = var.master_password_managed_by_rds ? 0 : 1
  secret_id = aws_secretsmanager_secret.master[0].id
  secret_string = jsonencode({
    engine               = "postgres"
    host                 = aws_db_instance.this.address
    port                 = aws_db_instance.this.port
    dbname               = aws_db_instance.this.db_name
    dbInstanceIdentifier = local.database_identifier
    username             = var.database_master_username
    password             = data.aws_secretsmanager_random_password.master[0].random_password
  })

  # The rotation writes new versions; this one only starts the secret, with the password the instance gets in the same
  # apply: a new master_password_version writes both again.
  lifecycle {
    ignore_changes       = [secret_string]
    replace_triggered_by = [terraform_data.master_password_version]
  }
}

resource "terraform_data" "master_password_version" {
  input = var.master_password_managed_by_rds ? null : var.master_password_version
}

resource "aws_serverlessapplicationrepository_cloudformation_stack" "master_rotation" {
  count          = var.master_password_managed_by_rds ? 0 : 1
  name           = "${var.name}-master-rotation"
  application_id = "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser"
  capabilities   = ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"]
  parameters = {
    endpoint            = "https://secretsmanager.${local.region}.${data.aws_partition.current.dns_suffix}"
    functionName        = "${var.name}-master-rotation"
    vpcSubnetIds        = join(",", var.private_subnet_ids)
    vpcSecurityGroupIds = aws_security_group.functions.id
    kmsKeyArn           = aws_kms_key.this.arn
  }
  tags = local.tags
}

resource "aws_secretsmanager_secret_rotation" "master" {
  count               = var.master_password_managed_by_rds ? 0 : 1
  secret_id           = aws_secretsmanager_secret.master[0].id
  rotation_lambda_arn = aws_serverlessapplicationrepository_cloudformation_stack.master_rotation[0].outputs["RotationLambdaARN"]

  rotation_rules {
    automatically_after_days = var.master_password_rotation_days
  }

  depends_on = [aws_secretsmanager_secret_version.master]
}

# The roles Sluice owns on the live instance (local.own_roles): the probe role, which probes and check-green's plans run
# as (a member of no role, SELECT on the managed schema only, read-only sessions, a temp_file_limit), and with scratch_isolation = "role" the scratch role (LOGIN CREATEDB,
# a member of nothing, with statement_timeout and temp_file_limit on the role). The functions make each role with the
# master user's credentials the first time they meet the instance, and set its password from this secret; they check
# before every use that it holds nothing more.

data "aws_secretsmanager_random_password" "own_roles" {
  for_each            = local.own_roles
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "own_roles" {
  #checkov:skip=CKV2_AWS_57:The functions set the role's password from this secret when they first meet the instance; a password changed here reaches the role at the next cold start, so there is nothing for a rotation function to do
  for_each                = local.own_roles
  name_prefix             = "${var.name}/${each.key}-role-"
  description             = "The ${each.value} role Sluice keeps on ${local.database_identifier}"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = 7
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "own_roles" {
  for_each  = local.own_roles
  secret_id = aws_secretsmanager_secret.own_roles[each.key].id
  secret_string = jsonencode({
    username = each.value
    password = data.aws_secretsmanager_random_password.own_roles[each.key].random_password
  })

  # Generated once: a new plan's random password is not a change.
  lifecycle {
    ignore_changes = [secret_string]
  }
}
