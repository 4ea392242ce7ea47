// Reads that spare Asio's reactor a failed recv() per request: the connection reader of
// server.cc reads with AsyncReadDraining.
//
// Asio's async_read_some tries recv() before it waits whenever an epoll event came since the
// last read that found the peer's end closed: after any read that returned data. A client
// that waits for the reply to the request just read (redis-benchmark -P 1, any request/reply
// client) has sent nothing more, so that recv() fails with EAGAIN: a system call per request
// on top of the one that reads it. DrainingRead tells the reactor instead that a read which
// returned fewer bytes than it asked for drained the socket (the kernel copies everything
// queued up to the size asked), so the next read waits for epoll's next edge — new bytes
// raise one, Asio registers sockets edge-triggered — and an edge that came meanwhile (the
// reactor then marks the socket worth trying) makes the next read try recv() first, as Asio's.
// This reaches into Asio's reactor (asio::detail), which the Boost version pins.
#pragma once

#include <sys/socket.h>

#include <boost/asio.hpp>
#include <cerrno>
#include <type_traits>
#include <utility>

#if defined(BOOST_ASIO_HAS_IOCP) || defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT) || \
    !defined(BOOST_ASIO_HAS_EPOLL)
#error "DrainingRead is written for Asio's epoll reactor"
#endif

namespace plexus::server::net::draining {

namespace asio = boost::asio;
using Stream = asio::generic::stream_protocol;
using Reactor = asio::detail::reactor;

// A stream socket that lets DrainingRead reach its reactor registration.
class ReactorSocket final : public Stream::socket {
 public:
  explicit ReactorSocket(Stream::socket&& socket) : Stream::socket(std::move(socket)) {}
  asio::detail::reactive_socket_service_base::base_implementation_type& state() {
    return impl_.get_implementation();
  }
};

template <typename Handler>
class DrainingReadOp final : public asio::detail::reactor_op {
 public:
  DrainingReadOp(int descriptor, asio::mutable_buffer buffer, Handler handler,
                 const asio::any_io_executor& io_executor)
      : reactor_op(boost::system::error_code(), &DrainingReadOp::Perform,
                   &DrainingReadOp::Complete),
        descriptor_(descriptor),
        buffer_(buffer),
        handler_(std::move(handler)),
        work_(handler_, io_executor) {}

 private:
  static status Perform(reactor_op* base) {
    auto* op = static_cast<DrainingReadOp*>(base);
    for (;;) {
      const ssize_t result = ::recv(op->descriptor_, op->buffer_.data(), op->buffer_.size(),
                                    MSG_DONTWAIT);
      if (result > 0) {
        op->bytes_transferred_ = static_cast<size_t>(result);
        return op->bytes_transferred_ < op->buffer_.size() ? done_and_exhausted : done;
      }
      if (result == 0) {
        op->ec_ = asio::error::eof;
        return done_and_exhausted;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return not_done;
      op->ec_ = boost::system::error_code(errno, boost::system::system_category());
      return done;
    }
  }

  // With a null `owner` the io_context is being destroyed: the handler is dropped uncalled.
  static void Complete(void* owner, asio::detail::scheduler_operation* base,
                       const boost::system::error_code&, size_t) {
    auto* op = static_cast<DrainingReadOp*>(base);
    asio::detail::handler_work<Handler, asio::any_io_executor> work(std::move(op->work_));
    asio::detail::binder2<Handler, boost::system::error_code, size_t> bound(
        0, std::move(op->handler_), op->ec_, op->bytes_transferred_);
    delete op;
    if (owner != nullptr) work.complete(bound, bound.handler_);
  }

  int descriptor_;
  asio::mutable_buffer buffer_;
  Handler handler_;
  asio::detail::handler_work<Handler, asio::any_io_executor> work_;
};

// Cancels a pending DrainingRead (the connection closing).
struct DrainingReadCancellation {
  Reactor* reactor;
  int descriptor;
  Reactor::per_descriptor_data* registration;
  void* operation;
  void operator()(asio::cancellation_type type) {
    if ((type & (asio::cancellation_type::terminal | asio::cancellation_type::partial |
                 asio::cancellation_type::total)) != asio::cancellation_type::none) {
      reactor->cancel_ops_by_key(descriptor, *registration, Reactor::read_op, operation);
    }
  }
};

// As socket.async_read_some(buffer, token), but see above. `reactor` is the socket's context's.
template <typename Token>
auto AsyncReadDraining(ReactorSocket& socket, Reactor& reactor, asio::mutable_buffer buffer,
                       Token&& token) {
  return asio::async_initiate<Token, void(boost::system::error_code, size_t)>(
      [&socket, &reactor, buffer](auto handler) {
        using Op = DrainingReadOp<std::decay_t<decltype(handler)>>;
        auto& state = socket.state();
        auto slot = asio::get_associated_cancellation_slot(handler);
        auto* op = new Op(state.socket_, buffer, std::move(handler), socket.get_executor());
        if (slot.is_connected()) {
          op->cancellation_key_ = op;
          slot.template emplace<DrainingReadCancellation>(
              DrainingReadCancellation{&reactor, state.socket_, &state.reactor_data_, op});
        }
        reactor.start_op(Reactor::read_op, state.socket_, state.reactor_data_, op,
                         /*is_continuation=*/true, /*allow_speculative=*/true);
      },
      token);
}

}  // namespace plexus::server::net::draining
