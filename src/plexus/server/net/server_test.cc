// Server: a connection handed over to its handler's thread (kHandOver) is read with
// ReadInput there and answered with Send (written directly), then resumed; reads of inputs of
// any size and timing; the connection metrics per protocol; Unix-domain socket listeners; a
// protocol's share of the loops; replies written with Write after OnInput (RESP's commit
// group), staged for one system call per loop turn or sent one by one.
#include "plexus/server/net/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "plexus/base/metrics.h"

namespace plexus::server::net {
namespace {

// Answers the requests of a connection handed over to it (ReadInput, then Send writes
// directly): two of them, then it resumes the loop with what it read beyond them.
void ServeHandedOver(std::weak_ptr<Connection> weak) {
  auto connection = weak.lock();
  if (!connection) return;
  std::string input;
  for (int answered = 0; answered < 2;) {
    const size_t end = input.find('\n');
    if (end == std::string::npos) {
      char buffer[256];
      const ptrdiff_t read = connection->ReadInput(buffer, sizeof(buffer), 1000);
      if (read < 0) return;
      input.append(buffer, static_cast<size_t>(read));
      continue;
    }
    connection->Send("thread:" + input.substr(0, end + 1));
    input.erase(0, end + 1);
    ++answered;
  }
  Connection* raw = connection.get();
  connection->Post([raw, input] { raw->ResumeWith(input); });
}

// Echoes "<line>\n" requests as "echo:<line>\n". After the first request the handler hands the
// connection over to a thread (ServeHandedOver); once resumed, the loop answers the rest.
class HandOverHandler final : public Handler {
 public:
  HandOverHandler(std::weak_ptr<Connection> connection, std::vector<std::thread>* threads)
      : connection_(std::move(connection)), threads_(threads) {}

  Disposition OnInput(std::string_view input, size_t* consumed, std::string* output) override {
    const size_t end = input.find('\n');
    *consumed = 0;
    if (end == std::string_view::npos) return Disposition::kContinue;
    output->append("echo:").append(input.substr(0, end + 1));
    *consumed = end + 1;
    if (handed_over_ || *consumed != input.size()) return Disposition::kContinue;
    handed_over_ = true;
    threads_->emplace_back(ServeHandedOver, connection_);
    return Disposition::kHandOver;
  }

 private:
  std::weak_ptr<Connection> connection_;
  std::vector<std::thread>* threads_;
  bool handed_over_ = false;
};

class HandOverProtocol final : public Protocol {
 public:
  ~HandOverProtocol() override { Join(); }
  std::string_view name() const override { return "test"; }
  std::unique_ptr<Handler> NewHandler(std::weak_ptr<Connection> connection) override {
    return std::make_unique<HandOverHandler>(std::move(connection), &threads_);
  }
  std::string ConnectionLimitMessage() const override { return "full\n"; }
  // REQUIRES: the server's loops have stopped (they start the threads).
  void Join() {
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
  }

 private:
  std::vector<std::thread> threads_;
};

int Connect(uint16_t port) {
  const int descriptor = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(descriptor, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  return descriptor;
}

// Sends `request` and reads until `expected.size()` bytes came back.
std::string Exchange(int descriptor, const std::string& request, size_t expected_bytes) {
  EXPECT_EQ(::send(descriptor, request.data(), request.size(), 0),
            static_cast<ssize_t>(request.size()));
  std::string reply;
  char buffer[256];
  while (reply.size() < expected_bytes) {
    const ssize_t bytes = ::recv(descriptor, buffer, sizeof(buffer), 0);
    if (bytes <= 0) break;
    reply.append(buffer, static_cast<size_t>(bytes));
  }
  return reply;
}

// A one-loop server of HandOverProtocol and a client connected to it.
class HandOverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto port = server_.Listen("127.0.0.1", 0, &protocol_);
    ASSERT_TRUE(port.ok());
    server_.Start();
    client_ = Connect(*port);
  }

