#include "plexus/session/query_cache.h"

#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>

#include "plexus/session/session.h"
#include "plexus/sql/parse/parser.h"
#include "plexus/sql/system/system_relations.h"
#include "plexus/sql/types/numeric.h"

namespace plexus::session {

namespace {

using catalog::TypeId;

// The fields whose direct constants are not expression constants: ORDER BY / GROUP BY /
// DISTINCT ON positions, grouping sets, window partitions (kept as they are, to be safe).
bool KeepsConstants(const ProtobufCMessageDescriptor* message, const ProtobufCFieldDescriptor& field) {
  auto named = [&](const char* name) { return std::strcmp(field.name, name) == 0; };
  if (message == &pg_query__sort_by__descriptor) return named("node");
  if (message == &pg_query__select_stmt__descriptor) {
    return named("group_clause") || named("distinct_clause");
  }
  if (message == &pg_query__grouping_set__descriptor) return named("content");
  if (message == &pg_query__window_def__descriptor) return named("partition_clause");
  return false;
}

class Parameterizer {
 public:
  Parameterizer(std::string_view sql, const std::vector<sql::NumberLiteral>& numbers,
                std::vector<QueryCache::Slot>* slots, std::vector<catalog::Type>* types)
      : sql_(sql), numbers_(numbers), slots_(slots), types_(types) {}

  // Whether the statement names a system relation: its rows are made when the statement is
  // bound (sql/system), so a kept plan would show them as they were (pg_stat_user_tables).
  bool reads_system_relation() const { return reads_system_relation_; }

