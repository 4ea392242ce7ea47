// Sequence functions: nextval, currval, setval, lastval. The sequence is named by text as
// PostgreSQL's regclass input reads it ('s', 'public.s', '"Mixed"'); the session remembers the
// last value nextval gave it per sequence (currval) and overall (lastval).
#include <cctype>

#include "plexus/catalog/catalog.h"
#include "plexus/catalog/sequences.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/system/access_control.h"

namespace plexus::sql {

namespace {

// "schema.name" split into identifiers, unquoted ones folded to lower case.
Result<std::pair<std::string, std::string>> ParseRelationName(std::string_view text) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        parts.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        parts.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '.') {
      parts.emplace_back();
    } else {
      parts.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (quoted || parts.size() > 2 || parts.back().empty() || parts.front().empty()) {
    return SqlError(kInvalidName, "invalid name syntax");
  }
  if (parts.size() == 1) return std::pair{std::string(catalog::kDefaultSchema), parts[0]};
  return std::pair{parts[0], parts[1]};
}

Result<std::shared_ptr<const catalog::SequenceDef>> FindSequence(ExecContext& context,
                                                                 std::string_view text) {
  if (context.sequences() == nullptr || context.session_sequences() == nullptr) {
    return SqlError(kFeatureNotSupported, "sequence functions need a session");
  }
  catalog::SessionSequences& session = *context.session_sequences();
  const uint64_t version = context.catalog().version();
  if (session.resolved_version != version) {
    session.resolved.clear();
    session.resolved_version = version;
  }
  auto found = session.resolved.find(std::string(text));
  if (found != session.resolved.end()) return found->second;
  PLEXUS_ASSIGN_OR_RETURN(auto name, ParseRelationName(text));
  auto sequence = context.catalog().FindSequence(context.transaction(), name.first, name.second);
  if (sequence.status().IsNotFound()) {
    return SqlError(kUndefinedTable, "relation \"" + std::string(text) + "\" does not exist");
  }
  PLEXUS_RETURN_IF_ERROR(sequence.status());
  session.resolved.emplace(std::string(text), *sequence);
  return *sequence;
}

// nextval and setval (is_called) make `value` the session's currval of the sequence and its
// lastval.
void Remember(ExecContext& context, const catalog::SequenceDef& sequence, int64_t value) {
  catalog::SessionSequences& session = *context.session_sequences();
  session.current[sequence.id] = value;
  session.last = value;
  session.has_last = true;
}

// PostgreSQL's privilege rule for a sequence function (sql/system/access_control.h), checked
// once per sequence and batch.
Status CheckAccess(ExecContext& context, const catalog::SequenceDef& sequence, uint32_t any_of,
                   uint32_t* checked_id) {
  if (*checked_id == sequence.id) return Status::Ok();
  PLEXUS_RETURN_IF_ERROR(
      system::CheckSequenceAccess(context.transaction(), context.catalog(), sequence, any_of));
  *checked_id = sequence.id;
  return Status::Ok();
}

Status NextValKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                     ExecContext& context) {
  uint32_t checked = 0;  // the sequence whose access this batch checked (ids start above 0)
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(auto sequence, FindSequence(context, args[0]->GetString(row)));
    PLEXUS_RETURN_IF_ERROR(CheckAccess(
        context, *sequence, catalog::kPrivilegeUsage | catalog::kPrivilegeUpdate, &checked));
    PLEXUS_ASSIGN_OR_RETURN(int64_t value, context.sequences()->Next(*sequence));
    Remember(context, *sequence, value);
    out->values<int64_t>()[row] = value;
  }
  return Status::Ok();
}

Status CurrValKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                     ExecContext& context) {
  uint32_t checked = 0;  // the sequence whose access this batch checked (ids start above 0)
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(auto sequence, FindSequence(context, args[0]->GetString(row)));
    PLEXUS_RETURN_IF_ERROR(CheckAccess(
        context, *sequence, catalog::kPrivilegeUsage | catalog::kPrivilegeSelect, &checked));
    const auto& current = context.session_sequences()->current;
    auto found = current.find(sequence->id);
    if (found == current.end()) {
      return SqlError(kObjectNotInPrerequisiteState,
                      "currval of sequence \"" + sequence->name + "\" is not yet defined in this session");
    }
    out->values<int64_t>()[row] = found->second;
  }
  return Status::Ok();
}

Status LastValKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                     ExecContext& context) {
  if (context.session_sequences() == nullptr) {
    return SqlError(kFeatureNotSupported, "sequence functions need a session");
  }
  const catalog::SessionSequences& session = *context.session_sequences();
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if (!session.has_last) {
      return SqlError(kObjectNotInPrerequisiteState, "lastval is not yet defined in this session");
    }
    out->values<int64_t>()[row] = session.last;
  }
  return Status::Ok();
}

template <bool kWithIsCalled>
Status SetValKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext& context) {
  uint32_t checked = 0;  // the sequence whose access this batch checked (ids start above 0)
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(auto sequence, FindSequence(context, args[0]->GetString(row)));
    PLEXUS_RETURN_IF_ERROR(CheckAccess(context, *sequence, catalog::kPrivilegeUpdate, &checked));
    const int64_t value = args[1]->values<int64_t>()[row];
    const bool is_called = kWithIsCalled ? args[2]->values<uint8_t>()[row] != 0 : true;
    PLEXUS_RETURN_IF_ERROR(context.sequences()->Set(*sequence, value, is_called));
    if (is_called) Remember(context, *sequence, value);
    out->values<int64_t>()[row] = value;
  }
  return Status::Ok();
}

}  // namespace

void RegisterSequenceFunctions(FunctionRegistry& registry) {
  const Type text = Type::Of(TypeId::kText);
  const Type bigint = Type::Of(TypeId::kInt64);
  // Each call changes or reads state outside the statement: never folded at bind time.
  registry.Add({"nextval", {text}, bigint, NextValKernel, true, /*volatile_=*/true});
  registry.Add({"currval", {text}, bigint, CurrValKernel, true, true});
  registry.Add({"lastval", {}, bigint, LastValKernel, true, true});
  registry.Add({"setval", {text, bigint}, bigint, SetValKernel<false>, true, true});
  registry.Add({"setval", {text, bigint, Type::Of(TypeId::kBool)}, bigint, SetValKernel<true>,
                true, true});
}

}  // namespace plexus::sql
