// Limits of the PostgreSQL wire protocol front end (PostgreSQL's own values where it has one).
#pragma once

#include <cstddef>
#include <cstdint>

namespace plexus::server::pgwire {

// Protocol 3.0 and the special request codes a startup packet may carry instead of a version.
inline constexpr uint32_t kProtocolVersion3 = 196608;  // 3 << 16 | 0
inline constexpr uint32_t kCancelRequestCode = 80877102;
inline constexpr uint32_t kSslRequestCode = 80877103;
inline constexpr uint32_t kGssEncRequestCode = 80877104;

// A startup packet is small (PostgreSQL's MAX_STARTUP_PACKET_LENGTH); its length word counts
// itself, so 8 bytes is the shortest (length + code).
inline constexpr size_t kStartupPacketBytesMax = 10000;
inline constexpr size_t kStartupPacketBytesMin = 8;
// Startup parameters (user, database, options, ...) one client may send.
inline constexpr size_t kStartupParametersMax = 64;
// A regular message's body (PostgreSQL's PQ_LARGE_MESSAGE_LIMIT: 1 GB - 1). A larger length
// word is a protocol violation that closes the connection before any of the body is buffered.
inline constexpr size_t kMessageBytesMax = (size_t{1} << 30) - 1;
// Bind and Parse carry at most this many parameters (the protocol's int16 count).
inline constexpr size_t kParametersMax = 65535;
// Input handed to one execution job: complete messages up to this many bytes (at least one).
inline constexpr size_t kJobInputBytesMax = size_t{1} << 20;
// A worker hands its output to the connection once this much is pending, then waits for the
// client to read it when the connection is over its back-pressure mark.
inline constexpr size_t kWorkerOutputFlushBytes = size_t{64} << 10;
// A client refused at the connection limit is closed if it has not sent its startup packet
// by then (its slot is counted until it closes).
inline constexpr uint32_t kRefusedStartupTimeoutMs = 10'000;
// Prepared statements and portals one session may hold at once.
inline constexpr size_t kPreparedStatementsMax = 100'000;
inline constexpr size_t kPortalsMax = 100'000;

static_assert(kStartupPacketBytesMin <= kStartupPacketBytesMax);

}  // namespace plexus::server::pgwire
