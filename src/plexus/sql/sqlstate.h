// SQL error conditions: each names its SQLSTATE (as PostgreSQL reports it) and the internal
// StatusCode kind it belongs to. Errors of the SQL layer are made with SqlError(), so that every
// front end (PostgreSQL wire protocol, HTTP) reports the same condition code.
#pragma once

#include <string_view>

#include "plexus/base/status.h"

namespace plexus::sql {

struct SqlState {
  std::string_view code;  // five characters, e.g. "22012"
  StatusCode kind;
};

// Class 0A, 21, 22: data exceptions.
inline constexpr SqlState kFeatureNotSupported{"0A000", StatusCode::kNotSupported};
inline constexpr SqlState kCardinalityViolation{"21000", StatusCode::kInvalidArgument};
inline constexpr SqlState kStringDataRightTruncation{"22001", StatusCode::kInvalidArgument};
inline constexpr SqlState kNumericValueOutOfRange{"22003", StatusCode::kInvalidArgument};
inline constexpr SqlState kNullValueNotAllowed{"22004", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidDatetimeFormat{"22007", StatusCode::kInvalidArgument};
inline constexpr SqlState kDatetimeFieldOverflow{"22008", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidTimeZoneDisplacement{"22009", StatusCode::kInvalidArgument};
inline constexpr SqlState kDivisionByZero{"22012", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidPrecedingOrFollowingSize{"22013", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidArgumentForNtile{"22014", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidArgumentForNthValue{"22016", StatusCode::kInvalidArgument};
inline constexpr SqlState kIntervalFieldOverflow{"22015", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidParameterValue{"22023", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidEscapeSequence{"22025", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidRowCountInLimitClause{"2201W", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidRowCountInResultOffsetClause{"2201X",
                                                               StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidRegularExpression{"2201B", StatusCode::kInvalidArgument};
inline constexpr SqlState kArraySubscriptError{"2202E", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidTextRepresentation{"22P02", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidBinaryRepresentation{"22P03", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidJsonText{"22P02", StatusCode::kInvalidArgument};
// Class 23: integrity constraint violations.
inline constexpr SqlState kNotNullViolation{"23502", StatusCode::kInvalidArgument};
inline constexpr SqlState kForeignKeyViolation{"23503", StatusCode::kInvalidArgument};
inline constexpr SqlState kUniqueViolation{"23505", StatusCode::kAlreadyExists};
inline constexpr SqlState kCheckViolation{"23514", StatusCode::kInvalidArgument};
// Class 25, 3B, 40: transactions.
inline constexpr SqlState kInvalidTransactionState{"25000", StatusCode::kAborted};
inline constexpr SqlState kActiveSqlTransaction{"25001", StatusCode::kAborted};
inline constexpr SqlState kNoActiveSqlTransaction{"25P01", StatusCode::kAborted};
inline constexpr SqlState kInFailedSqlTransaction{"25P02", StatusCode::kAborted};
inline constexpr SqlState kInvalidSavepointSpecification{"3B001", StatusCode::kNotFound};
inline constexpr SqlState kSerializationFailure{"40001", StatusCode::kSerializationFailure};
inline constexpr SqlState kDeadlockDetected{"40P01", StatusCode::kDeadlock};
// Class 42: syntax errors and access rule violations.
inline constexpr SqlState kSyntaxError{"42601", StatusCode::kInvalidArgument};
inline constexpr SqlState kDuplicateColumn{"42701", StatusCode::kAlreadyExists};
inline constexpr SqlState kAmbiguousColumn{"42702", StatusCode::kInvalidArgument};
inline constexpr SqlState kUndefinedColumn{"42703", StatusCode::kNotFound};
inline constexpr SqlState kUndefinedObject{"42704", StatusCode::kNotFound};
inline constexpr SqlState kDuplicateObject{"42710", StatusCode::kAlreadyExists};
inline constexpr SqlState kDuplicateAlias{"42712", StatusCode::kAlreadyExists};
inline constexpr SqlState kGroupingError{"42803", StatusCode::kInvalidArgument};
inline constexpr SqlState kDatatypeMismatch{"42804", StatusCode::kInvalidArgument};
inline constexpr SqlState kWrongObjectType{"42809", StatusCode::kInvalidArgument};
inline constexpr SqlState kUndefinedFunction{"42883", StatusCode::kNotFound};
inline constexpr SqlState kUndefinedTable{"42P01", StatusCode::kNotFound};
inline constexpr SqlState kGeneratedAlways{"428C9", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidName{"42602", StatusCode::kInvalidArgument};
inline constexpr SqlState kUndefinedParameter{"42P02", StatusCode::kNotFound};
inline constexpr SqlState kDuplicatePreparedStatement{"42P05", StatusCode::kAlreadyExists};
inline constexpr SqlState kUndefinedPreparedStatement{"26000", StatusCode::kNotFound};
inline constexpr SqlState kProtocolViolation{"08P01", StatusCode::kInvalidArgument};
inline constexpr SqlState kDuplicateSchema{"42P06", StatusCode::kAlreadyExists};
inline constexpr SqlState kDuplicateTable{"42P07", StatusCode::kAlreadyExists};
inline constexpr SqlState kInvalidColumnReference{"42P10", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidForeignKey{"42830", StatusCode::kInvalidArgument};
inline constexpr SqlState kIndeterminateDatatype{"42P18", StatusCode::kInvalidArgument};
inline constexpr SqlState kWindowingError{"42P20", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidSchemaName{"3F000", StatusCode::kNotFound};
inline constexpr SqlState kInvalidTableDefinition{"42P16", StatusCode::kInvalidArgument};
inline constexpr SqlState kDependentObjectsStillExist{"2BP01", StatusCode::kInvalidArgument};
// Classes 53, 54, 55, 57, XX: resources, limits, operator intervention, internal.
inline constexpr SqlState kOutOfMemory{"53200", StatusCode::kResourceExhausted};
inline constexpr SqlState kProgramLimitExceeded{"54000", StatusCode::kResourceExhausted};
inline constexpr SqlState kLockNotAvailable{"55P03", StatusCode::kLockTimeout};
inline constexpr SqlState kObjectNotInPrerequisiteState{"55000", StatusCode::kInvalidArgument};
inline constexpr SqlState kCantChangeRuntimeParam{"55P02", StatusCode::kInvalidArgument};
inline constexpr SqlState kQueryCanceled{"57014", StatusCode::kAborted};
inline constexpr SqlState kInternalError{"XX000", StatusCode::kInternal};

// A SQL error: kind from `state`, SQLSTATE set, message worded as PostgreSQL words it (lower
// case, no final period).
inline Status SqlError(const SqlState& state, std::string_view message) {
  Status status(state.kind, message);
  status.SetSqlState(state.code);
  return status;
}

}  // namespace plexus::sql
