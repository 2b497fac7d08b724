terraform {
  # 1.11: write-only arguments (the master password, database.tf).
  required_version = ">= 1.11.1"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.88: aws_db_instance.password_wo.
      version = ">= 5.88.0, < 7.0.0"
    }
  }
}
