# The role the GitHub deploy workflow assumes through OIDC (no long-lived keys): upload a bundle, start the pipeline
# through the start function's URL (which records who started the release: never its approver), follow its
# execution, read the full reports it links. It may not start the pipeline directly. Created only with
# var.github_repository.

data "aws_iam_policy_document" "deploy_assume" {
  count = var.github_repository == null ? 0 : 1

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:ref:refs/heads/main", "repo:${var.github_repository}:environment:production"]
    }
  }
}

data "aws_iam_policy_document" "deploy" {
  # Calling the start URL: the only way this role starts the pipeline.
  source_policy_documents = [data.aws_iam_policy_document.url_caller["start"].json]

  statement {
    sid       = "UploadBundles"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.bundles.arn}/releases/*"]
  }

  statement {
    sid       = "ReadFullReports"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.bundles.arn}/reports/*"]
  }

  statement {
    sid       = "EncryptBundles"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
  }

  statement {
    sid       = "FollowTheExecution"
    actions   = ["states:DescribeExecution", "states:GetExecutionHistory"]
    resources = ["arn:${local.partition}:states:${local.region}:${local.account}:execution:${local.pipeline_name}:*"]
  }
}

resource "aws_iam_role" "deploy" {
  count              = var.github_repository == null ? 0 : 1
  name               = "${var.name}-github-deploy"
  assume_role_policy = data.aws_iam_policy_document.deploy_assume[0].json
  # The deploy job waits on its execution for up to 6 hours (timeout-minutes 360 in .github/workflows/deploy.yml, which
  # asks for sessions this long): an hour's credentials expired mid-wait and failed the job while the release went on.
  max_session_duration = 21600
  tags                 = local.tags

  lifecycle {
    precondition {
      condition     = var.github_oidc_provider_arn != null
      error_message = "github_oidc_provider_arn is required with github_repository."
    }
  }
}

resource "aws_iam_role_policy" "deploy" {
  count  = var.github_repository == null ? 0 : 1
  name   = "sluice-deploy"
  role   = aws_iam_role.deploy[0].id
  policy = data.aws_iam_policy_document.deploy.json
}
