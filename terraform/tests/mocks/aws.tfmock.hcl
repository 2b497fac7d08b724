# The AWS provider as the scenarios mock it (mock_provider "aws" { source = "./tests/mocks" }): the values AWS computes
# that the module reads back, shaped as AWS shapes them. Every other computed attribute gets the provider's mock value.

mock_data "aws_iam_policy_document" {
  defaults = {
    json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  }
}

mock_data "aws_caller_identity" {
  defaults = {
    account_id = "123456789012"
  }
}

mock_data "aws_region" {
  defaults = {
    name = "eu-west-1"
  }
}

mock_data "aws_partition" {
  defaults = {
    partition  = "aws"
    dns_suffix = "amazonaws.com"
  }
}

mock_data "aws_secretsmanager_random_password" {
  defaults = {
    random_password = "generated-password-0123456789abcdefghijkl"
  }
}

mock_resource "aws_kms_key" {
  defaults = {
    arn    = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    key_id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
  }
}

mock_resource "aws_sns_topic" {
  defaults = {
    arn = "arn:aws:sns:eu-west-1:123456789012:sluice-notifications"
    id  = "arn:aws:sns:eu-west-1:123456789012:sluice-notifications"
  }
}

mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:sluice-failed-invocations"
  }
}

mock_resource "aws_lambda_function" {
  defaults = {
    arn = "arn:aws:lambda:eu-west-1:123456789012:function:sluice-function"
  }
}

mock_resource "aws_sfn_state_machine" {
  defaults = {
    arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:sluice-state-machine"
  }
}

mock_resource "aws_secretsmanager_secret" {
  defaults = {
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sluice/database-master-20261207000000000000000001-AbCdEf"
  }
}

mock_resource "aws_dynamodb_table" {
  defaults = {
    arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/sluice-approvals"
  }
}

mock_resource "aws_s3_bucket" {
  defaults = {
    arn = "arn:aws:s3:::sluice-bundles-123456789012"
    id  = "sluice-bundles-123456789012"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = {
    arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/sluice"
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    arn = "arn:aws:iam::123456789012:role/sluice-role"
  }
}

mock_resource "aws_security_group" {
  defaults = {
    id  = "sg-0123456789abcdef0"
    arn = "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0123456789abcdef0"
  }
}

mock_resource "aws_db_parameter_group" {
  defaults = {
    arn = "arn:aws:rds:eu-west-1:123456789012:pg:sluice-postgres17-20261207000000000000000001"
  }
}

mock_resource "aws_ssm_parameter" {
  defaults = {
    arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/sluice/canary"
  }
}

mock_resource "aws_scheduler_schedule" {
  defaults = {
    arn = "arn:aws:scheduler:eu-west-1:123456789012:schedule/default/sluice-drift"
  }
}

mock_resource "aws_s3_object" {
  defaults = {
    version_id = "3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"
  }
}

mock_resource "aws_db_instance" {
  defaults = {
    arn     = "arn:aws:rds:eu-west-1:123456789012:db:sluice-db"
    address = "sluice-db.c9akciq32xyz.eu-west-1.rds.amazonaws.com"
    port    = 5432
    master_user_secret = [{
      secret_arn    = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-3f1c1c1e-0b8d-4e4a-9d5e-1f2e3d4c5b6a-AbCdEf"
      kms_key_id    = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
      secret_status = "active"
    }]
  }
}

mock_resource "aws_serverlessapplicationrepository_cloudformation_stack" {
  defaults = {
    outputs = {
      RotationLambdaARN = "arn:aws:lambda:eu-west-1:123456789012:function:sluice-master-rotation"
    }
  }
}
