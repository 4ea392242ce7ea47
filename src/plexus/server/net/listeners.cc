// Listening and accepting (Server::Listen, ListenLocal, the accept loop), over server_internal.h.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "plexus/base/assert.h"
#include "plexus/base/logging.h"
#include "plexus/server/net/server_internal.h"

namespace plexus::server::net {

std::string EndpointText(const tcp::endpoint& endpoint) {
  const asio::ip::address address = endpoint.address();
  std::string text = address.to_string();
  if (address.is_v6()) text = "[" + text + "]";
  return text + ":" + std::to_string(endpoint.port());
}

std::string EndpointText(const Stream::endpoint& endpoint) {
  const sockaddr* address = endpoint.data();
  if (address->sa_family == AF_INET) {
    return EndpointText(tcp::endpoint(asio::ip::address_v4(ntohl(
                                          reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr)),
                                      ntohs(reinterpret_cast<const sockaddr_in*>(address)->sin_port)));
  }
  if (address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    asio::ip::address_v6::bytes_type bytes;
    std::memcpy(bytes.data(), v6->sin6_addr.s6_addr, bytes.size());
    return EndpointText(tcp::endpoint(asio::ip::address_v6(bytes, v6->sin6_scope_id),
                                      ntohs(v6->sin6_port)));
  }
  return std::string(kLocalPeer);
}

namespace {

ConnectionMetrics RegisterConnectionMetrics(std::string_view protocol) {
  base::Registry& registry = base::DefaultRegistry();
  const base::MetricLabels labels = {{"protocol", std::string(protocol)}};
  return {
      &registry.RegisterGauge("plexus_connections", "Open client connections.", labels),
      &registry.RegisterCounter("plexus_connections_accepted_total",
                                "Client connections accepted, refused ones included.", labels),
      &registry.RegisterCounter("plexus_connections_rejected_total",
                                "Client connections refused at the connection limit.", labels),
  };
}

}  // namespace

asio::awaitable<void> Server::Impl::Reject(Stream::socket socket, std::string message) {
  co_await asio::async_write(socket, asio::buffer(message), kUseAwaitable);
  boost::system::error_code ignored;  // the client is refused either way
  socket.shutdown(Stream::socket::shutdown_both, ignored);
  socket.close(ignored);
}

asio::awaitable<void> Server::Impl::AcceptLoop(Listener* listener) {
  const uint32_t wanted = listener->protocol->loop_count();
  const size_t serving = wanted == 0 ? loops.size() : std::min<size_t>(wanted, loops.size());
  for (;;) {
    const size_t index = next_loop.fetch_add(1, std::memory_order_relaxed) % serving;
    Loop* loop = loops[index].get();
    auto [error, socket] = co_await listener->acceptor.async_accept(loop->context, kUseAwaitable);
    if (error) {
      if (error == asio::error::operation_aborted || !listener->acceptor.is_open()) co_return;
      // Out of file descriptors and the like: wait a little rather than spin.
      base::LogWarn("{} accept on {} failed: {}", listener->protocol->name(), listener->address,
                    error.message());
      Timer pause(listener->acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(kUseAwaitable);
      continue;
    }
    accepted.fetch_add(1, std::memory_order_relaxed);
    listener->metrics.accepted->Increment();
    const size_t before = active.fetch_add(1, std::memory_order_relaxed);
    bool refused = false;
    if (before >= options.max_connections) {
      rejected.fetch_add(1, std::memory_order_relaxed);
      listener->metrics.rejected->Increment();
      refused = listener->protocol->has_refused_handler() &&
                before < size_t{options.max_connections} + kRefusedConnectionsMax;
    }
    if (before >= options.max_connections && !refused) {
      active.fetch_sub(1, std::memory_order_relaxed);
      asio::co_spawn(loop->context,
                     Reject(std::move(socket), listener->protocol->ConnectionLimitMessage()),
                     asio::detached);
      continue;
    }
    asio::post(loop->context,
               [this, loop, listener, socket = std::move(socket), refused]() mutable {
                 StartConnection(loop, std::move(socket), listener, refused);
               });
  }
}

Result<uint16_t> Server::Listen(std::string_view address, uint16_t port, Protocol* protocol) {
  PLEXUS_ASSERT(!impl_->started);
  boost::system::error_code error;
  const asio::ip::address ip = asio::ip::make_address(std::string(address), error);
  if (error) {
    return Status::InvalidArgument("\"" + std::string(address) + "\" is not an IP address");
  }
  auto listener = std::make_unique<Listener>(impl_->loops[0]->context);
  listener->protocol = protocol;
  listener->metrics = RegisterConnectionMetrics(protocol->name());
  const tcp::endpoint endpoint(ip, port);
  listener->address = EndpointText(endpoint);
  auto& acceptor = listener->acceptor;
  const Stream::endpoint generic(endpoint);
  acceptor.open(generic.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(generic, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (!error) {
    const Stream::endpoint bound = acceptor.local_endpoint(error);
    if (!error) {
      impl_->listeners.push_back(std::move(listener));
      return ntohs(reinterpret_cast<const sockaddr_in*>(bound.data())->sin_port);  // same offset in sockaddr_in6
    }
  }
  return Status::IOError("cannot listen on " + listener->address + " for " +
                         std::string(protocol->name()) + ": " + error.message());
}

Status Server::ListenLocal(std::string_view path, Protocol* protocol) {
  PLEXUS_ASSERT(!impl_->started);
  const std::string file(path);
  if (file.size() >= sizeof(sockaddr_un::sun_path)) {
    return Status::InvalidArgument("Unix-domain socket path \"" + file + "\" is too long (max " +
                                   std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " bytes)");
  }
  auto listener = std::make_unique<Listener>(impl_->loops[0]->context);
  listener->protocol = protocol;
  listener->metrics = RegisterConnectionMetrics(protocol->name());
  listener->address = file;
  boost::system::error_code error;
  // A socket file left by a server that died is removed; one a live server answers on is not.
  struct stat status {};
  if (::lstat(file.c_str(), &status) == 0) {
    if (!S_ISSOCK(status.st_mode)) {
      return Status::IOError("cannot listen on " + file + ": a file that is not a socket is there");
    }
    Local::socket probe(impl_->loops[0]->context);
    probe.connect(Local::endpoint(file), error);
    if (!error) {
      return Status::IOError("cannot listen on " + file + ": another server is listening there");
    }
    ::unlink(file.c_str());
  }
  auto& acceptor = listener->acceptor;
  const Stream::endpoint endpoint{Local::endpoint(file)};
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.bind(endpoint, error);
  // Anyone who can reach the directory may connect, as PostgreSQL's unix_socket_permissions
  // 0777 default: authentication decides the rest.
  if (!error) ::chmod(file.c_str(), 0777);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return Status::IOError("cannot listen on " + file + " for " + std::string(protocol->name()) +
                           ": " + error.message());
  }
  listener->socket_path = file;
  impl_->listeners.push_back(std::move(listener));
  return Status::Ok();
}

}  // namespace plexus::server::net
