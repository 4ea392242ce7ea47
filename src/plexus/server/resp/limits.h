// Limits of the RESP front end (Redis's own values where Redis has one).
#pragma once

#include <cstddef>
#include <cstdint>

namespace plexus::server::resp {

// Default and bounds of proto-max-bulk-len (Redis: 512 MB default, at least 1 MB).
inline constexpr uint64_t kBulkBytesMaxDefault = uint64_t{512} << 20;
inline constexpr uint64_t kBulkBytesMaxMin = uint64_t{1} << 20;
inline constexpr uint64_t kBulkBytesMaxMax = uint64_t{1} << 36;
// An inline request, or the "*N" / "$N" line of a multibulk one, must end within this many bytes.
inline constexpr size_t kInlineBytesMax = size_t{64} << 10;
// Elements of one request (Redis: INT_MAX).
inline constexpr int64_t kArgumentsMax = int64_t{2147483647};
// Before AUTH, requests are small (Redis's limits for unauthenticated clients).
inline constexpr int64_t kUnauthenticatedArgumentsMax = 10;
inline constexpr int64_t kUnauthenticatedBulkBytesMax = 16384;
// Arguments reserved up front; the rest grow as they arrive, so a huge "*N" costs nothing.
inline constexpr size_t kArgumentsReservedMax = 1024;
inline constexpr int kDatabaseCount = 16;
// Sub-keys returned per SCAN-family call when COUNT asks for more than this.
inline constexpr int64_t kScanCountMax = 1'000'000;
// Commands a commit group (service.cc) takes before it commits. Served by one event loop
// (resp.threads = 1), a group is at most one loop turn's commands, and the more it takes the
// fewer commits (WAL writes, Begin/Commit, memtable inserts of a rewritten key) per command:
// redis-benchmark -c 50 -P 16 runs ~33 clients' 16 commands a turn, which 64 cut into ~9
// groups. Served by several loops, a hot key's stripe is held until the group commits while
// the other loops' commands on that key wait: a small group bounds that wait.
inline constexpr size_t kGroupCommandsOneLoopMax = 1024;
inline constexpr size_t kGroupCommandsSharedMax = 64;
// SAVE/BGSAVE checkpoints kept under <data>/checkpoints (older ones are removed).
inline constexpr size_t kCheckpointsKept = 2;

static_assert(kGroupCommandsSharedMax <= kGroupCommandsOneLoopMax);
static_assert(kBulkBytesMaxMin <= kBulkBytesMaxDefault && kBulkBytesMaxDefault <= kBulkBytesMaxMax);

}  // namespace plexus::server::resp
