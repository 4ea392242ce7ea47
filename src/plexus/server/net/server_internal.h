// Internals of server/net shared by server.cc (connections, loops, starting and stopping) and
// listeners.cc (listening and accepting): the event loop, the listener and Server::Impl. Asio
// stays in server/net: only these two files and draining_read.h include it.
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "plexus/base/metrics.h"
#include "plexus/server/net/send_ring.h"
#include "plexus/server/net/server.h"

namespace plexus::server::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Local = asio::local::stream_protocol;
// TCP and Unix-domain sockets alike.
using Stream = asio::generic::stream_protocol;
using Timer = asio::steady_timer;
inline constexpr auto kUseAwaitable = asio::as_tuple(asio::use_awaitable);

// "127.0.0.1:6380", "[::1]:6380"; kLocalPeer for a Unix-domain socket.
std::string EndpointText(const tcp::endpoint& endpoint);
std::string EndpointText(const Stream::endpoint& endpoint);

class ConnectionImpl;
struct Loop;
void FlushStaged(Loop* loop);

struct Loop {
  asio::io_context context{1};
  // Null when each Write sends on its own (no io_uring here, or ServerOptions::batch_sends off).
  std::unique_ptr<SendRing> send_ring;
  // The connections whose Write staged bytes this loop turn, for FlushStaged to send together.
  std::vector<std::shared_ptr<ConnectionImpl>> staged;
  bool flush_posted = false;  // a FlushStaged task is queued for them
  std::vector<std::shared_ptr<ConnectionImpl>> flushing;  // FlushStaged's, kept for its capacity
  std::vector<SendRing::Item> send_items;                 // likewise
  std::vector<ConnectionImpl*> senders;                   // likewise
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::unordered_map<uint64_t, std::shared_ptr<ConnectionImpl>> connections;
  std::optional<Timer> grace_timer;
  bool stopping = false;
  std::thread thread;
};

// A protocol's connection metrics (label protocol=<Protocol::name()>), resolved once per listener.
struct ConnectionMetrics {
  base::Gauge* open = nullptr;
  base::Counter* accepted = nullptr;
  base::Counter* rejected = nullptr;
};

struct Listener {
  explicit Listener(asio::io_context& context) : acceptor(context) {}
  asio::basic_socket_acceptor<Stream> acceptor;
  std::string socket_path;  // a Unix-domain listener's file, removed when the server stops
  Protocol* protocol = nullptr;
  std::string address;
  ConnectionMetrics metrics;
};

struct Server::Impl {
  ServerOptions options;
  std::vector<std::unique_ptr<Loop>> loops;
  std::vector<std::unique_ptr<Listener>> listeners;
  std::atomic<size_t> next_loop{0};
  std::atomic<size_t> active{0};
  std::atomic<uint64_t> next_id{1};
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> rejected{0};
  bool started = false;
  bool stopped = false;

  asio::awaitable<void> AcceptLoop(Listener* listener);
  void StartConnection(Loop* loop, Stream::socket socket, Listener* listener, bool refused);
  asio::awaitable<void> Reject(Stream::socket socket, std::string message);
  void Remove(Loop* loop, uint64_t id);
};

}  // namespace plexus::server::net
