// The embedded API (include/plexus/database.h) over storage::Store and txn::TransactionManager.
// Keys of plexus::Key live in the `app` family.
#include "plexus/database.h"

#include "plexus/base/status.h"
#include "plexus/storage/store.h"
#include "plexus/txn/transaction.h"

namespace plexus {

namespace {

constexpr storage::Family kFamily = storage::Family::kApp;

// Turns a kNotFound read into an empty optional.
Result<std::optional<std::string>> ToOptional(Status status, std::string value) {
  if (status.ok()) return std::optional<std::string>(std::move(value));
  if (status.IsNotFound()) return std::optional<std::string>();
  return status;
}

Result<Iterator> WrapIterator(Result<std::unique_ptr<txn::Iterator>> iterator) {
  if (!iterator.ok()) return iterator.status();
  return Iterator(std::move(iterator).value());
}

}  // namespace

Iterator::Iterator(std::unique_ptr<txn::Iterator> impl) : impl_(std::move(impl)) {}
Iterator::Iterator(Iterator&&) noexcept = default;
Iterator& Iterator::operator=(Iterator&&) noexcept = default;
Iterator::~Iterator() = default;
bool Iterator::Valid() const { return impl_->Valid(); }
void Iterator::Next() { impl_->Next(); }
std::string_view Iterator::key() const { return impl_->key(); }
std::string_view Iterator::value() const { return impl_->value(); }
Status Iterator::status() const { return impl_->status(); }

Transaction::Transaction(std::unique_ptr<txn::Transaction> impl) : impl_(std::move(impl)) {}
Transaction::~Transaction() = default;

Result<std::optional<std::string>> Transaction::Get(const Key& key) {
  std::string value;
  Status status = impl_->Get(kFamily, key.encoded(), &value);
  return ToOptional(std::move(status), std::move(value));
}

Result<std::optional<std::string>> Transaction::GetForUpdate(const Key& key) {
  std::string value;
  Status status = impl_->GetForUpdate(kFamily, key.encoded(), &value);
  return ToOptional(std::move(status), std::move(value));
}

Status Transaction::Put(const Key& key, std::string_view value) {
  return impl_->Put(kFamily, key.encoded(), value);
}

Status Transaction::Delete(const Key& key) { return impl_->Delete(kFamily, key.encoded()); }

Result<Iterator> Transaction::Scan(const Key& lower, const Key& upper) {
  return WrapIterator(impl_->Scan(kFamily, lower.encoded(), upper.encoded()));
}

Result<Iterator> Transaction::ScanPrefix(const Key& prefix) {
  return WrapIterator(impl_->Scan(kFamily, prefix.encoded(), prefix.PrefixEnd()));
}

Status Transaction::Commit() { return impl_->Commit(); }
Status Transaction::Rollback() { return impl_->Rollback(); }
Status Transaction::Savepoint(std::string_view name) { return impl_->Savepoint(name); }
Status Transaction::RollbackToSavepoint(std::string_view name) {
  return impl_->RollbackToSavepoint(name);
}
Status Transaction::ReleaseSavepoint(std::string_view name) {
  return impl_->ReleaseSavepoint(name);
}
void Transaction::SetDurability(Durability durability) { impl_->SetDurability(durability); }

struct Database::Impl {
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<txn::TransactionManager> transactions;

  Status CheckOpen() const {
    return store ? Status::Ok() : Status::Aborted("database is closed");
  }
};

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Database::~Database() {
  // Close() logs its own failures; a destructor cannot return them.
  [[maybe_unused]] Status status = Close();
}

Result<std::unique_ptr<Database>> Database::Open(std::string_view dir, const Options& options) {
  auto impl = std::make_unique<Impl>();
  PLEXUS_ASSIGN_OR_RETURN(impl->store, storage::Store::Open(dir, options));
  impl->transactions = std::make_unique<txn::TransactionManager>(impl->store.get());
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

Result<std::unique_ptr<Transaction>> Database::Begin(const TransactionOptions& options) {
  PLEXUS_RETURN_IF_ERROR(impl_->CheckOpen());
  return std::make_unique<Transaction>(impl_->transactions->Begin(options));
}

Result<std::optional<std::string>> Database::Get(const Key& key) {
  PLEXUS_RETURN_IF_ERROR(impl_->CheckOpen());
  std::string value;
  Status status = impl_->transactions->Get(kFamily, key.encoded(), &value);
  return ToOptional(std::move(status), std::move(value));
}

Status Database::Put(const Key& key, std::string_view value) {
  PLEXUS_RETURN_IF_ERROR(impl_->CheckOpen());
  return impl_->transactions->Put(kFamily, key.encoded(), value);
}

Status Database::Delete(const Key& key) {
  PLEXUS_RETURN_IF_ERROR(impl_->CheckOpen());
  return impl_->transactions->Delete(kFamily, key.encoded());
}

Result<Iterator> Database::Scan(const Key& lower, const Key& upper) {
  PLEXUS_RETURN_IF_ERROR(impl_->CheckOpen());
  return WrapIterator(impl_->transactions->Scan(kFamily, lower.encoded(), upper.encoded()));
}

Result<Iterator> Database::ScanPrefix(const Key& prefix) {
  PLEXUS_RETURN_IF_ERROR(impl_->CheckOpen());
  return WrapIterator(impl_->transactions->Scan(kFamily, prefix.encoded(), prefix.PrefixEnd()));
}

Status Database::Flush() {
  PLEXUS_RETURN_IF_ERROR(impl_->CheckOpen());
  return impl_->store->Flush();
}

Status Database::Close() {
  if (!impl_->store) return Status::Ok();
  const txn::TransactionManager& transactions = *impl_->transactions;
  if (transactions.open_transaction_count() > 0 || transactions.open_iterator_count() > 0) {
    return Status::Busy("cannot close the database: " +
                        std::to_string(transactions.open_transaction_count()) +
                        " transaction(s) and " +
                        std::to_string(transactions.open_iterator_count()) +
                        " iterator(s) still open");
  }
  impl_->transactions.reset();
  Status status = impl_->store->Close();
  impl_->store.reset();
  return status;
}

std::string_view Database::node_id() const {
  return impl_->store ? std::string_view(impl_->store->manifest().node_id) : std::string_view();
}

uint64_t Database::wal_sync_count() const {
  return impl_->store ? impl_->store->WalSyncCount() : 0;
}

uint64_t Database::commit_count() const {
  return impl_->transactions ? impl_->transactions->commit_count() : 0;
}

}  // namespace plexus
