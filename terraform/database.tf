# RDS PostgreSQL: encrypted with the key, in the private subnets, never public, protected from deletion, backed up
# with a final snapshot, the master password generated and rotated by RDS in Secrets Manager, logs exported,
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
    for_each = local.database_parameters
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

  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.this.arn

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
