// Row locks of SELECT ... FOR UPDATE/SHARE, UPDATE and DELETE: one row at a time (LockRow), and
// the kLockRows operator (MakeLockRowsOperator in operators.h).
#pragma once

#include <string>
#include <string_view>

#include "plexus/base/status.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/plan/plan.h"

namespace plexus::sql {

enum class RowLockResult : uint8_t {
  kLocked,   // locked; `latest` holds the row as it is now
  kGone,     // deleted since the statement's snapshot (nothing stays locked)
  kSkipped,  // SKIP LOCKED, and another transaction holds it
};

// Locks the row stored at `key` of a table as `locking` says. NOWAIT fails with 55P03 naming
// `relation` when another transaction holds the row.
Result<RowLockResult> LockRow(ExecContext& context, const RowLocking& locking,
                              std::string_view relation, std::string_view key,
                              std::string* latest);

}  // namespace plexus::sql
