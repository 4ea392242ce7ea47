// Pub/sub: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH PUBSUB. Messages go to each
// subscriber's connection from the publisher's thread (Connection::Send); RESP3 subscribers get
// push messages, RESP2 ones arrays (and are in subscribe mode, where only these commands, PING,
// QUIT and RESET are allowed).
#include "plexus/server/resp/cmd_util.h"
#include "plexus/server/resp/service.h"

namespace plexus::server::resp {
namespace {

void Confirm(CommandContext& c, std::string_view kind, const std::string_view* channel,
             size_t count) {
  c.reply.Push(3);
  c.reply.Bulk(kind);
  if (channel != nullptr) {
    c.reply.Bulk(*channel);
  } else {
    c.reply.Null();
  }
  c.reply.Integer(static_cast<int64_t>(count));
}

void SubscribeGeneric(CommandContext& c, bool pattern) {
  for (size_t i = 1; i < c.argc(); ++i) {
    const size_t count = c.service.Subscribe(c.client, c.arg(i), pattern);
    const std::string_view channel = c.arg(i);
    Confirm(c, pattern ? "psubscribe" : "subscribe", &channel, count);
  }
}

void UnsubscribeGeneric(CommandContext& c, bool pattern) {
  std::vector<std::string> names;
  if (c.argc() > 1) {
    names.assign(c.args.begin() + 1, c.args.end());
  } else {
    const auto& mine = pattern ? c.client.patterns : c.client.channels;
    names.assign(mine.begin(), mine.end());
  }
  const std::string_view kind = pattern ? "punsubscribe" : "unsubscribe";
  if (names.empty()) {
    return Confirm(c, kind, nullptr, c.client.channels.size() + c.client.patterns.size());
  }
  for (const std::string& name : names) {
    const size_t count = c.service.Unsubscribe(c.client, name, pattern);
    const std::string_view channel = name;
    Confirm(c, kind, &channel, count);
  }
}

void Subscribe(CommandContext& c) { SubscribeGeneric(c, false); }
void PSubscribe(CommandContext& c) { SubscribeGeneric(c, true); }
void Unsubscribe(CommandContext& c) { UnsubscribeGeneric(c, false); }
void PUnsubscribe(CommandContext& c) { UnsubscribeGeneric(c, true); }

void Publish(CommandContext& c) { c.reply.Integer(c.service.Publish(c.arg(1), c.arg(2))); }

void PubSub(CommandContext& c) {
  const std::string sub = ToLower(c.arg(1));
  if (sub == "channels" && c.argc() <= 3) {
    const auto names = c.service.ActiveChannels(c.argc() == 3 ? c.arg(2) : "");
    c.reply.Array(names.size());
    for (const std::string& name : names) c.reply.Bulk(name);
    return;
  }
  if (sub == "numsub") {
    c.reply.Map(c.argc() - 2);
    for (size_t i = 2; i < c.argc(); ++i) {
      c.reply.Bulk(c.arg(i));
      c.reply.Integer(c.service.SubscriberCount(c.arg(i)));
    }
    return;
  }
  if (sub == "numpat" && c.argc() == 2) return c.reply.Integer(c.service.PatternCount());
  c.Error("ERR unknown subcommand or wrong number of arguments for '" +
          std::string(c.arg(1).substr(0, 128)) + "'. Try PUBSUB HELP.");
}

}  // namespace

void AddPubSubCommands(std::vector<CommandSpec>* table) {
  const uint32_t flags = kPubSub | kLoading | kStale | kAllowInSubscribe;
  table->insert(table->end(),
                {
                    {"subscribe", -2, flags, 0, 0, 0, Subscribe},
                    {"psubscribe", -2, flags, 0, 0, 0, PSubscribe},
                    {"unsubscribe", -1, flags, 0, 0, 0, Unsubscribe},
                    {"punsubscribe", -1, flags, 0, 0, 0, PUnsubscribe},
                    {"publish", 3, kPubSub | kLoading | kStale | kFast, 0, 0, 0, Publish},
                    {"pubsub", -2, kPubSub | kLoading | kStale, 0, 0, 0, PubSub},
                });
}

}  // namespace plexus::server::resp
