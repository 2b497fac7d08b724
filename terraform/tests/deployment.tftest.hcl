# The module as a deployment evaluates it (terraform test, the AWS provider mocked: tests/mocks), one run per
# configuration a team deploys; TerraformTestsTest runs these and fails on any failed run.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  function_zip       = "tests/function.zip"
}

run "defaults" {
  command = apply

  assert {
    condition     = alltrue([for handler, function in aws_lambda_function.this : length(jsonencode(function.environment[0].variables)) <= 4096])
    error_message = "a function's environment is over Lambda's 4 KB"
  }
}

# Item 1 of the second deployment review: an engine upgrade on the module's own database. The live group carries
# logical replication sized for the databases; the next engine's group has the same settings; the upgrade function
# is told its name; every replication parameter is static.
run "blue_green_upgrades" {
  command = apply

  variables {
    master_password_managed_by_rds = false
    blue_green_upgrades            = true
    blue_green_databases           = 30
    upgrade_target_engine_version  = "18"
  }

  assert {
    condition     = aws_db_parameter_group.this.family == "postgres17" && aws_db_parameter_group.upgrade_target[0].family == "postgres18"
    error_message = "a parameter group for the live engine and one for the upgrade's target"
  }
  assert {
    condition = alltrue([for group in [aws_db_parameter_group.this, aws_db_parameter_group.upgrade_target[0]] : alltrue([
      for name, value in {
        "rds.logical_replication"       = "1"
        max_replication_slots           = "40"
        max_wal_senders                 = "40"
        max_logical_replication_workers = "31"
        max_worker_processes            = "GREATEST({DBInstanceVCPU*2},39)"
      } : contains([for parameter in group.parameter : "${parameter.name}=${parameter.value}=${parameter.apply_method}"], "${name}=${value}=pending-reboot")
    ])])
    error_message = "logical replication and its capacity for 30 databases (readiness: slots and senders >= databases + slots in use, workers >= databases + 1, processes above workers), each pending-reboot, on both groups"
  }
  assert {
    condition     = length(setsubtract([for p in aws_db_parameter_group.this.parameter : p.name], [for p in aws_db_parameter_group.upgrade_target[0].parameter : p.name])) == 0
    error_message = "green's group has every setting of the live one (the config rules check them)"
  }
  assert {
    condition     = aws_lambda_function.this["upgrade"].environment[0].variables.SLUICE_AWS_UPGRADE_TARGET_PARAMETER_GROUP == aws_db_parameter_group.upgrade_target[0].name && aws_lambda_function.this["upgrade"].environment[0].variables.SLUICE_AWS_UPGRADE_TARGET_ENGINE_VERSION == "18"
    error_message = "the upgrade function knows the target group and its engine"
  }
  assert {
    condition     = aws_lambda_function.this["validate"].environment[0].variables.SLUICE_AWS_DATABASE_ENGINE_VERSION == "17"
    error_message = "readiness knows the engine the module declares"
  }
  assert {
    condition     = output.upgrade_target_parameter_group == aws_db_parameter_group.upgrade_target[0].name
    error_message = "the target group is an output"
  }
}

run "no_replication_by_default" {
  command = apply

  assert {
    condition     = length(aws_db_parameter_group.upgrade_target) == 0 && !contains([for p in aws_db_parameter_group.this.parameter : p.name], "rds.logical_replication")
    error_message = "without blue_green_upgrades: one group, no logical replication (it costs WAL)"
  }
  assert {
    condition     = aws_lambda_function.this["upgrade"].environment[0].variables.SLUICE_AWS_UPGRADE_TARGET_PARAMETER_GROUP == ""
    error_message = "no target group, none named"
  }
}

run "an_upgrade_target_below_the_engine_is_refused" {
  command = plan

  variables {
    upgrade_target_engine_version = "16"
  }

  expect_failures = [var.upgrade_target_engine_version]
}

# Item 2: leaving the RDS-managed master password. The apply that turns management off carries a password (its
# version goes from none to 1, which sends password_wo), the module's secret is written in the same apply, and the
# rotation is set up; a later version sends a new one and writes the secret again.
run "managed_password" {
  command = apply

  assert {
    condition     = aws_db_instance.this.manage_master_user_password == true && aws_db_instance.this.password_wo_version == null
    error_message = "RDS manages the password by default"
  }
}

