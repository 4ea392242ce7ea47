// Catalog: tables, views and schemas, persisted in the `catalog` family through the caller's
// transaction, so DDL commits or rolls back with the rest of the transaction. Objects are
// stored as JSON (readable with any RocksDB tool, and versionable by adding fields).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/table.h"
#include "plexus/txn/transaction.h"

namespace plexus::catalog {

class Catalog {
 public:
  // kNotFound when the table does not exist.
  Result<TableDefPtr> FindTable(txn::Transaction& transaction, std::string_view schema,
                                std::string_view name);
  // Assigns def->id (and index ids). kAlreadyExists when a table or view has the name.
  Status CreateTable(txn::Transaction& transaction, TableDef* def);
  // Replaces the stored definition of an existing table (ALTER TABLE, CREATE INDEX).
  Status UpdateTable(txn::Transaction& transaction, const TableDef& def);
  // Removes the definition. Rows and index entries are the caller's to delete.
  Status DropTable(txn::Transaction& transaction, const TableDef& def);
  Result<std::vector<TableDefPtr>> ListTables(txn::Transaction& transaction);

  Result<std::shared_ptr<const ViewDef>> FindView(txn::Transaction& transaction,
                                                  std::string_view schema, std::string_view name);
  Status CreateView(txn::Transaction& transaction, const ViewDef& def);
  Status DropView(txn::Transaction& transaction, const ViewDef& def);

  // kNotFound when the sequence does not exist.
  Result<std::shared_ptr<const SequenceDef>> FindSequence(txn::Transaction& transaction,
                                                          std::string_view schema,
                                                          std::string_view name);
  // Assigns def->id. kAlreadyExists when a relation has the name.
  Status CreateSequence(txn::Transaction& transaction, SequenceDef* def);
  Status UpdateSequence(txn::Transaction& transaction, const SequenceDef& def);
  Status DropSequence(txn::Transaction& transaction, const SequenceDef& def);
  Result<std::vector<std::shared_ptr<const SequenceDef>>> ListSequences(
      txn::Transaction& transaction);

  Status CreateSchema(txn::Transaction& transaction, std::string_view name);
  Status DropSchema(txn::Transaction& transaction, std::string_view name);
  Result<bool> SchemaExists(txn::Transaction& transaction, std::string_view name);

  // A new id for a table or index, unique in this data directory.
  Result<uint32_t> AllocateId(txn::Transaction& transaction);

  // Changes whenever a definition is written (in any transaction, before and again after it
  // commits): plans bound at another version may be stale and are bound again.
  uint64_t version() const { return version_.load(std::memory_order_acquire); }
  void BumpVersion() { version_.fetch_add(1, std::memory_order_acq_rel); }
  // Unique in the process: caches keyed by (catalog, version) must not mistake a new catalog
  // at a dead one's address for it.
  uint64_t instance() const { return instance_; }

 private:
  static inline std::atomic<uint64_t> instances_{0};
  std::atomic<uint64_t> version_{0};
  const uint64_t instance_ = instances_.fetch_add(1, std::memory_order_relaxed) + 1;
};

}  // namespace plexus::catalog
