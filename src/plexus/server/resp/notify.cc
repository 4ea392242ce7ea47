// Keyspace notifications: flag letters as Redis parses and prints them, and publishing events.
// Events are published while the command runs (as Redis does), on the command's thread; the
// keyspace's own events (expiry, key creation) arrive through kv::KeyEventListener.
#include "plexus/server/resp/notify.h"

#include "plexus/server/resp/service.h"

namespace plexus::server::resp {
namespace {

struct Letter {
  char letter;
  uint32_t flag;
};

// In the order Redis prints them (keyspaceEventsFlagsToString).
constexpr Letter kClassLetters[] = {
    {'g', kNotifyGeneric}, {'$', kNotifyString},  {'l', kNotifyList},    {'s', kNotifySet},
    {'h', kNotifyHash},    {'z', kNotifyZSet},    {'x', kNotifyExpired}, {'e', kNotifyEvicted},
    {'t', kNotifyStream},  {'d', kNotifyModule},  {'n', kNotifyNew},
};

}  // namespace

std::optional<uint32_t> ParseNotifyFlags(std::string_view text) {
  uint32_t flags = 0;
  for (char letter : text) {
    switch (letter) {
      case 'A':
        flags |= kNotifyAll;
        break;
      case 'K':
        flags |= kNotifyKeyspace;
        break;
      case 'E':
        flags |= kNotifyKeyevent;
        break;
      case 'm':
        flags |= kNotifyKeyMiss;
        break;
      default: {
        bool known = false;
        for (const Letter& entry : kClassLetters) {
          if (entry.letter == letter) {
            flags |= entry.flag;
            known = true;
          }
        }
        if (!known) return std::nullopt;
      }
    }
  }
  return flags;
}

std::string FormatNotifyFlags(uint32_t flags) {
  std::string text;
  if ((flags & kNotifyAll) == kNotifyAll) {
    text += 'A';  // Redis prints no 'n' after 'A' (it keeps the flag)
  } else {
    for (const Letter& entry : kClassLetters) {
      if (flags & entry.flag) text += entry.letter;
    }
  }
  if (flags & kNotifyKeyspace) text += 'K';
  if (flags & kNotifyKeyevent) text += 'E';
  if (flags & kNotifyKeyMiss) text += 'm';
  return text;
}

void Service::set_notify_flags(uint32_t flags) {
  notify_flags_.store(flags);
  // The keyspace calls back only for events someone will publish.
  uint32_t events = 0;
  if ((flags & (kNotifyKeyspace | kNotifyKeyevent)) != 0) {
    if (flags & kNotifyExpired) events |= kv::kKeyExpiredEvents;
    if (flags & kNotifyNew) events |= kv::kKeyCreatedEvents;
  }
  keyspace_->SetListenerEvents(events);
}

void Service::Notify(uint32_t type, std::string_view event, int db, std::string_view key) {
  const uint32_t flags = notify_flags();
  if ((flags & type) == 0) return;
  const std::string db_text = std::to_string(db);
  if (flags & kNotifyKeyspace) {
    std::string channel = "__keyspace@" + db_text + "__:";
    channel.append(key);
    Publish(channel, event);
  }
  if (flags & kNotifyKeyevent) {
    std::string channel = "__keyevent@" + db_text + "__:";
    channel.append(event);
    Publish(channel, key);
  }
}

void Service::KeyExpired(int db, std::string_view key) {
  Notify(kNotifyExpired, "expired", db, key);
}

void Service::KeyCreated(int db, std::string_view key) { Notify(kNotifyNew, "new", db, key); }

void CommandContext::Notify(uint32_t type, std::string_view event, std::string_view key) {
  if ((service.notify_flags() & type) == 0) return;
  service.Notify(type, event, client.db, key);
}

void CommandContext::Notify(uint32_t type, std::string_view event, int db, std::string_view key) {
  if ((service.notify_flags() & type) == 0) return;
  service.Notify(type, event, db, key);
}

}  // namespace plexus::server::resp
