// LISTEN/NOTIFY and role DDL through embedded sessions: what commits, what rolls back, order,
// folding, wake-ups; role errors and verifiers.
#include "plexus/session/notifications.h"

#include <gtest/gtest.h>

#include "plexus/base/scram.h"
#include "plexus/catalog/roles.h"
#include "plexus/session/session_test_util.h"

namespace plexus::session {
namespace {

class NotificationsTest : public SessionTestBase {
 protected:
  void SetUp() override {
    SessionTestBase::SetUp();
    listener_ = std::make_unique<Session>(engine_.get());
    listener_->set_process_id(7);
    session_->set_process_id(42);
    listener_->notifications().set_waker([this] { ++wakes_; });
  }
  void TearDown() override {
    listener_.reset();
    SessionTestBase::TearDown();
  }
  void ListenerRun(std::string_view sql) {
    TextSink sink;
    Status status = listener_->Execute(sql, sink);
    ASSERT_TRUE(status.ok()) << sql << ": " << status.ToString();
  }
  // "channel:payload:sender" of every notification the listener received.
  std::vector<std::string> Received() {
    std::vector<std::string> received;
    for (const ReceivedNotification& n : listener_->notifications().Take()) {
      received.push_back(n.channel + ":" + n.payload + ":" + std::to_string(n.sender_process_id));
    }
    return received;
  }

  std::unique_ptr<Session> listener_;
  int wakes_ = 0;
};

TEST_F(NotificationsTest, DeliveredAtCommitDroppedOnRollback) {
  ListenerRun("LISTEN c");
  Run("BEGIN");
  Run("NOTIFY c, 'one'");
  Run("SELECT pg_notify('c', 'two')");
  EXPECT_TRUE(Received().empty());
  Run("COMMIT");
  EXPECT_EQ(Received(), (std::vector<std::string>{"c:one:42", "c:two:42"}));
  EXPECT_EQ(wakes_, 1);  // once per push into an empty inbox
  Run("BEGIN");
  Run("NOTIFY c, 'lost'");
  Run("ROLLBACK");
  Run("NOTIFY c");  // autocommit
  EXPECT_EQ(Received(), (std::vector<std::string>{"c::42"}));
}

TEST_F(NotificationsTest, DuplicatesFoldedWithinATransaction) {
  ListenerRun("LISTEN c");
  Run("BEGIN; NOTIFY c, 'a'; NOTIFY c, 'a'; NOTIFY c, 'b'; NOTIFY c, 'a'; COMMIT");
  Run("NOTIFY c, 'a'");  // another transaction: not folded
  EXPECT_EQ(Received(), (std::vector<std::string>{"c:a:42", "c:b:42", "c:a:42"}));
}

TEST_F(NotificationsTest, RollbackToSavepointDropsLaterNotifications) {
  ListenerRun("LISTEN c");
  Run("BEGIN; NOTIFY c, 'kept'; SAVEPOINT s; NOTIFY c, 'dropped'; SAVEPOINT t; NOTIFY c, 'x'");
  Run("ROLLBACK TO SAVEPOINT s");
  Run("NOTIFY c, 'after'; SAVEPOINT u; NOTIFY c, 'released'; RELEASE SAVEPOINT u");
  Run("ROLLBACK TO s");  // the savepoint stays after ROLLBACK TO; u's mark went with RELEASE
  Run("NOTIFY c, 'kept'; NOTIFY c, 'last'; COMMIT");  // 'kept' folds into the first
  EXPECT_EQ(Received(), (std::vector<std::string>{"c:kept:42", "c:last:42"}));
}

TEST_F(NotificationsTest, ListenAndUnlistenTakeEffectAtCommit) {
  ListenerRun("BEGIN; LISTEN c; ROLLBACK");
  Run("NOTIFY c, 'x'");
  EXPECT_TRUE(Received().empty());
  ListenerRun("LISTEN c");
  ListenerRun("LISTEN d");
  ListenerRun("UNLISTEN c");
  Run("NOTIFY c, 'no'; NOTIFY d, 'yes'");
  EXPECT_EQ(Received(), (std::vector<std::string>{"d:yes:42"}));
  ListenerRun("UNLISTEN *");
  Run("NOTIFY d, 'no'");
  EXPECT_TRUE(Received().empty());
}

TEST_F(NotificationsTest, SenderHearsItself) {
  Run("LISTEN me");
  Run("NOTIFY me, 'hi'");
  auto received = session_->notifications().Take();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].payload, "hi");
  EXPECT_EQ(received[0].sender_process_id, 42);
}

TEST_F(NotificationsTest, Limits) {
  EXPECT_EQ(Error("SELECT pg_notify('c', repeat('x', 8000))"), "22023 payload string too long");
  EXPECT_EQ(Error("SELECT pg_notify('', 'p')"), "22023 channel name cannot be empty");
  EXPECT_EQ(Error("SELECT pg_notify(repeat('c', 64), 'p')"), "22023 channel name too long");
  Run("SELECT pg_notify('c', repeat('x', 7999))");
}

TEST_F(NotificationsTest, RoleDdl) {
  Run("CREATE ROLE r LOGIN PASSWORD 'secret' CONNECTION LIMIT 3");
  EXPECT_EQ(Error("CREATE ROLE r"), "42710 role \"r\" already exists");
  EXPECT_EQ(Error("DROP ROLE nope"), "42704 role \"nope\" does not exist");
  EXPECT_EQ(Error("ALTER ROLE nope LOGIN"), "42704 role \"nope\" does not exist");
  EXPECT_EQ(Error("CREATE ROLE x IN ROLE nope"), "42704 role \"nope\" does not exist");
  Run("CREATE ROLE in_r IN ROLE r");
  Run("CREATE ROLE has_r ROLE in_r ADMIN r");
  EXPECT_EQ(Error("CREATE ROLE x CONNECTION LIMIT -5"), "22023 invalid connection limit: -5");
  auto transaction = transactions_->Begin();
  auto role = catalog::FindRole(*transaction, "r");
  ASSERT_TRUE(role.ok());
  EXPECT_TRUE((*role)->can_login);
  EXPECT_EQ((*role)->connection_limit, 3);
  // IN ROLE / ROLE / ADMIN: memberships kept on the member (pg_auth_members).
  auto in_r = catalog::FindRole(*transaction, "in_r");
  auto has_r = catalog::FindRole(*transaction, "has_r");
  ASSERT_TRUE(in_r.ok() && has_r.ok());
  ASSERT_EQ((*in_r)->member_of.size(), 2u);
  EXPECT_EQ((*in_r)->member_of[0].role, (*role)->oid);
  EXPECT_EQ((*in_r)->member_of[1].role, (*has_r)->oid);
  EXPECT_FALSE((*in_r)->member_of[1].admin_option);
  ASSERT_EQ((*role)->member_of.size(), 1u);
  EXPECT_EQ((*role)->member_of[0].role, (*has_r)->oid);
  EXPECT_TRUE((*role)->member_of[0].admin_option);
  auto verifier = base::ParseScramVerifier((*role)->password);
  ASSERT_TRUE(verifier.ok()) << (*role)->password;
  EXPECT_TRUE(base::ScramCheckPassword(*verifier, "secret"));
  ASSERT_TRUE(transaction->Rollback().ok());
  Run("ALTER ROLE r RENAME TO s");
  Run("BEGIN; DROP ROLE s; ROLLBACK");
  Run("DROP ROLE s");
  Run("DROP ROLE IF EXISTS s");
}

}  // namespace
}  // namespace plexus::session
