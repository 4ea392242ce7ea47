// COPY ... FROM STDIN / TO STDOUT: the SQL side. A CopyStmt is bound to a table and column list
// (or, for COPY (query) TO, a query); rows read from the client in text, CSV or binary format go
// through
// the normal INSERT path (defaults, NOT NULL, CHECK, foreign keys, unique and index entries),
// and rows produced for COPY TO are written in the same formats. Binary COPY's framing is here;
// its values use the front end's binary formats (CopyChannel). The client's side of the data
// stream is a CopyChannel the front end implements (pgwire: CopyInResponse, CopyData, ...).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "plexus/base/status.h"
#include "plexus/sql/exec/vector.h"
#include "plexus/sql/types/value.h"

struct PgQuery__CopyStmt;

namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn

namespace plexus::sql {
class ExecContext;
}  // namespace plexus::sql

namespace plexus::session {

class Engine;
class ResultSink;

// COPY's data format options (PostgreSQL's defaults per format).
struct CopyFormat {
  bool csv = false;
  bool binary = false;  // PostgreSQL's binary COPY format (PGCOPY signature, typed fields)
  char delimiter = '\t';         // CSV: ','
  std::string null_text = "\\N";  // CSV: ""
  bool header = false;
  char quote = '"';   // CSV only
  char escape = '"';  // CSV only
};

// Longest data line COPY FROM accepts (PostgreSQL's field limit is 1 GB; a line this long
// would only be a client that never sends a newline).
inline constexpr size_t kCopyLineBytesMax = size_t{256} << 20;
// Rows inserted per INSERT execution (a bound VALUES list of this many rows).
inline constexpr size_t kCopyRowsPerInsert = 256;

// The client's end of a COPY, implemented by the front end.
class CopyChannel {
 public:
  virtual ~CopyChannel() = default;
  // COPY FROM STDIN is about to read: ask the client for its data (`columns` per row).
  virtual Status BeginCopyIn(const CopyFormat& format, size_t columns) = 0;
  // The next piece of the client's data, in arbitrary chunks (not aligned to rows). Sets *done
  // (and leaves *data empty) at the end of the data; fails when the client aborts the copy.
  virtual Status ReadCopyData(std::string* data, bool* done) = 0;
  // COPY TO STDOUT is about to write rows of `columns` columns.
  virtual Status BeginCopyOut(const CopyFormat& format, size_t columns) = 0;
  // One row of output (text and CSV: ending in a newline; binary: the file header comes with
  // the first row, the trailer alone).
  virtual Status WriteCopyData(std::string_view data) = 0;
  // Every row has been written (pgwire: CopyDone); the command tag follows.
  virtual Status EndCopyOut() = 0;
  // Binary COPY: a value from / into the front end's binary format of its type (pgwire:
  // PostgreSQL's send/receive formats).
  virtual Result<sql::Value> DecodeBinaryValue(const sql::Type& type, std::string_view bytes) = 0;
  virtual Status EncodeBinaryValue(const sql::Vector& vector, size_t row, std::string* out) = 0;
  // Whether the running statement was canceled (checked between chunks of rows).
  virtual bool canceled() const { return false; }
};

// A new execution context over the statement's transaction, as the session makes them (its
// sequences for DEFAULT nextval(...), cancel flag, statement_timeout).
using ExecContextFactory = std::function<std::unique_ptr<sql::ExecContext>()>;

// Runs `copy` in `transaction`, finishing with sink.Complete("COPY n"). Without a channel
// (embedded use), COPY FROM STDIN / TO STDOUT fail with 0A000; COPY to or from a server file or
// program is not supported (0A000).
Status ExecuteCopy(const PgQuery__CopyStmt& copy, Engine& engine, txn::Transaction& transaction,
                   const ExecContextFactory& new_context, CopyChannel* channel, ResultSink& sink);

}  // namespace plexus::session
