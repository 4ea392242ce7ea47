// Options of an embedded Plexus database and of one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "plexus/status.h"

namespace plexus {

// When an acknowledged commit is on stable storage.
enum class Durability : uint8_t {
  kSync,      // the WAL is fsynced before commit returns; concurrent committers share one fsync
  kPeriodic,  // the WAL is fsynced every Options::periodic_sync_ms; a crash loses at most that much
  kOff,       // the OS decides; survives a process crash, not a power loss
};

enum class IsolationLevel : uint8_t {
  kReadCommitted,   // every read sees the latest committed data
  kRepeatableRead,  // every read sees the snapshot taken at begin (snapshot isolation)
};

std::string_view DurabilityName(Durability durability);          // "sync", "periodic", "off"
Result<Durability> ParseDurability(std::string_view text);
std::string_view IsolationLevelName(IsolationLevel isolation);   // "read committed", ...
Result<IsolationLevel> ParseIsolationLevel(std::string_view text);

struct Options {
  bool create_if_missing = true;
  Durability durability = Durability::kSync;
  uint32_t periodic_sync_ms = 10;
  uint64_t block_cache_bytes = uint64_t{256} << 20;
  uint64_t write_buffer_bytes = uint64_t{64} << 20;
  uint32_t background_jobs = 2;
  IsolationLevel isolation = IsolationLevel::kRepeatableRead;
  // How long a transaction waits for a lock held by another before failing with kLockTimeout.
  uint32_t lock_timeout_ms = 1000;
};

// Per-transaction overrides of the database's Options; unset fields take the database's value.
struct TransactionOptions {
  std::optional<IsolationLevel> isolation;
  std::optional<Durability> durability;
  std::optional<uint32_t> lock_timeout_ms;
};

}  // namespace plexus
