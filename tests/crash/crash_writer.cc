// The writer side of the crash test. `crash_writer write DIR THREADS` commits records from
// several threads in `sync` mode and prints each record's id only after its commit returned;
// it runs until killed. `crash_writer verify DIR` reads ids from stdin and checks that each is
// in the store, and that every transaction in the store is whole.
//
// Every transaction writes two keys, (0, id) and (1, id), so a torn transaction is detectable.
#include <unistd.h>

#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "plexus/database.h"

namespace {

constexpr int64_t kRecordPart = 0;
constexpr int64_t kMirrorPart = 1;

plexus::Key RecordKey(int64_t part, int64_t id) { return plexus::Key().AddInt(part).AddInt(id); }

std::string RecordValue(int64_t id) { return "record-" + std::to_string(id) + std::string(80, '.'); }

// One write(2) per line, so a kill never leaves half a line behind a complete one.
void PrintAcknowledged(int64_t id) {
  char line[32];
  int length = std::snprintf(line, sizeof(line), "%" PRId64 "\n", id);
  if (::write(STDOUT_FILENO, line, static_cast<size_t>(length)) != length) std::_Exit(3);
}

int Write(const std::string& dir, int threads) {
  plexus::Options options;
  options.durability = plexus::Durability::kSync;
  auto database = plexus::Database::Open(dir, options);
  if (!database.ok()) {
    std::cerr << "open: " << database.status().ToString() << "\n";
    return 1;
  }
  // Continue numbering after the largest id of earlier rounds (keys sort by id).
  std::atomic<int64_t> next_id{0};
  auto it = (*database)->ScanPrefix(plexus::Key().AddInt(kRecordPart));
  if (!it.ok()) return 1;
  std::string last_key;
  for (; it->Valid(); it->Next()) last_key = it->key();
  if (!last_key.empty()) {
    auto parts = plexus::Key::FromEncoded(last_key).Decode();
    if (!parts.ok()) return 1;
    next_id = std::get<int64_t>((*parts)[1].value) + 1;
  }

  // The driver starts its kill timer when it reads this line (stdout holds only ids).
  std::cerr << "ready" << std::endl;
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&] {
      while (true) {
        int64_t id = next_id.fetch_add(1);
        auto transaction = (*database)->Begin();
        if (!transaction.ok()) std::_Exit(4);
        if (!(*transaction)->Put(RecordKey(kRecordPart, id), RecordValue(id)).ok() ||
            !(*transaction)->Put(RecordKey(kMirrorPart, id), std::to_string(id)).ok()) {
          std::_Exit(5);
        }
        plexus::Status status = (*transaction)->Commit();
        if (!status.ok()) {
          std::cerr << "commit: " << status.ToString() << "\n";
          std::_Exit(6);
        }
        PrintAcknowledged(id);
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  return 0;
}

int Verify(const std::string& dir) {
  auto database = plexus::Database::Open(dir);
  if (!database.ok()) {
    std::cerr << "reopen failed: " << database.status().ToString() << "\n";
    return 1;
  }
  std::unordered_set<int64_t> records;
  std::unordered_set<int64_t> mirrors;
  for (int64_t part : {kRecordPart, kMirrorPart}) {
    auto it = (*database)->ScanPrefix(plexus::Key().AddInt(part));
    if (!it.ok()) return 1;
    for (; it->Valid(); it->Next()) {
      auto parts = plexus::Key::FromEncoded(std::string(it->key())).Decode();
      if (!parts.ok() || parts->size() != 2) {
        std::cerr << "undecodable key in store\n";
        return 1;
      }
      int64_t id = std::get<int64_t>((*parts)[1].value);
      if (part == kRecordPart && it->value() != RecordValue(id)) {
        std::cerr << "record " << id << " has a wrong value\n";
        return 1;
      }
      (part == kRecordPart ? records : mirrors).insert(id);
    }
  }
  if (records != mirrors) {
    std::cerr << "torn transaction: " << records.size() << " records, " << mirrors.size()
              << " mirrors\n";
    return 1;
  }
  int64_t acknowledged = 0;
  int64_t missing = 0;
  for (int64_t id; std::cin >> id;) {
    ++acknowledged;
    if (!records.count(id)) {
      if (missing < 10) std::cerr << "acknowledged record " << id << " is missing\n";
      ++missing;
    }
  }
  std::cout << "acknowledged=" << acknowledged << " missing=" << missing
            << " stored=" << records.size() << "\n";
  return missing == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "write" && argc == 4) return Write(argv[2], std::atoi(argv[3]));
  if (mode == "verify" && argc == 3) return Verify(argv[2]);
  std::cerr << "usage: crash_writer write DIR THREADS | crash_writer verify DIR < ids\n";
  return 2;
}
