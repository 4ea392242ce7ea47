// Redis 7's ACL command categories (+@read, -@dangerous, ACL CAT).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace plexus::server::resp {

struct CommandCategories {
  std::string_view name;  // "get", or "config|set" for a container's subcommand
  uint32_t categories;    // bit i: AclCategoryNames()[i]
};

// The category names in ACL CAT's order ("keyspace", "read", "write", ...).
std::span<const std::string_view> AclCategoryNames();
// The index of a category name, or -1.
int AclCategoryIndex(std::string_view name);
// Every command and subcommand with its categories, by name.
std::span<const CommandCategories> AclCommandCategories();
// The categories of a command or "container|subcommand" (0 when unknown).
uint32_t CategoriesOf(std::string_view name);

}  // namespace plexus::server::resp
