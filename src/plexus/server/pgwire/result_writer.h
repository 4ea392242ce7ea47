// ResultWriter: the session's ResultSink for a pgwire client — RowDescription, DataRow (text or
// binary per column), CommandComplete, NoticeResponse — appended to the backend's output, which
// is handed to the connection as it grows (so a large result streams with back-pressure).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "plexus/catalog/type.h"
#include "plexus/session/session.h"

namespace plexus::server::pgwire {

// The type modifier as PostgreSQL reports it in RowDescription (atttypmod): character lengths
// and numeric precision/scale carry PostgreSQL's 4-byte header offset.
int32_t WireTypmod(const catalog::Type& type);

// Appends a RowDescription for `columns`; `formats` holds one format code per column, or one
// for all, or none for all text (as Bind's result format codes).
void AppendRowDescription(std::string* out, const std::vector<session::ResultColumn>& columns,
                          const std::vector<int16_t>& formats);

class ResultWriter : public session::ResultSink {
 public:
  // `flush` is called after each batch of rows; it hands the output on and fails when the
  // client went away (so the statement stops).
  ResultWriter(std::string* out, std::function<Status()> flush) : out_(out), flush_(std::move(flush)) {}

  // Extended protocol: Execute sends no RowDescription (Describe did), and rows use the
  // portal's result formats.
  void set_describe_rows(bool describe) { describe_rows_ = describe; }
  void set_formats(std::vector<int16_t> formats) { formats_ = std::move(formats); }
  void set_copy_channel(session::CopyChannel* channel) { copy_channel_ = channel; }

  Status BeginRows(const std::vector<session::ResultColumn>& columns) override;
  Status Rows(const sql::Batch& batch) override;
  Status Complete(std::string_view command_tag) override;
  void Notice(const session::NoticeMessage& notice) override;
  void ParameterChanged(std::string_view name, std::string_view value) override;
  session::CopyChannel* copy_channel() override { return copy_channel_; }

  // Whether any statement completed (or answered EmptyQueryResponse).
  bool completed_any() const { return completed_any_; }
  uint64_t rows_sent() const { return rows_sent_; }

 private:
  std::string* out_;
  std::function<Status()> flush_;
  // When the running statement began, for plexus_pg_statement_duration_seconds: the writer's
  // creation (the query or Execute message), then the previous statement's completion.
  std::chrono::steady_clock::time_point statement_started_ = std::chrono::steady_clock::now();
  bool describe_rows_ = true;
  std::vector<int16_t> formats_;
  std::vector<catalog::Type> types_;
  uint64_t rows_sent_ = 0;
  bool completed_any_ = false;
  session::CopyChannel* copy_channel_ = nullptr;
};

}  // namespace plexus::server::pgwire
