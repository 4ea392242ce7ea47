// The registry of system relations: their names, OIDs and columns (PostgreSQL 15's, in its
// order, for the columns tools read), and the generators or view queries behind them.
#include "plexus/sql/system/system_relations.h"

#include <algorithm>
#include <unordered_set>

#include "plexus/base/assert.h"
#include "plexus/catalog/type_markers.h"
#include "plexus/sql/system/catalog_snapshot.h"
#include "plexus/sql/system/descriptions.h"
#include "plexus/sql/system/information_schema.h"
#include "plexus/sql/system/row_generators.h"

namespace plexus::sql::system {

using catalog::Type;
using catalog::TypeId;

Type OidType() { return Type::Of(TypeId::kInt64); }
Type NameType() { return Type::Of(TypeId::kText); }
Type BoolType() { return Type::Of(TypeId::kBool); }
Type Int16Type() { return Type::Of(TypeId::kInt16); }
Type Int32Type() { return Type::Of(TypeId::kInt32); }
Type Int64Type() { return Type::Of(TypeId::kInt64); }
Type Float32Type() { return Type::Of(TypeId::kFloat32); }
Type TextType() { return Type::Of(TypeId::kText); }
Type TextArrayType() { return Type::ArrayOf(TypeId::kText); }
Type CharType() { return Type{TypeId::kText, catalog::kInternalCharTypmod, TypeId::kUnknown}; }
Type OidArrayType() { return Type::ArrayOf(TypeId::kInt64); }
Type Int2VectorType() { return Type{TypeId::kArray, kInt2VectorTypmod, TypeId::kInt16}; }

namespace {

SystemRelation Table(std::string_view name, int64_t oid, std::vector<SystemColumn> columns,
                     RowGenerator rows, char kind = 'r') {
  SystemRelation relation;
  relation.schema = "pg_catalog";
  relation.name = name;
  relation.oid = oid;
  relation.kind = kind;
  relation.columns = std::move(columns);
  relation.rows = rows;
  return relation;
}

std::vector<SystemRelation> PgCatalogRelations() {
  const Type o = OidType(), n = NameType(), b = BoolType(), i2 = Int16Type(), i4 = Int32Type(),
             i8 = Int64Type(), f4 = Float32Type(), t = TextType(), ta = TextArrayType(),
             oa = OidArrayType(), v2 = Int2VectorType(), a2 = Type::ArrayOf(TypeId::kInt16),
             c = CharType();
  std::vector<SystemRelation> relations;
  relations.push_back(Table("pg_class", kPgClassOid, {
      {"oid", o}, {"relname", n}, {"relnamespace", o}, {"reltype", o}, {"reloftype", o},
      {"relowner", o}, {"relam", o}, {"relfilenode", o}, {"reltablespace", o},
      {"relpages", i4}, {"reltuples", f4}, {"relallvisible", i4}, {"reltoastrelid", o},
      {"relhasindex", b}, {"relisshared", b}, {"relpersistence", c}, {"relkind", c},
      {"relnatts", i2}, {"relchecks", i2}, {"relhasrules", b}, {"relhastriggers", b},
      {"relhassubclass", b}, {"relrowsecurity", b}, {"relforcerowsecurity", b},
      {"relispopulated", b}, {"relreplident", c}, {"relispartition", b}, {"relrewrite", o},
      {"relfrozenxid", i8}, {"relminmxid", i8}, {"relacl", ta}, {"reloptions", ta},
      {"relpartbound", t}}, PgClassRows));
  relations.push_back(Table("pg_namespace", 2615, {
      {"oid", o}, {"nspname", n}, {"nspowner", o}, {"nspacl", ta}}, PgNamespaceRows));
  relations.push_back(Table("pg_attribute", 1249, {
      {"attrelid", o}, {"attname", n}, {"atttypid", o}, {"attstattarget", i4}, {"attlen", i2},
      {"attnum", i2}, {"attndims", i4}, {"attcacheoff", i4}, {"atttypmod", i4},
      {"attbyval", b}, {"attalign", c}, {"attstorage", c}, {"attcompression", c},
      {"attnotnull", b}, {"atthasdef", b}, {"atthasmissing", b}, {"attidentity", c},
      {"attgenerated", c}, {"attisdropped", b}, {"attislocal", b}, {"attinhcount", i4},
      {"attcollation", o}, {"attacl", ta}, {"attoptions", ta}, {"attfdwoptions", ta},
      {"attmissingval", ta}}, PgAttributeRows));
  relations.push_back(Table("pg_attrdef", 2604, {
      {"oid", o}, {"adrelid", o}, {"adnum", i2}, {"adbin", t}}, PgAttrdefRows));
  relations.push_back(Table("pg_index", 2610, {
      {"indexrelid", o}, {"indrelid", o}, {"indnatts", i2}, {"indnkeyatts", i2},
      {"indisunique", b}, {"indnullsnotdistinct", b}, {"indisprimary", b},
      {"indisexclusion", b}, {"indimmediate", b}, {"indisclustered", b}, {"indisvalid", b},
      {"indcheckxmin", b}, {"indisready", b}, {"indislive", b}, {"indisreplident", b},
      {"indkey", v2}, {"indcollation", oa}, {"indclass", oa}, {"indoption", v2},
      {"indexprs", t}, {"indpred", t}}, PgIndexRows));
  relations.push_back(Table("pg_constraint", kPgConstraintOid, {
      {"oid", o}, {"conname", n}, {"connamespace", o}, {"contype", c}, {"condeferrable", b},
      {"condeferred", b}, {"convalidated", b}, {"conrelid", o}, {"contypid", o},
      {"conindid", o}, {"conparentid", o}, {"confrelid", o}, {"confupdtype", c},
      {"confdeltype", c}, {"confmatchtype", c}, {"conislocal", b}, {"coninhcount", i4},
      {"connoinherit", b}, {"conkey", a2}, {"confkey", a2}, {"conpfeqop", oa},
      {"conppeqop", oa}, {"conffeqop", oa}, {"confdelsetcols", a2}, {"conexclop", oa},
      {"conbin", t}}, PgConstraintRows));
  relations.push_back(Table("pg_sequence", 2224, {
      {"seqrelid", o}, {"seqtypid", o}, {"seqstart", i8}, {"seqincrement", i8},
      {"seqmax", i8}, {"seqmin", i8}, {"seqcache", i8}, {"seqcycle", b}}, PgSequenceRows));
  relations.push_back(Table("pg_type", 1247, {
      {"oid", o}, {"typname", n}, {"typnamespace", o}, {"typowner", o}, {"typlen", i2},
      {"typbyval", b}, {"typtype", c}, {"typcategory", c}, {"typispreferred", b},
      {"typisdefined", b}, {"typdelim", c}, {"typrelid", o}, {"typsubscript", o},
      {"typelem", o}, {"typarray", o}, {"typinput", o}, {"typoutput", o},
      {"typreceive", o}, {"typsend", o}, {"typmodin", o}, {"typmodout", o},
      {"typanalyze", o}, {"typalign", c}, {"typstorage", c}, {"typnotnull", b},
      {"typbasetype", o}, {"typtypmod", i4}, {"typndims", i4}, {"typcollation", o},
      {"typdefaultbin", t}, {"typdefault", t}, {"typacl", ta}}, PgTypeRows));
  relations.push_back(Table("pg_am", 2601, {
      {"oid", o}, {"amname", n}, {"amhandler", o}, {"amtype", c}}, PgAmRows));
  relations.push_back(Table("pg_database", 1262, {
      {"oid", o}, {"datname", n}, {"datdba", o}, {"encoding", i4}, {"datlocprovider", c},
      {"datistemplate", b}, {"datallowconn", b}, {"datconnlimit", i4}, {"datfrozenxid", i8},
      {"datminmxid", i8}, {"dattablespace", o}, {"datcollate", t}, {"datctype", t},
      {"daticulocale", t}, {"datcollversion", t}, {"datacl", ta}}, PgDatabaseRows));
  const std::vector<SystemColumn> role_columns{
      {"rolname", n}, {"rolsuper", b}, {"rolinherit", b}, {"rolcreaterole", b},
      {"rolcreatedb", b}, {"rolcanlogin", b}, {"rolreplication", b}, {"rolconnlimit", i4},
      {"rolpassword", t}, {"rolvaliduntil", Type::Of(TypeId::kTimestampTz)},
      {"rolbypassrls", b}, {"rolconfig", ta}, {"oid", o}};
  relations.push_back(Table("pg_roles", 12001, role_columns, PgRolesRows, 'v'));
  relations.push_back(Table("pg_authid", 1260, role_columns, PgRolesRows));
  relations.push_back(Table("pg_user", 12002, {
      {"usename", n}, {"usesysid", o}, {"usecreatedb", b}, {"usesuper", b}, {"userepl", b},
      {"usebypassrls", b}, {"passwd", t}, {"valuntil", Type::Of(TypeId::kTimestampTz)},
      {"useconfig", ta}}, PgUserRows, 'v'));
  relations.push_back(Table("pg_auth_members", 1261, {
      {"roleid", o}, {"member", o}, {"grantor", o}, {"admin_option", b}}, PgAuthMembersRows));
  relations.push_back(Table("pg_settings", 12003, {
      {"name", t}, {"setting", t}, {"unit", t}, {"category", t}, {"short_desc", t},
      {"extra_desc", t}, {"context", t}, {"vartype", t}, {"source", t}, {"min_val", t},
      {"max_val", t}, {"enumvals", ta}, {"boot_val", t}, {"reset_val", t},
      {"sourcefile", t}, {"sourceline", i4}, {"pending_restart", b}}, PgSettingsRows, 'v'));
  relations.push_back(Table("pg_proc", 1255, {
      {"oid", o}, {"proname", n}, {"pronamespace", o}, {"proowner", o}, {"prolang", o},
      {"procost", f4}, {"prorows", f4}, {"provariadic", o}, {"prosupport", o},
      {"prokind", c}, {"prosecdef", b}, {"proleakproof", b}, {"proisstrict", b},
      {"proretset", b}, {"provolatile", c}, {"proparallel", c}, {"pronargs", i2},
      {"pronargdefaults", i2}, {"prorettype", o}, {"proargtypes", oa},
      {"proallargtypes", oa}, {"proargmodes", ta}, {"proargnames", ta}, {"proargdefaults", t},
      {"protrftypes", oa}, {"prosrc", t}, {"probin", t}, {"prosqlbody", t},
      {"proconfig", ta}, {"proacl", ta}}, PgProcRows));
  relations.push_back(Table("pg_description", 2609, {
      {"objoid", o}, {"classoid", o}, {"objsubid", i4}, {"description", t}},
      PgDescriptionRows));
  relations.push_back(Table("pg_shdescription", 2396, {
      {"objoid", o}, {"classoid", o}, {"description", t}}, NoRows));
  relations.push_back(Table("pg_tablespace", 1213, {
      {"oid", o}, {"spcname", n}, {"spcowner", o}, {"spcacl", ta}, {"spcoptions", ta}},
      PgTablespaceRows));
  relations.push_back(Table("pg_inherits", 2611, {
      {"inhrelid", o}, {"inhparent", o}, {"inhseqno", i4}, {"inhdetachpending", b}}, NoRows));
  relations.push_back(Table("pg_collation", 3456, {
      {"oid", o}, {"collname", n}, {"collnamespace", o}, {"collowner", o},
      {"collprovider", c}, {"collisdeterministic", b}, {"collencoding", i4},
      {"collcollate", t}, {"collctype", t}, {"colliculocale", t}, {"collversion", t}},
      PgCollationRows));
  relations.push_back(Table("pg_extension", 3079, {
      {"oid", o}, {"extname", n}, {"extowner", o}, {"extnamespace", o},
      {"extrelocatable", b}, {"extversion", t}, {"extconfig", oa}, {"extcondition", ta}},
      PgExtensionRows));
  relations.push_back(Table("pg_language", 2612, {
      {"oid", o}, {"lanname", n}, {"lanowner", o}, {"lanispl", b}, {"lanpltrusted", b},
      {"lanplcallfoid", o}, {"laninline", o}, {"lanvalidator", o}, {"lanacl", ta}},
      PgLanguageRows));
  relations.push_back(Table("pg_depend", 2608, {
      {"classid", o}, {"objid", o}, {"objsubid", i4}, {"refclassid", o}, {"refobjid", o},
      {"refobjsubid", i4}, {"deptype", c}}, PgDependRows));
  relations.push_back(Table("pg_enum", 3501, {
      {"oid", o}, {"enumtypid", o}, {"enumsortorder", f4}, {"enumlabel", n}}, NoRows));
  relations.push_back(Table("pg_policy", 3256, {
      {"oid", o}, {"polname", n}, {"polrelid", o}, {"polcmd", c}, {"polpermissive", b},
      {"polroles", oa}, {"polqual", t}, {"polwithcheck", t}}, NoRows));
  relations.push_back(Table("pg_statistic_ext", 3381, {
      {"oid", o}, {"stxrelid", o}, {"stxname", n}, {"stxnamespace", o}, {"stxowner", o},
      {"stxstattarget", i4}, {"stxkeys", v2}, {"stxkind", ta}, {"stxexprs", t}}, NoRows));
  relations.push_back(Table("pg_publication", 6104, {
      {"oid", o}, {"pubname", n}, {"pubowner", o}, {"puballtables", b}, {"pubinsert", b},
      {"pubupdate", b}, {"pubdelete", b}, {"pubtruncate", b}, {"pubviaroot", b}}, NoRows));
  relations.push_back(Table("pg_publication_namespace", 6237, {
      {"oid", o}, {"pnpubid", o}, {"pnnspid", o}}, NoRows));
  relations.push_back(Table("pg_publication_rel", 6106, {
      {"oid", o}, {"prpubid", o}, {"prrelid", o}, {"prqual", t}, {"prattrs", v2}}, NoRows));
  relations.push_back(Table("pg_trigger", 2620, {
      {"oid", o}, {"tgrelid", o}, {"tgparentid", o}, {"tgname", n}, {"tgfoid", o},
      {"tgtype", i2}, {"tgenabled", c}, {"tgisinternal", b}, {"tgconstrrelid", o},
      {"tgconstrindid", o}, {"tgconstraint", o}, {"tgdeferrable", b},
      {"tginitdeferred", b}, {"tgnargs", i2}, {"tgattr", v2}, {"tgargs", t},
      {"tgqual", t}, {"tgoldtable", n}, {"tgnewtable", n}}, NoRows));
  relations.push_back(Table("pg_rewrite", 2618, {
      {"oid", o}, {"rulename", n}, {"ev_class", o}, {"ev_type", c}, {"ev_enabled", c},
      {"is_instead", b}, {"ev_qual", t}, {"ev_action", t}}, NoRows));
  relations.push_back(Table("pg_foreign_table", 3118, {
      {"ftrelid", o}, {"ftserver", o}, {"ftoptions", ta}}, NoRows));
  relations.push_back(Table("pg_partitioned_table", 3350, {
      {"partrelid", o}, {"partstrat", c}, {"partnatts", i2}, {"partdefid", o},
      {"partattrs", v2}, {"partclass", oa}, {"partcollation", oa}, {"partexprs", t}}, NoRows));
  relations.push_back(Table("pg_matviews", 12004, {
      {"schemaname", n}, {"matviewname", n}, {"matviewowner", n}, {"tablespace", n},
      {"hasindexes", b}, {"ispopulated", b}, {"definition", t}}, NoRows, 'v'));
  relations.push_back(Table("pg_tables", 12005, {
      {"schemaname", n}, {"tablename", n}, {"tableowner", n}, {"tablespace", n},
      {"hasindexes", b}, {"hasrules", b}, {"hastriggers", b}, {"rowsecurity", b}},
      PgTablesRows, 'v'));
  relations.push_back(Table("pg_views", 12006, {
      {"schemaname", n}, {"viewname", n}, {"viewowner", n}, {"definition", t}},
      PgViewsRows, 'v'));
  relations.push_back(Table("pg_indexes", 12007, {
      {"schemaname", n}, {"tablename", n}, {"indexname", n}, {"tablespace", n},
      {"indexdef", t}}, PgIndexesRows, 'v'));
  relations.push_back(Table("pg_sequences", 12008, {
      {"schemaname", n}, {"sequencename", n}, {"sequenceowner", n}, {"data_type", t},
      {"start_value", i8}, {"min_value", i8}, {"max_value", i8}, {"increment_by", i8},
      {"cycle", b}, {"cache_size", i8}, {"last_value", i8}}, PgSequencesRows, 'v'));
  relations.push_back(Table("pg_stat_activity", 12009, {
      {"datid", o}, {"datname", n}, {"pid", i4}, {"usesysid", o}, {"usename", n},
      {"application_name", t}, {"client_addr", t}, {"state", t}, {"query", t}},
      NoRows, 'v'));
  // ANALYZE's statistics: the anyarray columns as their text, psql shows them the same.
  relations.push_back(Table("pg_stats", 12010, {
      {"schemaname", n}, {"tablename", n}, {"attname", n}, {"inherited", b},
      {"null_frac", f4}, {"avg_width", i4}, {"n_distinct", f4}, {"most_common_vals", t},
      {"most_common_freqs", t}, {"histogram_bounds", t}, {"correlation", f4},
      {"most_common_elems", t}, {"most_common_elem_freqs", t}, {"elem_count_histogram", t}},
      PgStatsRows, 'v'));
  relations.push_back(Table("pg_stat_user_tables", 12011, {
      {"relid", o}, {"schemaname", n}, {"relname", n}, {"n_live_tup", i8},
      {"n_mod_since_analyze", i8}, {"last_analyze", Type::Of(TypeId::kTimestampTz)},
      {"last_autoanalyze", Type::Of(TypeId::kTimestampTz)}}, PgStatUserTablesRows, 'v'));
  return relations;
}

std::vector<SystemRelation> AllRelations() {
  std::vector<SystemRelation> relations = PgCatalogRelations();
  for (SystemRelation& view : InformationSchemaViews()) relations.push_back(std::move(view));
  return relations;
}

}  // namespace

const std::vector<SystemRelation>& SystemRelations() {
  static const std::vector<SystemRelation> relations = AllRelations();
  return relations;
}

const SystemRelation* FindSystemRelation(std::string_view schema, std::string_view name) {
  if (!IsSystemRelationName(name)) return nullptr;
  for (const SystemRelation& relation : SystemRelations()) {
    if (relation.name == name && relation.schema == schema) return &relation;
  }
  return nullptr;
}

bool IsSystemRelationName(std::string_view name) {
  static const std::unordered_set<std::string_view> names = [] {
    std::unordered_set<std::string_view> set;
    for (const SystemRelation& relation : SystemRelations()) set.insert(relation.name);
    return set;
  }();
  return names.count(name) > 0;
}

const SystemRelation* SystemRelationByOid(int64_t oid) {
  for (const SystemRelation& relation : SystemRelations()) {
    if (relation.oid == oid) return &relation;
  }
  return nullptr;
}

Result<std::vector<SystemRow>> GenerateRows(const SystemRelation& relation,
                                            CatalogSnapshot& snapshot) {
  PLEXUS_ASSERT(relation.rows != nullptr);
  std::vector<SystemRow> rows;
  PLEXUS_RETURN_IF_ERROR(relation.rows(snapshot, &rows));
  for (const SystemRow& row : rows) PLEXUS_ASSERT(row.size() == relation.columns.size());
  return rows;
}

bool IsReservedKeyword(std::string_view word) {
  static const std::unordered_set<std::string_view> reserved{
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
      "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
      "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently",
      "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
      "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal",
      "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
      "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
      "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout",
      "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "lateral",
      "leading", "least", "left", "like", "limit", "localtime", "localtimestamp", "national",
      "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric",
      "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing",
      "position", "precision", "primary", "real", "references", "returning", "right", "row",
      "select", "session_user", "setof", "similar", "smallint", "some", "substring",
      "symmetric", "system_user", "table", "tablesample", "then", "time", "timestamp", "to",
      "trailing", "treat", "trim", "true", "union", "unique", "user", "using", "values",
      "varchar", "variadic", "verbose", "when", "where", "window", "with", "xmlattributes",
      "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse",
      "xmlpi", "xmlroot", "xmlserialize", "xmltable"};
  return reserved.count(word) > 0;
}

}  // namespace plexus::sql::system