  void Walk(ProtobufCMessage* message) {
    const ProtobufCMessageDescriptor* descriptor = message->descriptor;
    // Type modifiers (numeric(10, 2), interval fields) are constants of the type's name.
    if (descriptor == &pg_query__type_name__descriptor) return;
    if (descriptor == &pg_query__range_var__descriptor) {
      const auto* range = reinterpret_cast<const PgQuery__RangeVar*>(message);
      const std::string_view schema = range->schemaname ? range->schemaname : "";
      if (schema == "pg_catalog" || schema == "information_schema" ||
          (schema.empty() && range->relname && sql::system::IsSystemRelationName(range->relname))) {
        reads_system_relation_ = true;
      }
    }
    char* base = reinterpret_cast<char*>(message);
    for (unsigned i = 0; i < descriptor->n_fields; ++i) {
      const ProtobufCFieldDescriptor& field = descriptor->fields[i];
      if (field.type != PROTOBUF_C_TYPE_MESSAGE) continue;
      const bool keep = KeepsConstants(descriptor, field);
      if (field.label == PROTOBUF_C_LABEL_REPEATED) {
        const size_t count = *reinterpret_cast<size_t*>(base + field.quantifier_offset);
        auto** items = *reinterpret_cast<ProtobufCMessage***>(base + field.offset);
        for (size_t k = 0; k < count; ++k) Visit(items[k], keep);
        continue;
      }
      if ((field.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0 &&
          *reinterpret_cast<uint32_t*>(base + field.quantifier_offset) != field.id) {
        continue;
      }
      auto* child = *reinterpret_cast<ProtobufCMessage**>(base + field.offset);
      if (child != nullptr) Visit(child, keep);
    }
  }

 private:
  void Visit(ProtobufCMessage* message, bool keep_constants) {
    if (message->descriptor == &pg_query__node__descriptor) {
      auto* node = reinterpret_cast<PgQuery__Node*>(message);
      if (node->node_case == PG_QUERY__NODE__NODE_A_CONST) {
        if (!keep_constants) Replace(node);
        return;
      }
    }
    Walk(message);
  }

  // A number constant whose text is one of the scanned literals becomes a parameter.
  void Replace(PgQuery__Node* node) {
    PgQuery__AConst* constant = node->a_const;
    if (constant->isnull) return;
    const bool ival = constant->val_case == PG_QUERY__A__CONST__VAL_IVAL;
    if (!ival && constant->val_case != PG_QUERY__A__CONST__VAL_FVAL) return;
    if (constant->location < 0) return;
    const auto location = static_cast<uint32_t>(constant->location);
    auto next = std::lower_bound(
        numbers_.begin(), numbers_.end(), location,
        [](const sql::NumberLiteral& literal, uint32_t at) { return literal.offset < at; });
    if (next == numbers_.end()) return;
    const bool negated = next->offset != location;
    if (negated && next->minus_offset != constant->location) return;
    const size_t index = static_cast<size_t>(next - numbers_.begin());
    if ((*slots_)[index].parameter >= 0) return;
    // The constant must be exactly the literal (its type then follows from the text alone).
    const std::string_view text = sql_.substr(next->offset, next->length);
    const std::string expected = negated ? "-" + std::string(text) : std::string(text);
    const std::string actual = ival ? std::to_string(constant->ival->ival) : constant->fval->fval;
    if (actual != expected) return;
    const TypeId type = QueryCache::LiteralType(text, negated);
    if (ival != (type == TypeId::kInt32)) return;

    QueryCache::Slot& slot = (*slots_)[index];
    slot.parameter = static_cast<int32_t>(types_->size());
    slot.negated = negated;
    slot.type = type;
    types_->push_back(catalog::Type::Of(type));
    auto* parameter = static_cast<PgQuery__ParamRef*>(std::malloc(sizeof(PgQuery__ParamRef)));
    if (parameter == nullptr) {
      slot.parameter = -1;
      types_->pop_back();
      return;
    }
    pg_query__param_ref__init(parameter);
    parameter->number = slot.parameter + 1;
    parameter->location = constant->location;
    protobuf_c_message_free_unpacked(&constant->base, nullptr);
    node->node_case = PG_QUERY__NODE__NODE_PARAM_REF;
    node->param_ref = parameter;
  }

  std::string_view sql_;
  const std::vector<sql::NumberLiteral>& numbers_;
  std::vector<QueryCache::Slot>* slots_;
  std::vector<catalog::Type>* types_;
  bool reads_system_relation_ = false;
};

uint64_t KeyHash(const std::string& key) { return std::hash<std::string>()(key); }

}  // namespace

bool QueryCache::Scan(std::string_view sql) {
  return sql::ScanNumberLiterals(sql, &key_, &numbers_) && numbers_.size() <= kLiteralsMax;
}

QueryCache::Entry* QueryCache::Find() {
  auto found = entries_.find(key_);
  return found == entries_.end() ? nullptr : &found->second;
}

bool QueryCache::SeenBefore() {
  if (admit_first_sight_) return true;
  if (seen_.size() >= 4 * kEntriesMax) seen_.clear();
  return !seen_.insert(KeyHash(key_)).second;
}

QueryCache::Entry* QueryCache::Insert(Entry entry) {
  if (entries_.size() >= kEntriesMax) entries_.clear();
  return &entries_.insert_or_assign(key_, std::move(entry)).first->second;
}

void QueryCache::Erase() { entries_.erase(key_); }

TypeId QueryCache::LiteralType(std::string_view text, bool negated) {
  // PostgreSQL's lexer makes an int4 constant of digits that fit int4, before any '-' is
  // folded in; longer digit strings are bigint when they fit (with the sign), else numeric.
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size()) return TypeId::kNumeric;  // a '.' or an exponent
  if (error == std::errc::result_out_of_range) return TypeId::kNumeric;
  if (value <= static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) return TypeId::kInt32;
  const uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negated ? 1 : 0);
  return value <= limit ? TypeId::kInt64 : TypeId::kNumeric;
}

bool QueryCache::Parameterize(PgQuery__Node* statement, std::string_view sql, Entry* entry,
                              std::vector<catalog::Type>* parameter_types) const {
  switch (statement->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
      if (statement->select_stmt->into_clause != nullptr) return false;
      break;
    case PG_QUERY__NODE__NODE_INSERT_STMT:
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
    case PG_QUERY__NODE__NODE_DELETE_STMT: break;
    default: return false;
  }
  entry->slots.assign(numbers_.size(), Slot());
  entry->fixed.clear();
  parameter_types->clear();
  Parameterizer parameterizer(sql, numbers_, &entry->slots, parameter_types);
  parameterizer.Walk(&statement->base);
  if (parameterizer.reads_system_relation()) return false;
  for (size_t i = 0; i < numbers_.size(); ++i) {
    if (entry->slots[i].parameter < 0) {
      entry->fixed.emplace_back(sql.substr(numbers_[i].offset, numbers_[i].length));
    }
  }
  return true;
}