  HandOverProtocol protocol_;
  Server server_{ServerOptions{.threads = 1, .max_connections = 4}};
  int client_ = -1;
};

TEST_F(HandOverTest, HandedOverConnectionIsReadByTheHandlersThreadThenResumed) {
  EXPECT_EQ(Exchange(client_, "a\n", 7), "echo:a\n");
  EXPECT_EQ(Exchange(client_, "b\n", 9), "thread:b\n");
  EXPECT_EQ(Exchange(client_, "c\n", 9), "thread:c\n");
  // Back on the loop (the socket is watched again): it answers.
  EXPECT_EQ(Exchange(client_, "d\n", 7), "echo:d\n");
  EXPECT_EQ(Exchange(client_, "e\n", 7), "echo:e\n");
  ::close(client_);
  server_.Stop();
  protocol_.Join();
  EXPECT_EQ(server_.connection_count(), 0u);
}

TEST_F(HandOverTest, WhatTheThreadReadPastItsRequestsGoesBackToTheLoop) {
  EXPECT_EQ(Exchange(client_, "a\n", 7), "echo:a\n");
  // The thread reads all of it, answers two requests and resumes the loop with "d\ne": the
  // loop answers d, and e once its line ends.
  EXPECT_EQ(Exchange(client_, "b\nc\nd\ne", 25), "thread:b\nthread:c\necho:d\n");
  EXPECT_EQ(Exchange(client_, "\n", 7), "echo:e\n");
  ::close(client_);
  server_.Stop();
  protocol_.Join();
}

TEST_F(HandOverTest, StopEndsAHandedOverConnectionWhoseThreadWaits) {
  EXPECT_EQ(Exchange(client_, "a\n", 7), "echo:a\n");
  // The handler's thread now waits in ReadInput; Stop closes the connection under it.
  server_.Stop();
  char byte = 0;
  EXPECT_EQ(::recv(client_, &byte, 1, 0), 0);  // end of stream: the server closed
  protocol_.Join();  // the thread saw the connection close
  ::close(client_);
}

// Echoes whatever it reads.
class EchoHandler final : public Handler {
 public:
  Disposition OnInput(std::string_view input, size_t* consumed, std::string* output) override {
    output->append(input);
    *consumed = input.size();
    return Disposition::kContinue;
  }
};

class EchoProtocol final : public Protocol {
 public:
  std::string_view name() const override { return "metrics_test"; }
  std::unique_ptr<Handler> NewHandler(std::weak_ptr<Connection>) override {
    return std::make_unique<EchoHandler>();
  }
  std::string ConnectionLimitMessage() const override { return "full\n"; }
};

TEST(ServerTest, ConnectionMetricsFollowOpenAcceptedAndRefusedConnections) {
  base::Registry& registry = base::DefaultRegistry();
  const base::MetricLabels labels = {{"protocol", "metrics_test"}};
  const base::Gauge& open = registry.RegisterGauge("plexus_connections", "", labels);
  const base::Counter& accepted =
      registry.RegisterCounter("plexus_connections_accepted_total", "", labels);
  const base::Counter& rejected =
      registry.RegisterCounter("plexus_connections_rejected_total", "", labels);
  const uint64_t accepted_before = accepted.value();
  const uint64_t rejected_before = rejected.value();

  EchoProtocol protocol;
  Server server(ServerOptions{.threads = 1, .max_connections = 1});
  auto port = server.Listen("127.0.0.1", 0, &protocol);
  ASSERT_TRUE(port.ok());
  server.Start();
  const int first = Connect(*port);
  EXPECT_EQ(Exchange(first, "x\n", 2), "x\n");
  EXPECT_EQ(open.value(), 1);
  const int second = Connect(*port);  // over the limit: told so and closed
  EXPECT_EQ(Exchange(second, "", 5), "full\n");
  ::close(second);
  EXPECT_EQ(accepted.value() - accepted_before, 2u);
  EXPECT_EQ(rejected.value() - rejected_before, 1u);
  EXPECT_EQ(open.value(), 1);

  ::close(first);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (open.value() != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(open.value(), 0);
  server.Stop();
}

// The loop's reads (AsyncReadDraining) wait for the next epoll edge after a read that drained
// the socket, and try recv() first after one that filled its buffer or when bytes came while no
// read was pending: inputs of every size around the read chunk, one at a time or arriving in
// two parts, come back whole; Stop cancels the read pending on an idle connection.
TEST(ServerTest, ReadsInputsOfAnySizeWhenEverTheyArrive) {
  EchoProtocol protocol;
  Server server(ServerOptions{.threads = 1});
  auto port = server.Listen("127.0.0.1", 0, &protocol);
  ASSERT_TRUE(port.ok());
  server.Start();
  const int client = Connect(*port);
  for (const size_t bytes : {size_t{1}, kReadChunkBytes - 1, kReadChunkBytes, kReadChunkBytes + 1,
                             3 * kReadChunkBytes + 7}) {
    std::string input(bytes, 'a');
    for (size_t i = 0; i < bytes; ++i) input[i] = static_cast<char>('a' + i % 26);
    EXPECT_EQ(Exchange(client, input, bytes), input) << bytes;
    // The same in two parts, the second after the loop has read the first and waits.
    const std::string first = input.substr(0, bytes / 2);
    EXPECT_EQ(::send(client, first.data(), first.size(), 0), static_cast<ssize_t>(first.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(Exchange(client, input.substr(bytes / 2), bytes), input) << bytes;
  }
  server.Stop();  // the connection is idle, its read pending: Stop cancels it and closes
  char byte = 0;
  EXPECT_EQ(::recv(client, &byte, 1, 0), 0);
  ::close(client);
  EXPECT_EQ(server.connection_count(), 0u);
}

// A Unix-domain socket at `path`: connected (true), or bound and left behind without a
// listener, as a server that died leaves its socket file (false).
int UnixSocket(const std::string& path, bool connect) {
  const int descriptor = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof(address.sun_path), "%s", path.c_str());
  auto* raw = reinterpret_cast<sockaddr*>(&address);
  const int result = connect ? ::connect(descriptor, raw, sizeof(address))
                             : ::bind(descriptor, raw, sizeof(address));
  EXPECT_EQ(result, 0) << path << ": " << std::strerror(errno);
  return descriptor;
}

// A directory of its own under /tmp (socket paths must stay short).
class UnixSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/plexus-net-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    directory_ = pattern;
    path_ = directory_ + "/.s.TEST.1";
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string directory_;
  std::string path_;
  EchoProtocol protocol_;
};

TEST_F(UnixSocketTest, ServesClientsAndRemovesItsFileWhenStopped) {
  {
    Server server(ServerOptions{.threads = 2});
    ASSERT_TRUE(server.ListenLocal(path_, &protocol_).ok());
    server.Start();
    struct stat status {};
    ASSERT_EQ(::lstat(path_.c_str(), &status), 0);
    EXPECT_TRUE(S_ISSOCK(status.st_mode));
    EXPECT_EQ(status.st_mode & 0777, 0777u);
    const int first = UnixSocket(path_, /*connect=*/true);
    const int second = UnixSocket(path_, /*connect=*/true);
    EXPECT_EQ(Exchange(first, "one\n", 4), "one\n");
    EXPECT_EQ(Exchange(second, "two\n", 4), "two\n");
    // A second server is refused the path while this one answers there.
    Server other(ServerOptions{.threads = 1});
    const Status taken = other.ListenLocal(path_, &protocol_);
    EXPECT_EQ(taken.code(), StatusCode::kIOError);
    EXPECT_NE(taken.message().find("another server is listening there"), std::string::npos);
    ::close(first);
    ::close(second);
    server.Stop();
  }
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(UnixSocketTest, ReplacesTheSocketFileOfAServerThatDied) {
  const int stale = UnixSocket(path_, /*connect=*/false);
  ::close(stale);  // the file stays, nobody listens
  Server server(ServerOptions{.threads = 1});
  ASSERT_TRUE(server.ListenLocal(path_, &protocol_).ok());
  server.Start();
  const int client = UnixSocket(path_, /*connect=*/true);
  EXPECT_EQ(Exchange(client, "x\n", 2), "x\n");
  ::close(client);
  server.Stop();
}

TEST_F(UnixSocketTest, RefusesPathsItMustNotTouch) {
  Server server(ServerOptions{.threads = 1});
  const std::string file = directory_ + "/plain";
  std::fclose(std::fopen(file.c_str(), "w"));
  EXPECT_EQ(server.ListenLocal(file, &protocol_).code(), StatusCode::kIOError);
  EXPECT_TRUE(std::filesystem::exists(file));  // not removed
  EXPECT_EQ(server.ListenLocal(directory_ + "/" + std::string(200, 'x'), &protocol_).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(server.ListenLocal(directory_ + "/missing/.s.TEST.1", &protocol_).code(),
            StatusCode::kIOError);
}

// Answers "<line>\n" with "<n>\n", n numbering the threads that have run OnInput in order of
// their first call: which loop serves the connection.
class ThreadNumberProtocol final : public Protocol {
 public:
  explicit ThreadNumberProtocol(uint32_t loops) : loops_(loops) {}
  std::string_view name() const override { return "loops_test"; }
  std::string ConnectionLimitMessage() const override { return "full\n"; }
  uint32_t loop_count() const override { return loops_; }
  std::unique_ptr<Handler> NewHandler(std::weak_ptr<Connection>) override {
    class NumberHandler final : public Handler {
     public:
      explicit NumberHandler(ThreadNumberProtocol* protocol) : protocol_(protocol) {}
      Disposition OnInput(std::string_view input, size_t* consumed, std::string* output) override {
        *consumed = input.size();
        output->append(std::to_string(protocol_->ThreadNumber())).append("\n");
        return Disposition::kContinue;
      }

     private:
      ThreadNumberProtocol* protocol_;
    };
    return std::make_unique<NumberHandler>(this);
  }
  size_t ThreadNumber() {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = std::find(threads_.begin(), threads_.end(), std::this_thread::get_id());
    if (found != threads_.end()) return static_cast<size_t>(found - threads_.begin());
    threads_.push_back(std::this_thread::get_id());
    return threads_.size() - 1;
  }

 private:
  uint32_t loops_;
  std::mutex mutex_;
  std::vector<std::thread::id> threads_;
};

// The loops that served 6 clients of a protocol asking for `loops` of a server's 3.
std::set<std::string> LoopsServing(uint32_t loops) {
  ThreadNumberProtocol protocol(loops);
  Server server(ServerOptions{.threads = 3});
  auto port = server.Listen("127.0.0.1", 0, &protocol);
  EXPECT_TRUE(port.ok());
  server.Start();
  std::set<std::string> served;
  for (int i = 0; i < 6; ++i) {
    const int client = Connect(*port);
    served.insert(Exchange(client, "x\n", 2));
    ::close(client);
  }
  server.Stop();
  return served;
}

TEST(ServerTest, AProtocolsConnectionsGoToAsManyLoopsAsItAsks) {
  EXPECT_EQ(LoopsServing(1).size(), 1u);
  EXPECT_EQ(LoopsServing(2).size(), 2u);
  EXPECT_EQ(LoopsServing(0).size(), 3u);  // every loop
  EXPECT_EQ(LoopsServing(5).size(), 3u);  // no more than there are
}

// Answers "<n>\n" with n bytes written later, outside OnInput, with Connection::Write (as RESP
// releases a commit group's replies), then FlushWrites unless the line is "<n>-\n"; "<n>q\n"
// writes its reply and closes; "<n>!\n" writes it at once, inside OnInput.
class LaterWriteProtocol final : public Protocol {
 public:
  std::string_view name() const override { return "later_write_test"; }
  std::string ConnectionLimitMessage() const override { return "full\n"; }
  std::unique_ptr<Handler> NewHandler(std::weak_ptr<Connection> connection) override {
    class LaterWriteHandler final : public Handler {
     public:
      explicit LaterWriteHandler(std::weak_ptr<Connection> connection)
          : connection_(std::move(connection)) {}
      Disposition OnInput(std::string_view input, size_t* consumed, std::string*) override {
        *consumed = 0;
        for (size_t end; (end = input.find('\n', *consumed)) != std::string_view::npos;) {
          const std::string line(input.substr(*consumed, end - *consumed));
          *consumed = end + 1;
          auto connection = connection_.lock();
          if (!connection) break;
          if (line.back() == '!') {  // written at once, in OnInput, left to the loop's flush
            connection->Write(Reply(std::stoul(line)));
            continue;
          }
          const bool flush = line.back() != '-' && line.back() != 'q';
          const bool close = line.back() == 'q';
          Connection* raw = connection.get();
          connection->Post([raw, reply = Reply(std::stoul(line)), flush, close] {
            raw->Write(reply);
            if (flush) FlushWrites();
            if (close) raw->Close();
          });
        }
        return Disposition::kContinue;
      }

     private:
      std::weak_ptr<Connection> connection_;
    };
    return std::make_unique<LaterWriteHandler>(std::move(connection));
  }
  static std::string Reply(size_t bytes) {
    std::string reply(bytes, 'a');
    for (size_t i = 0; i < bytes; ++i) reply[i] = static_cast<char>('a' + i % 26);
    return reply;
  }
};

// A one-loop server of LaterWriteProtocol, with batched sends or not (the parameter).
class LaterWriteTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(ServerOptions{.threads = 1, .batch_sends = GetParam()});
    auto port = server_->Listen("127.0.0.1", 0, &protocol_);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    server_->Start();
  }
  void TearDown() override { server_->Stop(); }

  LaterWriteProtocol protocol_;  // outlives the server
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

TEST_P(LaterWriteTest, RepliesOfManyConnectionsLeaveWholeAndInOrder) {
  std::vector<int> clients;
  for (int i = 0; i < 20; ++i) clients.push_back(Connect(port_));
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < clients.size(); ++i) {  // all sent first: one loop turn serves many
      const std::string request = std::to_string(i + 1) + "\n" + std::to_string(i + 2) + "-\n";
      ASSERT_EQ(::send(clients[i], request.data(), request.size(), 0),
                static_cast<ssize_t>(request.size()));
    }
    for (size_t i = 0; i < clients.size(); ++i) {
      const std::string expected =
          LaterWriteProtocol::Reply(i + 1) + LaterWriteProtocol::Reply(i + 2);
      EXPECT_EQ(Exchange(clients[i], "", expected.size()), expected) << i;
    }
  }
  // A reply written just before Close leaves before the connection closes.
  EXPECT_EQ(Exchange(clients[0], "3q\n", 4), LaterWriteProtocol::Reply(3));
  char byte = 0;
  EXPECT_EQ(::recv(clients[0], &byte, 1, 0), 0);
  for (int client : clients) ::close(client);
}

TEST_P(LaterWriteTest, AClientThatDoesNotReadHoldsUpNoOther) {
  const int slow = Connect(port_);
  const int other = Connect(port_);
  const size_t big = size_t{8} << 20;  // far more than the socket buffers take
  ASSERT_EQ(::send(slow, "8388608\n", 8, 0), 8);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Exchange(other, "5\n", 5), LaterWriteProtocol::Reply(5));
  }
  EXPECT_EQ(Exchange(slow, "", big), LaterWriteProtocol::Reply(big));
  ::close(slow);
  ::close(other);
}

// A reply larger than kOutputBytesHigh written inside OnInput: the reader stops reading until
// the loop has sent it, then goes on to the next request.
TEST_P(LaterWriteTest, AReaderHeldBackByALargeReplyGoesOn) {
  const int client = Connect(port_);
  const size_t big = kOutputBytesHigh + 4096;
  for (int i = 0; i < 3; ++i) {
    const std::string request = std::to_string(big) + "!\n5-\n";
    EXPECT_EQ(Exchange(client, request, big + 5),
              LaterWriteProtocol::Reply(big) + LaterWriteProtocol::Reply(5));
  }
  ::close(client);
}

INSTANTIATE_TEST_SUITE_P(BatchedAndOneByOne, LaterWriteTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Batched" : "OneByOne"; });

}  // namespace
}  // namespace plexus::server::net
