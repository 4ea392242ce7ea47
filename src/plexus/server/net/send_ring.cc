// SendRing on liburing.
#include "plexus/server/net/send_ring.h"

#include <liburing.h>
#include <sys/socket.h>

#include <cerrno>

#include "plexus/base/assert.h"

namespace plexus::server::net {

struct SendRing::Ring {
  io_uring ring{};
};

std::unique_ptr<SendRing> SendRing::Create() {
  auto ring = std::make_unique<Ring>();
  // SUBMIT_ALL (Linux 5.18): an entry that fails does not stop the ones after it.
  if (::io_uring_queue_init(kEntries, &ring->ring, IORING_SETUP_SUBMIT_ALL) != 0 &&
      ::io_uring_queue_init(kEntries, &ring->ring, 0) != 0) {
    return nullptr;
  }
  return std::unique_ptr<SendRing>(new SendRing(std::move(ring)));
}

SendRing::SendRing(std::unique_ptr<Ring> ring) : ring_(std::move(ring)) {}

SendRing::~SendRing() { ::io_uring_queue_exit(&ring_->ring); }

bool SendRing::Send(std::span<Item> items) {
  io_uring* ring = &ring_->ring;
  for (size_t i = 0; i < items.size(); ++i) {
    io_uring_sqe* sqe = ::io_uring_get_sqe(ring);
    PLEXUS_ASSERT(sqe != nullptr);
    ::io_uring_prep_send(sqe, items[i].descriptor, items[i].bytes.data(), items[i].bytes.size(),
                         MSG_DONTWAIT | MSG_NOSIGNAL);
    ::io_uring_sqe_set_data64(sqe, i);
    items[i].result = -EIO;
  }
  int submitted;
  do {
    submitted = ::io_uring_submit_and_wait(ring, static_cast<unsigned>(items.size()));
  } while (submitted == -EINTR || submitted == -EAGAIN);
  for (int reaped = 0; reaped < submitted;) {
    io_uring_cqe* cqe = nullptr;
    const int waited = ::io_uring_wait_cqe(ring, &cqe);
    if (waited == -EINTR) continue;
    PLEXUS_ASSERT(waited == 0);  // a submitted entry always completes
    items[::io_uring_cqe_get_data64(cqe)].result = cqe->res;
    ::io_uring_cqe_seen(ring, cqe);
    ++reaped;
  }
  return submitted == static_cast<int>(items.size());
}

}  // namespace plexus::server::net
