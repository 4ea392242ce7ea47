// Sends of many sockets in one system call (io_uring), for an event loop's replies of one turn
// (server.cc's FlushStaged). liburing stays in send_ring.cc.
#pragma once

#include <sys/types.h>

#include <memory>
#include <span>
#include <string_view>

namespace plexus::server::net {

// The sends are non-blocking (MSG_DONTWAIT: io_uring completes each at once with what the
// socket took, or -EAGAIN, and never waits for a slow reader), so every buffer is free again
// when Send returns.
class SendRing {
 public:
  // Sends at most this many buffers per system call.
  static constexpr unsigned kEntries = 256;

  // Null where io_uring cannot be used (an old kernel, kernel.io_uring_disabled, a seccomp
  // profile that refuses it, as Docker's default one does).
  static std::unique_ptr<SendRing> Create();
  ~SendRing();
  SendRing(const SendRing&) = delete;
  SendRing& operator=(const SendRing&) = delete;

  struct Item {
    int descriptor;
    std::string_view bytes;
    ssize_t result = 0;  // bytes sent, or -errno
  };
  // Sends each item's bytes on its descriptor (as ::send with MSG_DONTWAIT | MSG_NOSIGNAL)
  // and sets its result (an item io_uring did not take: -EIO, nothing sent). False if
  // io_uring failed: the ring must then be destroyed, as entries it did not take are still
  // queued in it and must never be submitted. REQUIRES: items.size() <= kEntries.
  [[nodiscard]] bool Send(std::span<Item> items);

 private:
  struct Ring;
  explicit SendRing(std::unique_ptr<Ring> ring);
  std::unique_ptr<Ring> ring_;
};

}  // namespace plexus::server::net
