package io.sluice.sql;

import java.util.List;

/**
 * The catalogs every database of a server shares (PostgreSQL's {@code relisshared}), and the system views over them:
 * a lock on one of them is a lock on the whole server (a login reads {@code pg_database} and {@code pg_authid}).
 */
final class SharedCatalogs {

    static final List<String> NAMES = List.of("pg_authid", "pg_auth_members", "pg_database", "pg_db_role_setting", "pg_tablespace",
            "pg_shdepend", "pg_shdescription", "pg_shseclabel", "pg_replication_origin", "pg_subscription", "pg_parameter_acl",
            "pg_roles", "pg_user", "pg_shadow", "pg_group", "pg_stat_database", "pg_stat_database_conflicts", "pg_stat_subscription",
            "pg_replication_origin_status", "pg_stat_subscription_stats");

    private SharedCatalogs() {
    }
}
