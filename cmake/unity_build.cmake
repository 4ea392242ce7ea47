# Unity builds of libplexus and the unit tests (make test's sanitizer build): batches of sources
# compiled as one translation unit, so the headers and the inline and template code they share
# (Asio/Beast, nlohmann/json, RocksDB, the standard library) are parsed and instrumented once per
# batch instead of once per file. Four server/http sources took 60 s of CPU one by one and 24 s
# as one unit. A batch's files share one unnamed namespace per namespace, so the files below,
# which define an internal name (unnamed namespace, static) that another file also defines, or
# say `using namespace`, are compiled on their own. A new such clash shows as a redefinition
# error in the sanitizer build only: rename the helper, or add its file here. Likewise a class
# with external linkage may not hold a member of an unnamed namespace's type
# (-Wsubobject-linkage, which GCC waives only for classes of the main file).
set(plexus_unity_excluded
  src/plexus/catalog/extensions.cc
  src/plexus/catalog/roles.cc
  src/plexus/server/resp/cmd_zset.cc
  src/plexus/server/resp/cmd_zset_combine.cc
  src/plexus/session/role_statements.cc
  src/plexus/sql/bind/bind_subquery.cc
  src/plexus/sql/bind/bind_table_function.cc
  src/plexus/sql/exec/index_maintenance.cc
  src/plexus/sql/exec/key_range.cc
  src/plexus/sql/exec/physical_lookup_join.cc
  src/plexus/sql/exec/physical_modify.cc
  src/plexus/sql/exec/physical_semi_join.cc
  src/plexus/sql/exec/physical_set_operation.cc
  src/plexus/sql/exec/physical_table.cc
  src/plexus/sql/exec/row_locks.cc
  src/plexus/sql/exec/table_writes.cc
  src/plexus/sql/func/bytea_uuid_cast.cc
  src/plexus/sql/func/comparison.cc
  src/plexus/sql/func/datetime_cast.cc
  # In a batch, GCC 12 inlines differently and warns maybe-uninitialized (a false positive on
  # std::optional<std::string> in the ToChar kernels).
  src/plexus/sql/func/datetime_functions.cc
  src/plexus/sql/func/extension_functions.cc
  src/plexus/sql/func/jsonb_cast.cc
  src/plexus/sql/func/jsonb_functions.cc
  src/plexus/sql/func/numeric_functions.cc
  src/plexus/sql/func/string_edit_functions.cc
  src/plexus/sql/func/string_functions.cc
  src/plexus/sql/system/descriptions.cc
  src/plexus/sql/system/privilege_functions.cc
  src/plexus/sql/system/session_functions.cc
  src/plexus/sql/system/system_relations.cc
  src/plexus/sql/types/bytea.cc
  src/plexus/sql/types/datetime_extract.cc
  src/plexus/sql/types/datetime_extract_other_test.cc
  src/plexus/sql/types/datetime_extract_test.cc
  src/plexus/sql/types/datetime_from_char.cc
  src/plexus/sql/types/datetime_input.cc
  src/plexus/sql/types/datetime_to_char.cc
  src/plexus/sql/types/datetime_trunc.cc
  src/plexus/sql/types/datetime_trunc_test.cc
  src/plexus/sql/types/datetime_zone_arith_test.cc
  src/plexus/sql/types/interval_test.cc
  src/plexus/sql/types/jsonb.cc
  src/plexus/sql/types/numeric_codec.cc
  src/plexus/sql/types/numeric_math.cc
  src/plexus/sql/types/numeric_text.cc
  src/plexus/sql/types/timezone.cc
  src/plexus/storage/key_codec_property_test.cc
  src/plexus/storage/key_codec_test.cc
)
list(TRANSFORM plexus_unity_excluded PREPEND ${PROJECT_SOURCE_DIR}/)

# Eight files a batch: a one-file edit recompiles its batch (under a minute of CPU here).
set(PLEXUS_UNITY_BATCH_SIZE 8 CACHE STRING "Sources per unity batch")

function(plexus_unity_build target)
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON
                        UNITY_BUILD_BATCH_SIZE ${PLEXUS_UNITY_BATCH_SIZE})
  set_source_files_properties(${plexus_unity_excluded} TARGET_DIRECTORY ${target}
                              PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endfunction()
