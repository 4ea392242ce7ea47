// Keyspace notifications (CONFIG SET notify-keyspace-events): Redis's event classes, its flag
// letters, and the channels events are published on (__keyspace@<db>__:<key> carries the event
// name, __keyevent@<db>__:<event> carries the key).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace plexus::server::resp {

enum NotifyClass : uint32_t {
  kNotifyKeyspace = 1 << 0,  // K
  kNotifyKeyevent = 1 << 1,  // E
  kNotifyGeneric = 1 << 2,   // g: del, expire, rename_from, rename_to, copy_to, persist, ...
  kNotifyString = 1 << 3,    // $
  kNotifyList = 1 << 4,      // l
  kNotifySet = 1 << 5,       // s
  kNotifyHash = 1 << 6,      // h
  kNotifyZSet = 1 << 7,      // z
  kNotifyExpired = 1 << 8,   // x
  kNotifyEvicted = 1 << 9,   // e
  kNotifyStream = 1 << 10,   // t
  kNotifyKeyMiss = 1 << 11,  // m (not part of A)
  kNotifyModule = 1 << 12,   // d
  kNotifyNew = 1 << 13,      // n (not part of A)
  // A: every class but key-miss and new, as Redis 7 defines it.
  kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet | kNotifyHash |
               kNotifyZSet | kNotifyExpired | kNotifyEvicted | kNotifyStream | kNotifyModule,
};

// Redis's keyspaceEventsStringToFlags: nullopt for an unknown letter.
std::optional<uint32_t> ParseNotifyFlags(std::string_view text);
// Redis's keyspaceEventsFlagsToString (what CONFIG GET shows).
std::string FormatNotifyFlags(uint32_t flags);

}  // namespace plexus::server::resp
