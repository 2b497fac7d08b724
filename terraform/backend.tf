# State in S3, configured at init (bucket, key, region): the terraform workflow's plan passes them from repository
# variables; `terraform init -backend=false` (validate) needs none.
terraform {
  backend "s3" {}
}
