// Test support: a ResultSink that collects rows as text, and a fixture with a fresh store, engine
// and session per test. Used by the SQL-level tests of this folder.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/temp_dir.h"
#include "plexus/session/session.h"
#include "plexus/sql/func/cast.h"
#include "plexus/storage/store.h"

namespace plexus::session {

using Rows = std::vector<std::string>;

// Collects result rows as "v1|v2|..." lines (PostgreSQL's text of each value), NULL as "NULL".
class TextSink : public ResultSink {
 public:
  Status BeginRows(const std::vector<ResultColumn>& columns) override {
    columns_ = columns;
    rows_.clear();
    return Status::Ok();
  }
  Status Rows(const sql::Batch& batch) override {
    for (size_t row = 0; row < batch.rows(); ++row) {
      std::string line;
      for (size_t column = 0; column < batch.column_count(); ++column) {
        if (column > 0) line += "|";
        if (batch.column(column).IsNull(row)) {
          line += "NULL";
        } else {
          PLEXUS_RETURN_IF_ERROR(sql::FormatText(batch.column(column), row, &line));
        }
      }
      rows_.push_back(std::move(line));
    }
    return Status::Ok();
  }
  Status Complete(std::string_view tag) override {
    tags_.emplace_back(tag);
    return Status::Ok();
  }

  std::vector<ResultColumn> columns_;
  std::vector<std::string> rows_;
  std::vector<std::string> tags_;
};

class SessionTestBase : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::Store::Open(temp_.path(), Options());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    transactions_ = std::make_unique<txn::TransactionManager>(store_.get());
    engine_ = std::make_unique<Engine>(transactions_.get());
    session_ = std::make_unique<Session>(engine_.get());
  }
  void TearDown() override {
    session_.reset();
    engine_.reset();
    transactions_.reset();
  }

  void Run(std::string_view sql) {
    Status status = session_->Execute(sql, sink_);
    ASSERT_TRUE(status.ok()) << sql << ": " << status.ToString();
  }
  Rows Query(std::string_view sql) {
    Status status = session_->Execute(sql, sink_);
    EXPECT_TRUE(status.ok()) << sql << ": " << status.ToString();
    return sink_.rows_;
  }
  // The result rows sorted, for queries whose row order is unspecified.
  Rows Sorted(std::string_view sql) {
    Rows rows = Query(sql);
    std::sort(rows.begin(), rows.end());
    return rows;
  }
  // "<SQLSTATE> <message>" of the statement's error.
  std::string Error(std::string_view sql) {
    Status status = session_->Execute(sql, sink_);
    EXPECT_FALSE(status.ok()) << sql;
    return std::string(status.sql_state()) + " " + std::string(status.message());
  }
  std::shared_ptr<PreparedStatement> Prepare(std::string_view sql,
                                             std::vector<catalog::Type> types = {}) {
    auto prepared = session_->Prepare(sql, std::move(types));
    EXPECT_TRUE(prepared.ok()) << sql << ": " << prepared.status().ToString();
    return prepared.ok() ? *prepared : nullptr;
  }
  // Binds and runs to completion; the rows as text.
  Rows RunPrepared(const std::shared_ptr<PreparedStatement>& prepared,
                   std::vector<sql::Value> parameters) {
    auto portal = session_->Bind(prepared, std::move(parameters));
    EXPECT_TRUE(portal.ok()) << portal.status().ToString();
    if (!portal.ok()) return {};
    sink_.rows_.clear();
    Status status = session_->Execute(**portal, sink_);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return sink_.rows_;
  }
  // The error's DETAIL field.
  std::string ErrorDetail(std::string_view sql) {
    Status status = session_->Execute(sql, sink_);
    EXPECT_FALSE(status.ok()) << sql;
    return std::string(status.detail());
  }

  base::TempDir temp_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<txn::TransactionManager> transactions_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Session> session_;
  TextSink sink_;
};

}  // namespace plexus::session
