// MessageRunner: runs one backend's messages on its worker thread — the simple query protocol,
// the COPY sub-protocol (as the session's CopyChannel) and the extended query protocol — and
// writes the replies into the backend's output.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plexus/server/pgwire/protocol.h"
#include "plexus/session/copy.h"
#include "plexus/session/session.h"

namespace plexus::server::pgwire {

class Backend;

class MessageRunner final : public session::CopyChannel {
 public:
  explicit MessageRunner(Backend* backend) : backend_(backend) {}

  // Runs `message`; false when the connection must close (Terminate, a protocol violation).
  bool Run(const Message& message);
  // Whether running the whole messages `frames` cannot wait (a lock, a sync, a slow client):
  // only Bind of statements that run without waiting (session::Session::RunsWithoutWaiting),
  // Execute and Describe of the portal bound last, Describe of statements, Close, Flush and Sync.
  // Such a batch may run on the connection's event loop.
  bool RunsWithoutWaiting(std::string_view frames) const;

  Status BeginCopyIn(const session::CopyFormat& format, size_t columns) override;
  Status ReadCopyData(std::string* data, bool* done) override;
  Status BeginCopyOut(const session::CopyFormat& format, size_t columns) override;
  Status WriteCopyData(std::string_view data) override;
  Status EndCopyOut() override;
  Result<sql::Value> DecodeBinaryValue(const sql::Type& type, std::string_view bytes) override;
  Status EncodeBinaryValue(const sql::Vector& vector, size_t row, std::string* out) override;
  bool canceled() const override;

 private:
  void RunQuery(std::string_view body);
  // The extended query protocol. Each returns an error to report (then messages are skipped
  // until Sync, as PostgreSQL does).
  Status RunParse(std::string_view body);
  Status RunBind(std::string_view body);
  Status RunDescribe(std::string_view body);
  Status RunExecute(std::string_view body);
  Status RunClose(std::string_view body);
  void RunSync();
  void ReadyForQuery();
  // Appends a FATAL ErrorResponse; the caller then returns false.
  void Fatal(const Status& status);
  // Hands big outputs to the connection; fails when the client has gone.
  Status FlushIfLarge();

  struct PortalEntry {
    std::unique_ptr<session::Portal> portal;
    std::vector<int16_t> result_formats;
  };

  Backend* backend_;
  // After an error in an extended-protocol message: skip everything until Sync.
  bool skip_until_sync_ = false;
  std::map<std::string, std::shared_ptr<session::PreparedStatement>, std::less<>> statements_;
  std::map<std::string, PortalEntry, std::less<>> portals_;
};

}  // namespace plexus::server::pgwire
