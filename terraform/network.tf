# The database accepts its port from the functions and the application only; the functions may reach the database
# port and, for the AWS APIs, HTTPS: to the VPC endpoints this module creates, or (create_vpc_endpoints = false) to
# aws_api_cidr_blocks, where the VPC's own endpoints or its NAT gateway answer. Nothing else.

locals {
  # The S3 and DynamoDB gateway endpoints need the private subnets' route tables: given, or looked up from the subnets.
  private_route_table_ids = length(var.private_route_table_ids) > 0 ? var.private_route_table_ids : distinct(
    [for subnet, table in data.aws_route_table.private : table.id]
  )
}

data "aws_route_table" "private" {
  for_each  = var.create_vpc_endpoints && length(var.private_route_table_ids) == 0 ? toset(var.private_subnet_ids) : toset([])
  subnet_id = each.value
}

resource "aws_security_group" "database" {
  name        = "${var.name}-database"
  description = "PostgreSQL, reachable from the Sluice functions and the application"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_security_group" "functions" {
  name        = "${var.name}-functions"
  description = "Sluice functions: the database port and the AWS endpoints in the VPC"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_security_group" "endpoints" {
  count       = var.create_vpc_endpoints ? 1 : 0
  name        = "${var.name}-endpoints"
  description = "Interface endpoints the Sluice functions call AWS through"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "database_from_functions" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the Sluice functions"
  ip_protocol                  = "tcp"
  from_port                    = aws_db_instance.this.port
  to_port                      = aws_db_instance.this.port
  referenced_security_group_id = aws_security_group.functions.id
}

resource "aws_vpc_security_group_ingress_rule" "database_from_application" {
  for_each                     = toset(var.application_security_group_ids)
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the application"
  ip_protocol                  = "tcp"
  from_port                    = aws_db_instance.this.port
  to_port                      = aws_db_instance.this.port
  referenced_security_group_id = each.value
}

resource "aws_vpc_security_group_egress_rule" "functions_to_database" {
  security_group_id            = aws_security_group.functions.id
  description                  = "PostgreSQL on the database"
  ip_protocol                  = "tcp"
  from_port                    = aws_db_instance.this.port
  to_port                      = aws_db_instance.this.port
  referenced_security_group_id = aws_security_group.database.id
}

resource "aws_vpc_security_group_egress_rule" "functions_to_endpoints" {
  count                        = var.create_vpc_endpoints ? 1 : 0
  security_group_id            = aws_security_group.functions.id
  description                  = "HTTPS to the AWS interface endpoints"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.endpoints[0].id
}

resource "aws_vpc_security_group_egress_rule" "functions_to_gateway_endpoints" {
  for_each          = var.create_vpc_endpoints ? { s3 = aws_vpc_endpoint.s3[0].prefix_list_id, dynamodb = aws_vpc_endpoint.dynamodb[0].prefix_list_id } : {}
  security_group_id = aws_security_group.functions.id
  description       = "HTTPS to ${each.key} through its gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = each.value
}

resource "aws_vpc_security_group_egress_rule" "functions_to_aws_apis" {
  for_each          = var.create_vpc_endpoints ? toset([]) : toset(var.aws_api_cidr_blocks)
  security_group_id = aws_security_group.functions.id
  description       = "HTTPS to the AWS APIs (the VPC's own endpoints or its NAT gateway)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_functions" {
  count                        = var.create_vpc_endpoints ? 1 : 0
  security_group_id            = aws_security_group.endpoints[0].id
  description                  = "HTTPS from the Sluice functions"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.functions.id
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = var.create_vpc_endpoints ? toset(["secretsmanager", "sns", "rds", "monitoring", "states", "kms"]) : toset([])
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.private_subnet_ids
  security_group_ids  = [aws_security_group.endpoints[0].id]
  private_dns_enabled = true
  tags                = merge(local.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_vpc_endpoint" "s3" {
  count             = var.create_vpc_endpoints ? 1 : 0
  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = local.private_route_table_ids
  tags              = merge(local.tags, { Name = "${var.name}-s3" })
}

resource "aws_vpc_endpoint" "dynamodb" {
  count             = var.create_vpc_endpoints ? 1 : 0
  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${local.region}.dynamodb"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = local.private_route_table_ids
  tags              = merge(local.tags, { Name = "${var.name}-dynamodb" })
}