run "leave_the_managed_password" {
  command = apply

  variables {
    master_password_managed_by_rds = false
  }

  assert {
    condition     = aws_db_instance.this.manage_master_user_password == null && aws_db_instance.this.password_wo_version == 1
    error_message = "turning management off sends a password (password_wo_version set), as ModifyDBInstance requires"
  }
  assert {
    condition     = jsondecode(aws_secretsmanager_secret_version.master[0].secret_string).password == data.aws_secretsmanager_random_password.master[0].random_password
    error_message = "the module's secret holds the password the same apply sends"
  }
  assert {
    condition     = length(aws_secretsmanager_secret_rotation.master) == 1
    error_message = "the module's secret is rotated"
  }
  assert {
    condition     = aws_lambda_function.this["migrate"].environment[0].variables.SLUICE_AWS_DATABASE_SECRET_ARN == aws_secretsmanager_secret.master[0].arn
    error_message = "the functions' own secret is the module's"
  }
}

run "a_new_password_version" {
  command = apply

  variables {
    master_password_managed_by_rds = false
    master_password_version        = 2
  }

  assert {
    condition     = aws_db_instance.this.password_wo_version == 2 && terraform_data.master_password_version.output == 2
    error_message = "a new version sends a new password and writes the secret again"
  }
}

# Item 8: with reserved concurrency, the fleet function is told how many pipelines a wave may run at once: the smallest
# reservation of the functions a pipeline invokes (migrate's and rollback's 2).
run "reserved_concurrency_caps_a_wave" {
  command = apply

  variables {
    function_reserved_concurrency = true
  }

  assert {
    condition     = aws_lambda_function.this["fleet"].environment[0].variables.SLUICE_AWS_FLEET_MAX_CONCURRENCY == "2" && aws_lambda_function.this["migrate"].reserved_concurrent_executions == 2
    error_message = "a wave runs at most migrate's reservation at once"
  }
  assert {
    condition     = alltrue([for handler, function in aws_lambda_function.this : function.environment[0].variables.SLUICE_AWS_FLEET_MAX_CONCURRENCY == "" if handler != "fleet"])
    error_message = "only the fleet function plans waves"
  }
}

# Item 12: Lambda has no function URLs in some regions; the module says so at plan, naming the region.
run "a_region_without_function_urls_is_refused" {
  command = plan

  override_data {
    target = data.aws_region.current
    values = {
      name = "eu-central-2"
    }
  }

  expect_failures = [aws_lambda_function_url.this]
}

run "arm64_is_refused_until_ci_builds_it" {
  command = plan

  variables {
    function_architecture = "arm64"
  }

  expect_failures = [var.function_architecture]
}

run "the_plan_role_policy" {
  command = apply

  variables {
    master_password_managed_by_rds = false
  }

  assert {
    condition = toset(flatten([for statement in data.aws_iam_policy_document.plan.statement : statement.actions])) == toset([
      "secretsmanager:GetRandomPassword", "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy",
      "kms:Decrypt", "kms:DescribeKey", "serverlessrepo:GetApplication", "serverlessrepo:GetCloudFormationTemplate",
      "cloudformation:DescribeStacks", "cloudformation:GetTemplate", "cloudformation:ListStackResources",
    ])
    error_message = "the plan role's policy: random passwords, the module's secrets and key, the rotation application and its stack"
  }
  assert {
    condition     = contains(one([for statement in data.aws_iam_policy_document.plan.statement : statement.resources if statement.sid == "RotationStack"]), "arn:aws:cloudformation:eu-west-1:123456789012:stack/serverlessrepo-sluice-master-rotation/*")
    error_message = "the stack the Serverless Application Repository names serverlessrepo-<name>"
  }
  assert {
    condition     = output.plan_policy_json == data.aws_iam_policy_document.plan.json
    error_message = "the policy is an output"
  }
}

# Item 12: the Blue/Green statement covers the module's parameter groups, which create authorises as the target group.
run "blue_green_may_name_the_modules_parameter_groups" {
  command = apply

  assert {
    condition     = contains(one([for statement in data.aws_iam_policy_document.function["upgrade"].statement : statement.resources if statement.sid == "BlueGreenDeployments"]), "arn:aws:rds:eu-west-1:123456789012:pg:sluice-postgres*")
    error_message = "CreateBlueGreenDeployment may name the module's parameter groups"
  }
  assert {
    condition     = contains(one([for statement in data.aws_iam_policy_document.function["upgrade"].statement : statement.actions if statement.sid == "MasterSecretRotation"]), "secretsmanager:DescribeSecret")
    error_message = "the switchover reads the master secret's last change"
  }
  assert {
    condition     = toset(flatten([for statement in data.aws_iam_policy_document.fleet.statement : statement.actions if statement.sid == "WavesAndResults"])) == toset(["s3:GetObject", "s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"])
    error_message = "ResultWriter may write a large result in parts (item 7)"
  }
}
