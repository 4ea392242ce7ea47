// /ready: the store's write state (storage::Store::CheckWrites) and its answers — a real
// RocksDB write stop (memtables piling up while background work is paused), a background error
// (through the store's listener, as RocksDB calls it), shutting down and closed.
#include "plexus/server/http/health.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rocksdb/listener.h>
#include <rocksdb/utilities/transaction_db.h>

#include "plexus/base/temp_dir.h"
#include "plexus/storage/store.h"

namespace plexus::server::http {
namespace {

std::unique_ptr<storage::Store> OpenStore(const base::TempDir& temp) {
  auto store = storage::Store::Open(temp.path() + "/data", Options());
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(store).value();
}

TEST(StoreWriteStateTest, OpenStoreAcceptsWrites) {
  base::TempDir temp;
  auto store = OpenStore(temp);
  const storage::WriteState state = store->CheckWrites();
  EXPECT_TRUE(state.accepting);
  EXPECT_EQ(state.delayed_write_rate, 0u);
}

TEST(StoreWriteStateTest, WriteStopWhileMemtablesCannotFlush) {
  base::TempDir temp;
  auto store = OpenStore(temp);
  rocksdb::TransactionDB* db = store->db();
  rocksdb::ColumnFamilyHandle* family = store->handle(storage::Family::kCatalog);
  // Writes stop when a family has max_write_buffer_number memtables waiting for a flush.
  ASSERT_TRUE(db->SetOptions(family, {{"max_write_buffer_number", "2"}}).ok());
  ASSERT_TRUE(db->PauseBackgroundWork().ok());
  rocksdb::FlushOptions flush;
  flush.wait = false;
  flush.allow_write_stall = true;
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), family, "key" + std::to_string(i), "v").ok());
    ASSERT_TRUE(db->Flush(flush, family).ok());
  }
  storage::WriteState state = store->CheckWrites();
  EXPECT_FALSE(state.accepting);
  EXPECT_EQ(state.reason, "write_stopped");
  ASSERT_TRUE(db->ContinueBackgroundWork().ok());
  rocksdb::FlushOptions wait;
  ASSERT_TRUE(db->Flush(wait, family).ok());
  state = store->CheckWrites();
  EXPECT_TRUE(state.accepting) << state.detail;
}

TEST(StoreWriteStateTest, HardBackgroundErrorStopsWritesUntilRecovered) {
  base::TempDir temp;
  auto store = OpenStore(temp);
  rocksdb::EventListener* listener = store->background_error_listener_for_testing();
  // A soft error (RocksDB keeps accepting writes) is not reported.
  rocksdb::Status soft(rocksdb::Status::IOError("disk hiccup"), rocksdb::Status::kSoftError);
  listener->OnBackgroundError(rocksdb::BackgroundErrorReason::kCompaction, &soft);
  EXPECT_TRUE(store->CheckWrites().accepting);
  rocksdb::Status hard(rocksdb::Status::IOError("No space left on device"),
                       rocksdb::Status::kHardError);
  listener->OnBackgroundError(rocksdb::BackgroundErrorReason::kFlush, &hard);
  storage::WriteState state = store->CheckWrites();
  EXPECT_FALSE(state.accepting);
  EXPECT_EQ(state.reason, "background_error");
  EXPECT_NE(state.detail.find("flush"), std::string::npos) << state.detail;
  EXPECT_NE(state.detail.find("No space left"), std::string::npos) << state.detail;
  // A failed recovery keeps the state; a successful one clears it.
  rocksdb::BackgroundErrorRecoveryInfo failed;
  failed.old_bg_error = hard;
  failed.new_bg_error = hard;
  listener->OnErrorRecoveryEnd(failed);
  EXPECT_FALSE(store->CheckWrites().accepting);
  rocksdb::BackgroundErrorRecoveryInfo recovered;
  recovered.old_bg_error = hard;
  listener->OnErrorRecoveryEnd(recovered);
  EXPECT_TRUE(store->CheckWrites().accepting);
  soft.PermitUncheckedError();
  hard.PermitUncheckedError();
}

TEST(StoreWriteStateTest, ShuttingDownAndClosed) {
  base::TempDir temp;
  auto store = OpenStore(temp);
  store->BeginShutdown();
  storage::WriteState state = store->CheckWrites();
  EXPECT_FALSE(state.accepting);
  EXPECT_EQ(state.reason, "shutting_down");
  ASSERT_TRUE(store->Close().ok());
  state = store->CheckWrites();
  EXPECT_FALSE(state.accepting);
  EXPECT_EQ(state.reason, "closed");
}

TEST(ReadyResponseTest, ReadyAndDelayed) {
  Response ready = ReadyResponse(Readiness{});
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, R"({"status":"ready"})");
  Readiness delayed;
  delayed.delayed_write_rate = 16 << 20;
  const nlohmann::json body = nlohmann::json::parse(ReadyResponse(delayed).body);
  EXPECT_EQ(body["status"], "ready");
  EXPECT_EQ(body["write_delay_bytes_per_second"], 16 << 20);
}

TEST(ReadyResponseTest, NotReadyIsProblemNamingTheReason) {
  Readiness stopped;
  stopped.ready = false;
  stopped.reason = "write_stopped";
  stopped.detail = "RocksDB has stopped writes";
  const Response response = ReadyResponse(stopped);
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.content_type, "application/problem+json");
  const nlohmann::json body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["status"], 503);
  EXPECT_EQ(body["reason"], "write_stopped");
  EXPECT_EQ(body["detail"], "RocksDB has stopped writes");
}

TEST(ReadyResponseTest, RouteAsksTheFunctionEachTime) {
  bool ready = true;
  std::vector<RouteEntry> routes = HealthRoutes([&ready] {
    Readiness readiness;
    readiness.ready = ready;
    readiness.reason = ready ? "" : "shutting_down";
    return readiness;
  });
  const Route* route = nullptr;
  for (const RouteEntry& entry : routes)
    if (entry.pattern == "/ready") route = &entry.route;
  ASSERT_NE(route, nullptr);
  EXPECT_EQ((*route)(Request{}).status, 200);
  ready = false;
  EXPECT_EQ((*route)(Request{}).status, 503);
}

}  // namespace
}  // namespace plexus::server::http
