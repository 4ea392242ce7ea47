// The system information and catalog functions tools call: format_type, pg_get_indexdef,
// pg_get_constraintdef, pg_get_viewdef, pg_get_expr, pg_table_is_visible, obj_description,
// current_schema(s), current_database, current_user, has_*_privilege, version,
// pg_backend_pid, pg_get_userbyid, pg_encoding_to_char, pg_get_serial_sequence, the reg*
// conversions (regclassout, to_regclass, ...), current_setting.
#pragma once

#include "plexus/sql/func/function.h"

namespace plexus::sql::system {

void RegisterCatalogFunctions(FunctionRegistry& registry);  // catalog_functions.cc
void RegisterSessionFunctions(FunctionRegistry& registry);  // session_functions.cc
void RegisterPrivilegeFunctions(FunctionRegistry& registry);  // privilege_functions.cc
void RegisterProcFunctions(FunctionRegistry& registry);       // pg_proc_rows.cc

}  // namespace plexus::sql::system
