# The bundle bucket (versioned, encrypted, private, TLS only): migration bundles under releases/, the function
# artifact under functions/, and under reports/ the full reports of function results too large for a state machine's
# 256 KiB; and the approvals table (point-in-time recovery, encrypted).

resource "aws_s3_bucket" "bundles" {
  #checkov:skip=CKV_AWS_144:Bundles are rebuilt from the repository by the deploy job; a replica in another region adds nothing
  #checkov:skip=CKV2_AWS_62:Nothing reacts to a new bundle: the deploy job starts the pipeline itself
  #checkov:skip=CKV_AWS_18:Access logging goes to var.bundle_access_log_bucket when set (aws_s3_bucket_logging below); there is no log bucket to name by default
  bucket_prefix = "${var.name}-bundles-"
  tags          = local.tags
}

resource "aws_s3_bucket_versioning" "bundles" {
  bucket = aws_s3_bucket.bundles.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "bundles" {
  bucket = aws_s3_bucket.bundles.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "bundles" {
  bucket                  = aws_s3_bucket.bundles.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "bundles" {
  bucket = aws_s3_bucket.bundles.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "bundles" {
  bucket = aws_s3_bucket.bundles.id

  rule {
    id     = "old-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 365
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  rule {
    id     = "fleet-results"
    status = "Enabled"

    filter {
      prefix = "fleet/"
    }

    expiration {
      days = var.report_retention_days
    }
  }

  rule {
    id     = "full-reports"
    status = "Enabled"

    filter {
      prefix = "reports/"
    }

    expiration {
      days = var.report_retention_days
    }
  }
}

resource "aws_s3_bucket_logging" "bundles" {
  count         = var.bundle_access_log_bucket == null ? 0 : 1
  bucket        = aws_s3_bucket.bundles.id
  target_bucket = var.bundle_access_log_bucket
  target_prefix = "${var.name}-bundles/"
}

data "aws_iam_policy_document" "bundles" {
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.bundles.arn, "${aws_s3_bucket.bundles.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "bundles" {
  bucket     = aws_s3_bucket.bundles.id
  policy     = data.aws_iam_policy_document.bundles.json
  depends_on = [aws_s3_bucket_public_access_block.bundles]
}

resource "aws_dynamodb_table" "approvals" {
  name                        = "${var.name}-approvals"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "execution"
  range_key                   = "entry"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "execution"
    type = "S"
  }

  attribute {
    name = "entry"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.this.arn
  }

  tags = local.tags
}
