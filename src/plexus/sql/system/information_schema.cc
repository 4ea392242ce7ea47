// The information_schema views. Each query's output columns are the view's columns (the
// `columns` list only names them for pg_attribute; binding gives the types).
#include "plexus/sql/system/information_schema.h"

namespace plexus::sql::system {

namespace {

constexpr std::string_view kSchemata = R"(
SELECT current_database()::text AS catalog_name, n.nspname::text AS schema_name,
       pg_catalog.pg_get_userbyid(n.nspowner)::text AS schema_owner,
       NULL::text AS default_character_set_catalog, NULL::text AS default_character_set_schema,
       NULL::text AS default_character_set_name, NULL::text AS sql_path
FROM pg_catalog.pg_namespace n)";

constexpr std::string_view kTables = R"(
SELECT current_database()::text AS table_catalog, n.nspname::text AS table_schema,
       c.relname::text AS table_name,
       CASE WHEN left(n.nspname, 8) = 'pg_temp_' THEN 'LOCAL TEMPORARY'
            WHEN c.relkind IN ('r', 'p') THEN 'BASE TABLE'
            WHEN c.relkind = 'v' THEN 'VIEW'
            WHEN c.relkind = 'f' THEN 'FOREIGN'
            ELSE NULL END AS table_type,
       NULL::text AS self_referencing_column_name, NULL::text AS reference_generation,
       NULL::text AS user_defined_type_catalog, NULL::text AS user_defined_type_schema,
       NULL::text AS user_defined_type_name,
       CASE WHEN c.relkind IN ('r', 'p') THEN 'YES' ELSE 'NO' END AS is_insertable_into,
       'NO' AS is_typed, NULL::text AS commit_action
FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_class c ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'v', 'f', 'p'))";

constexpr std::string_view kColumns = R"(
SELECT current_database()::text AS table_catalog, n.nspname::text AS table_schema,
       c.relname::text AS table_name, a.attname::text AS column_name,
       a.attnum::integer AS ordinal_position,
       (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d
        WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef) AS column_default,
       CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable,
       CASE WHEN t.typcategory = 'A' THEN 'ARRAY'
            WHEN t.typname = 'bpchar' THEN 'character'
            ELSE pg_catalog.format_type(a.atttypid, NULL) END AS data_type,
       CASE WHEN a.atttypid IN (1042, 1043) AND a.atttypmod > 0 THEN a.atttypmod - 4
            ELSE NULL END AS character_maximum_length,
       CASE WHEN a.atttypid IN (25, 1042, 1043) THEN
              CASE WHEN a.atttypmod > 0 THEN (a.atttypmod - 4) * 4 ELSE 1073741824 END
            ELSE NULL END AS character_octet_length,
       CASE a.atttypid WHEN 21 THEN 16 WHEN 23 THEN 32 WHEN 20 THEN 64 WHEN 700 THEN 24
            WHEN 701 THEN 53
            WHEN 1700 THEN CASE WHEN a.atttypmod > 0 THEN ((a.atttypmod - 4) / 65536) ELSE NULL END
            ELSE NULL END AS numeric_precision,
       CASE WHEN a.atttypid IN (21, 23, 20, 700, 701) THEN 2
            WHEN a.atttypid = 1700 THEN 10 ELSE NULL END AS numeric_precision_radix,
       CASE WHEN a.atttypid IN (21, 23, 20) THEN 0
            WHEN a.atttypid = 1700 AND a.atttypmod > 0 THEN (a.atttypmod - 4) % 65536
            ELSE NULL END AS numeric_scale,
       CASE WHEN a.atttypid = 1082 THEN 0
            WHEN a.atttypid IN (1083, 1114, 1184, 1186) THEN
              CASE WHEN a.atttypmod >= 0 THEN a.atttypmod ELSE 6 END
            ELSE NULL END AS datetime_precision,
       NULL::text AS interval_type, NULL::integer AS interval_precision,
       NULL::text AS character_set_catalog, NULL::text AS character_set_schema,
       NULL::text AS character_set_name, NULL::text AS collation_catalog,
       NULL::text AS collation_schema, NULL::text AS collation_name,
       NULL::text AS domain_catalog, NULL::text AS domain_schema, NULL::text AS domain_name,
       current_database()::text AS udt_catalog, 'pg_catalog' AS udt_schema,
       t.typname::text AS udt_name, NULL::text AS scope_catalog, NULL::text AS scope_schema,
       NULL::text AS scope_name, NULL::integer AS maximum_cardinality,
       a.attnum::text AS dtd_identifier, 'NO' AS is_self_referencing,
       CASE WHEN a.attidentity IN ('a', 'd') THEN 'YES' ELSE 'NO' END AS is_identity,
       CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' ELSE NULL END
         AS identity_generation,
       NULL::text AS identity_start, NULL::text AS identity_increment,
       NULL::text AS identity_maximum, NULL::text AS identity_minimum,
       CASE WHEN a.attidentity IN ('a', 'd') THEN 'NO' ELSE NULL END AS identity_cycle,
       'NEVER' AS is_generated, NULL::text AS generation_expression,
       CASE WHEN c.relkind IN ('r', 'p') THEN 'YES' ELSE 'NO' END AS is_updatable
FROM pg_catalog.pg_attribute a
     JOIN pg_catalog.pg_class c ON a.attrelid = c.oid
     JOIN pg_catalog.pg_namespace n ON c.relnamespace = n.oid
     JOIN pg_catalog.pg_type t ON a.atttypid = t.oid
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'f', 'p'))";

