# tflint's bundled Terraform ruleset with every rule on (naming, documented and typed variables and outputs, the
# standard module structure, pinned providers). The AWS ruleset is added in .github/workflows/terraform.yml, where it
# can be downloaded.
plugin "terraform" {
  enabled = true
  preset  = "all"
}
