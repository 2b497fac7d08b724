# One customer managed key for everything Sluice stores: the database, its secrets and Performance Insights, logs,
# the state machines' executions, the topic, the bundle bucket (bundles, the artifact, full reports), the approvals
# table, the dead-letter queue, the functions' environment, the drift schedule.

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_111:A key policy's resource "*" is the key itself; the account administers it through IAM, services only with the conditions below
  #checkov:skip=CKV_AWS_109:A key policy's resource "*" is the key itself; without the account statement the key could become unmanageable
  #checkov:skip=CKV_AWS_356:A key policy's resource "*" is the key itself: no other resource can be named in a key policy
  statement {
    sid       = "AccountAdministersTheKey"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsEncryptsSluiceLogGroups"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account}:log-group:*${var.name}*"]
    }
  }

  # The state machines log their executions through CloudWatch Logs' vended log delivery; their data is encrypted with
  # this key, which log delivery must decrypt to write it (Step Functions' encryption at rest guide).
  statement {
    sid       = "LogDeliveryReadsEncryptedExecutions"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsPublishToTheEncryptedTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "${var.name}: database, secrets, logs, topic, bundles, approvals"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json
  tags                    = local.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
