// A complete program using the embedded API: typed composite keys, a transaction with a
// savepoint, a prefix scan, and errors as Status values.
#include <iostream>

#include "plexus/database.h"

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "./example-data";
  auto database = plexus::Database::Open(dir);
  if (!database.ok()) {
    std::cerr << "open " << dir << ": " << database.status().ToString() << "\n";
    return 1;
  }
  plexus::Database& db = **database;

  auto transaction = db.Begin();
  if (!transaction.ok()) return 1;
  plexus::Transaction& txn = **transaction;
  // Keys (table, id): every user sorts by id within the "user" prefix.
  for (int64_t id : {3, 1, 2}) {
    if (!txn.Put(plexus::Key().AddText("user").AddInt(id), "user #" + std::to_string(id)).ok()) {
      return 1;
    }
  }
  if (!txn.Savepoint("before_mistake").ok()) return 1;
  if (!txn.Delete(plexus::Key().AddText("user").AddInt(1)).ok()) return 1;
  if (!txn.RollbackToSavepoint("before_mistake").ok()) return 1;  // user 1 is back
  if (plexus::Status status = txn.Commit(); !status.ok()) {
    std::cerr << "commit: " << status.ToString() << "\n";
    return 1;
  }

  {
    // Iterators (and transactions) must be gone before the database closes.
    auto users = db.ScanPrefix(plexus::Key().AddText("user"));
    if (!users.ok()) return 1;
    for (; users->Valid(); users->Next()) {
      auto parts = plexus::Key::FromEncoded(std::string(users->key())).Decode();
      if (!parts.ok()) return 1;
      std::cout << "user " << std::get<int64_t>((*parts)[1].value) << " = " << users->value()
                << "\n";
    }
    if (!users->status().ok()) return 1;
  }
  return db.Close().ok() ? 0 : 1;
}