namespace {

// The value of a parameter literal, of the slot's type (which the text has been checked to give).
Result<sql::Value> LiteralValue(std::string_view text, const QueryCache::Slot& slot) {
  if (slot.type == TypeId::kInt32 || slot.type == TypeId::kInt64) {
    uint64_t magnitude = 0;
    std::from_chars(text.data(), text.data() + text.size(), magnitude);
    // -(magnitude - 1) - 1: the negation of 2^63 without overflow.
    const int64_t value = slot.negated ? -static_cast<int64_t>(magnitude - 1) - 1
                                       : static_cast<int64_t>(magnitude);
    return slot.type == TypeId::kInt32 ? sql::Value::Int32(static_cast<int32_t>(value))
                                       : sql::Value::Int64(value);
  }
  std::string signed_text = slot.negated ? "-" : "";
  signed_text.append(text);
  PLEXUS_ASSIGN_OR_RETURN(sql::Numeric number, sql::Numeric::Parse(signed_text));
  std::string encoded;
  number.EncodeTo(&encoded);
  return sql::Value::String(catalog::Type::Of(TypeId::kNumeric), encoded);
}

}  // namespace

std::optional<Status> Session::ExecuteCached(std::string_view sql, ResultSink& sink) {
  // A transaction that wrote the catalog sees definitions no one else does: plans bound there
  // are not kept, and kept ones may not fit them.
  if (wrote_catalog_ || state_ == TransactionState::kFailed) return std::nullopt;
  QueryCache& cache = *query_cache_;
  if (!cache.Scan(sql)) return std::nullopt;
  QueryCache::Entry* entry = cache.Find();
  if (entry != nullptr && (entry->settings_generation != settings_.generation() ||
                           entry->catalog_version != engine_->catalog().version())) {
    cache.Erase();
    entry = nullptr;
  }
  if (entry == nullptr) {
    if (!cache.SeenBefore()) return std::nullopt;
    PrepareCached(sql);
    entry = cache.Find();
  }
  if (entry == nullptr || !entry->statement) return std::nullopt;

  const std::vector<sql::NumberLiteral>& numbers = cache.numbers();
  std::vector<sql::Value> parameters(entry->statement->parameter_types().size());
  size_t fixed = 0;
  for (size_t i = 0; i < numbers.size(); ++i) {
    const QueryCache::Slot& slot = entry->slots[i];
    const std::string_view text = sql.substr(numbers[i].offset, numbers[i].length);
    if (slot.parameter < 0) {
      if (text != entry->fixed[fixed++]) return std::nullopt;
      continue;
    }
    if (QueryCache::LiteralType(text, slot.negated) != slot.type) return std::nullopt;
    Result<sql::Value> value = LiteralValue(text, slot);
    if (!value.ok()) return std::nullopt;
    parameters[static_cast<size_t>(slot.parameter)] = std::move(value).value();
  }
  // Keeps the statement alive should the execution drop the entry (DDL cannot run here, but a
  // statement may change settings through a function some day).
  std::shared_ptr<PreparedStatement> statement = entry->statement;
  Result<std::unique_ptr<Portal>> portal = Bind(std::move(statement), std::move(parameters));
  if (!portal.ok()) return portal.status();
  cache.CountHit();
  return Execute(**portal, sink);
}

void Session::PrepareCached(std::string_view sql) {
  QueryCache& cache = *query_cache_;
  QueryCache::Entry entry;
  entry.settings_generation = settings_.generation();
  entry.catalog_version = engine_->catalog().version();
  Result<sql::ParseTree> parse = sql::ParseTree::Parse(sql);
  if (!parse.ok() || parse->statement_count() != 1) {
    cache.Insert(std::move(entry));  // not cacheable: the normal way reports what is wrong
    return;
  }
  auto tree = std::make_shared<const sql::ParseTree>(std::move(parse).value());
  // The tree is ours alone until the prepared statement shares it: rewriting it is safe.
  auto* statement = const_cast<PgQuery__Node*>(tree->statement(0).stmt);
  std::vector<catalog::Type> parameter_types;
  if (!cache.Parameterize(statement, sql, &entry, &parameter_types)) {
    cache.Insert(std::move(entry));
    return;
  }
  Result<std::shared_ptr<PreparedStatement>> prepared =
      PrepareNode(tree, statement, tree->statement_text(0), parameter_types);
  // A rewrite that does not bind (a parameter where PostgreSQL wants a constant) is not cached;
  // nor is one whose parameters were typed otherwise than their literals.
  if (prepared.ok() && (*prepared)->parameter_types() == parameter_types &&
      (*prepared)->bound_ != nullptr) {
    entry.statement = std::move(prepared).value();
  }
  cache.Insert(std::move(entry));
}

}  // namespace plexus::session