constexpr std::string_view kTableConstraints = R"(
SELECT current_database()::text AS constraint_catalog, n.nspname::text AS constraint_schema,
       c.conname::text AS constraint_name, current_database()::text AS table_catalog,
       n.nspname::text AS table_schema, r.relname::text AS table_name,
       CASE c.contype WHEN 'c' THEN 'CHECK' WHEN 'f' THEN 'FOREIGN KEY'
                      WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' END AS constraint_type,
       'NO' AS is_deferrable, 'NO' AS initially_deferred, 'YES' AS enforced,
       CASE WHEN c.contype = 'u' THEN 'YES' ELSE NULL END AS nulls_distinct
FROM pg_catalog.pg_constraint c
     JOIN pg_catalog.pg_class r ON c.conrelid = r.oid
     JOIN pg_catalog.pg_namespace n ON r.relnamespace = n.oid)";

constexpr std::string_view kKeyColumnUsage = R"(
SELECT current_database()::text AS constraint_catalog, n.nspname::text AS constraint_schema,
       c.conname::text AS constraint_name, current_database()::text AS table_catalog,
       n.nspname::text AS table_schema, r.relname::text AS table_name,
       a.attname::text AS column_name, k.ord::integer AS ordinal_position,
       CASE WHEN c.contype = 'f' THEN k.ord::integer ELSE NULL END
         AS position_in_unique_constraint
FROM pg_catalog.pg_constraint c
     JOIN pg_catalog.pg_class r ON c.conrelid = r.oid
     JOIN pg_catalog.pg_namespace n ON r.relnamespace = n.oid
     CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
WHERE c.contype IN ('p', 'u', 'f'))";

constexpr std::string_view kReferentialConstraints = R"(
SELECT current_database()::text AS constraint_catalog, n.nspname::text AS constraint_schema,
       c.conname::text AS constraint_name,
       current_database()::text AS unique_constraint_catalog,
       (SELECT un.nspname::text FROM pg_catalog.pg_constraint u
          JOIN pg_catalog.pg_namespace un ON un.oid = u.connamespace
        WHERE u.conrelid = c.confrelid AND u.conindid = c.conindid AND u.contype IN ('p', 'u')
        LIMIT 1) AS unique_constraint_schema,
       (SELECT u.conname::text FROM pg_catalog.pg_constraint u
        WHERE u.conrelid = c.confrelid AND u.conindid = c.conindid AND u.contype IN ('p', 'u')
        LIMIT 1) AS unique_constraint_name,
       'NONE' AS match_option,
       CASE c.confupdtype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
            WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END
         AS update_rule,
       CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
            WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END
         AS delete_rule
FROM pg_catalog.pg_constraint c
     JOIN pg_catalog.pg_namespace n ON c.connamespace = n.oid
WHERE c.contype = 'f')";

constexpr std::string_view kCheckConstraints = R"(
SELECT current_database()::text AS constraint_catalog, n.nspname::text AS constraint_schema,
       c.conname::text AS constraint_name, c.conbin AS check_clause
FROM pg_catalog.pg_constraint c
     JOIN pg_catalog.pg_namespace n ON c.connamespace = n.oid
WHERE c.contype = 'c')";

constexpr std::string_view kViews = R"(
SELECT current_database()::text AS table_catalog, n.nspname::text AS table_schema,
       c.relname::text AS table_name, v.definition AS view_definition,
       'NONE' AS check_option, 'NO' AS is_updatable, 'NO' AS is_insertable_into,
       'NO' AS is_trigger_updatable, 'NO' AS is_trigger_deletable,
       'NO' AS is_trigger_insertable_into
FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_namespace n ON c.relnamespace = n.oid
     JOIN pg_catalog.pg_views v ON v.schemaname = n.nspname AND v.viewname = c.relname
WHERE c.relkind = 'v')";

constexpr std::string_view kSequences = R"(
SELECT current_database()::text AS sequence_catalog, s.schemaname::text AS sequence_schema,
       s.sequencename::text AS sequence_name, s.data_type AS data_type,
       CASE s.data_type WHEN 'smallint' THEN 16 WHEN 'integer' THEN 32 ELSE 64 END
         AS numeric_precision,
       2 AS numeric_precision_radix, 0 AS numeric_scale,
       s.start_value::text AS start_value, s.min_value::text AS minimum_value,
       s.max_value::text AS maximum_value, s.increment_by::text AS increment,
       CASE WHEN s.cycle THEN 'YES' ELSE 'NO' END AS cycle_option
FROM pg_catalog.pg_sequences s)";

SystemRelation View(std::string_view name, int64_t oid, std::string_view query) {
  SystemRelation relation;
  relation.schema = "information_schema";
  relation.name = name;
  relation.oid = oid;
  relation.kind = 'v';
  relation.query = query;
  return relation;
}

}  // namespace

std::vector<SystemRelation> InformationSchemaViews() {
  return {View("schemata", 13100, kSchemata),
          View("tables", 13101, kTables),
          View("columns", 13102, kColumns),
          View("table_constraints", 13103, kTableConstraints),
          View("key_column_usage", 13104, kKeyColumnUsage),
          View("referential_constraints", 13105, kReferentialConstraints),
          View("check_constraints", 13106, kCheckConstraints),
          View("views", 13107, kViews),
          View("sequences", 13108, kSequences)};
}

}  // namespace plexus::sql::system
