// The plan cache of simple queries. A client of the simple query protocol (psql scripts,
// pgbench -M simple, drivers that interpolate values client-side) sends the same statements
// again and again with other numbers in them; parsing and binding each one again costs more
// than running it. The session keys a query by its text with the number literals taken out
// (sql/parse/literals.h) and, from the second time it sees a key, keeps a prepared statement
// whose number literals are parameters of the literal's own type (int4, int8 or numeric, as
// PostgreSQL types the constant), so a later query with the same key only scans its text for
// the numbers and executes the plan.
//
// What keeps this exactly PostgreSQL's behaviour:
// - Only SELECT (without INTO), INSERT, UPDATE and DELETE are cached, one statement per text,
//   and none that names a system relation (its rows are made when the statement is bound).
// - A number becomes a parameter only where it is an expression's constant: not an ORDER BY /
//   GROUP BY / DISTINCT ON position, not a type modifier (numeric(10,2)); every other number
//   is part of the key, compared as text.
// - A parameter of type int4 takes only numbers PostgreSQL would type int4 (and int8, numeric
//   the same), so types and operators chosen when binding stay right; anything else misses.
// - Entries are dropped when the catalog version, the settings (search_path, TimeZone, ...) or
//   the role change, and none are made or used while the transaction has written the catalog.
// - A text whose rewrite does not bind (a position where a parameter is not allowed) is marked
//   so and goes the normal way; so does any text the scanner is unsure of.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "plexus/catalog/type.h"
#include "plexus/sql/parse/literals.h"

struct PgQuery__Node;

namespace plexus::session {

class PreparedStatement;

class QueryCache {
 public:
  // What became of one number literal of the text.
  struct Slot {
    int32_t parameter = -1;  // index of its parameter; -1: fixed, compared as text
    bool negated = false;    // the grammar folded a '-' before it into the constant
    catalog::TypeId type = catalog::TypeId::kInt32;
  };

  struct Entry {
    std::shared_ptr<PreparedStatement> statement;  // null: the text is not cacheable
    std::vector<Slot> slots;                        // one per number literal
    std::vector<std::string> fixed;                 // texts of the fixed literals, in order
    uint64_t settings_generation = 0;
    uint64_t catalog_version = 0;
  };

  // Most entries kept, and most number literals in a cached text (a long multi-row VALUES list
  // is not worth a plan of its own).
  static constexpr size_t kEntriesMax = 512;
  static constexpr size_t kLiteralsMax = 256;

  // Scans `sql` into key() and numbers(). False: not cacheable.
  bool Scan(std::string_view sql);
  const std::string& key() const { return key_; }
  const std::vector<sql::NumberLiteral>& numbers() const { return numbers_; }

  // The entry of key(), or null.
  Entry* Find();
  // Whether key() was seen before (and remembers it): only keys seen twice get an entry.
  bool SeenBefore();
  // Stores `entry` under key().
  Entry* Insert(Entry entry);
  void Erase();

  // Tests: every cacheable query gets an entry the first time (so it runs from the cache at
  // once), and the number of queries run from an entry.
  void set_admit_first_sight(bool admit) { admit_first_sight_ = admit; }
  uint64_t hits() const { return hits_; }
  void CountHit() { ++hits_; }

  // The type PostgreSQL gives a number literal (int4, int8 or numeric) of `text` (no sign),
  // negated or not.
  static catalog::TypeId LiteralType(std::string_view text, bool negated);

  // Replaces the number constants of `statement` that are parameters by the slots' rules with
  // ParamRef nodes; fills `entry->slots`, `entry->fixed` and `parameter_types`. False when the
  // statement is not of a cached kind or names a system relation.
  bool Parameterize(PgQuery__Node* statement, std::string_view sql, Entry* entry,
                    std::vector<catalog::Type>* parameter_types) const;

 private:
  std::string key_;
  std::vector<sql::NumberLiteral> numbers_;
  std::unordered_map<std::string, Entry> entries_;
  std::unordered_set<uint64_t> seen_;
  bool admit_first_sight_ = false;
  uint64_t hits_ = 0;
};

}  // namespace plexus::session
