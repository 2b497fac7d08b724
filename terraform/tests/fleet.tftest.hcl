# Item 4 of the second deployment review: a fleet of 500 databases. Lambda refuses an environment over 4 KB (every
# function update fails), so the secrets and approvers live in the lists object; IAM's 10,240 characters of a role's
# inline policies hold no 500 ARNs, so a large fleet's secrets are granted by tag.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  function_zip       = "tests/function.zip"
  # 106 characters each, as RDS-style secret ARNs of a fleet run.
  database_secret_arns    = [for i in range(500) : format("arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleet/orders-%03d/sluice-migrations-credentials-AbCdEf", i)]
  parity_other_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:staging/orders/sluice-migrator-credentials-AbCdEf"
  approvers = {
    "arn:aws:sts::123456789012:assumed-role/DatabaseReleaseApprovers/alice.example@example.com" = "alice"
    "arn:aws:sts::123456789012:assumed-role/DatabaseReleaseApprovers/bob.example@example.com"   = "bob"
    "arn:aws:sts::123456789012:assumed-role/DatabaseReleaseApprovers/carol.example@example.com" = "carol"
  }
}

run "five_hundred_databases" {
  command = apply

  assert {
    condition     = length(var.database_secret_arns[0]) == 106
    error_message = "the fleet's ARNs are as long as real ones"
  }
  assert {
    condition     = alltrue([for handler, function in aws_lambda_function.this : length(jsonencode(function.environment[0].variables)) <= 4096])
    error_message = "every function's environment within Lambda's 4 KB: ${jsonencode({ for handler, function in aws_lambda_function.this : handler => length(jsonencode(function.environment[0].variables)) })}"
  }
  assert {
    condition     = jsonencode(jsondecode(aws_s3_object.deployment_lists.content).databaseSecrets) == jsonencode(var.database_secret_arns)
    error_message = "the lists object names every one of the 500 secrets, exactly"
  }
  assert {
    condition     = jsonencode(jsondecode(aws_s3_object.deployment_lists.content).paritySecrets) == jsonencode([var.parity_other_secret_arn]) && length(jsondecode(aws_s3_object.deployment_lists.content).approvers) == 3
    error_message = "the parity secret and the three approvers are in the lists object"
  }
  assert {
    condition     = aws_s3_object.deployment_lists.key == "config/lists-${sha256(aws_s3_object.deployment_lists.content)}.json" && aws_lambda_function.this["migrate"].environment[0].variables.SLUICE_AWS_LISTS_SHA256 == sha256(aws_s3_object.deployment_lists.content)
    error_message = "the object's key and the functions' environment carry its SHA-256"
  }
  assert {
    condition     = aws_lambda_function.this["validate"].environment[0].variables.SLUICE_AWS_LISTS_SECRETS == "databaseSecrets,paritySecrets" && aws_lambda_function.this["migrate"].environment[0].variables.SLUICE_AWS_LISTS_SECRETS == "databaseSecrets"
    error_message = "only validate may name the parity database"
  }
  assert {
    condition = alltrue([for handler, document in data.aws_iam_policy_document.function : alltrue([
      for statement in document.statement : length(join("", statement.resources)) < 4000
    ])])
    error_message = "no statement lists the fleet's ARNs one by one"
  }
  assert {
    condition     = contains([for statement in data.aws_iam_policy_document.function["migrate"].statement : statement.sid], "TaggedDatabaseSecrets")
    error_message = "the fleet's secrets are granted by their sluice:deployment tag"
  }
}

run "a_small_fleet_is_granted_by_arn" {
  command = apply

  variables {
    database_secret_arns = [for i in range(3) : format("arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleet/orders-%03d/sluice-migrations-credentials-AbCdEf", i)]
  }

  assert {
    condition     = !contains([for statement in data.aws_iam_policy_document.function["migrate"].statement : statement.sid], "TaggedDatabaseSecrets")
    error_message = "three secrets need no tag"
  }
  assert {
    condition     = length(setsubtract(var.database_secret_arns, one([for statement in data.aws_iam_policy_document.function["migrate"].statement : statement.resources if statement.sid == "DatabaseSecret"]))) == 0
    error_message = "each of three secrets is granted by its ARN"
  }
}
