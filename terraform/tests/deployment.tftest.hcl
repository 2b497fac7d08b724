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
