// What the sorted-set command files share (cmd_zset.cc, cmd_zset_combine.cc).
#pragma once

#include <string_view>
#include <vector>

#include "plexus/server/resp/service.h"
#include "plexus/server/resp/zset_store.h"

namespace plexus::server::resp {

// The elements of the sorted set `key` (whose metadata is `meta`) as the command's op sees them.
ZSetView ViewOf(CommandContext& c, std::string_view key, const kv::Meta& meta);
// Members in order, with their scores when asked (RESP3: pairs; RESP2: flat).
void ReplyScored(CommandContext& c, const std::vector<ScoredMember>& members, bool with_scores);

}  // namespace plexus::server::resp
