// Savepoints of the per-transaction notification queue (notify.h): ROLLBACK TO SAVEPOINT drops
// the notifications queued since the savepoint, as PostgreSQL discards a rolled-back
// subtransaction's NOTIFYs. The marks live with the queue; the session calls these next to the
// transaction's own savepoint operations.
#pragma once

#include <string_view>

namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn

namespace plexus::sql {

// SAVEPOINT name: remembers how many notifications `transaction` has queued.
void MarkNotifications(const txn::Transaction* transaction, std::string_view savepoint);
// ROLLBACK TO SAVEPOINT name: drops what was queued since the (latest) mark of that name and
// the marks after it; the mark stays, as the savepoint does.
void RollbackNotifications(const txn::Transaction* transaction, std::string_view savepoint);
// RELEASE SAVEPOINT name: forgets that mark and the later ones; the notifications stay.
void ReleaseNotificationMark(const txn::Transaction* transaction, std::string_view savepoint);

}  // namespace plexus::sql
