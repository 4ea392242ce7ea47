// The Redis data model's storage: per-key metadata in `kv_meta`, one entry per collection
// element in `kv_data`, an expiry index, and Op — one atomic command over a set of keys.
//
// Bytes (integers little-endian unless noted):
//   kv_meta  [db:1][user key]                 -> type:1 expire_at_ms:8 version:8 size:8
//                                                 [list head:8 (lists)] [value (strings)]
//   kv_meta  [0xFE][expire_at_ms:8 BE][db:1][user key] -> ""   (expiry index, time order)
//   kv_meta  [0xFF]"version"                  -> the floor of the next version (8)
//   kv_data  [db:1][key length:4 BE][user key][version:8 BE][sub-key] -> element
// (a list's sub-keys and values are chunks of 64 positions: list_chunk.h).
// A collection's elements hang off its version: deleting or overwriting a key writes only its
// metadata (O(1)); elements of versions no longer current are garbage (see keyspace.cc), and so
// are a list's positions outside [list head, list head + size) (pops only move the bounds).
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/storage/store.h"
#include "plexus/txn/transaction.h"

namespace rocksdb {
class Iterator;
class WriteBatch;
class WriteBatchWithIndex;
}  // namespace rocksdb

namespace plexus::kv {

enum class Type : uint8_t { kString = 0, kList = 1, kSet = 2, kZSet = 3, kHash = 4 };
std::string_view TypeName(Type type);  // "string", "list", "set", "zset", "hash"

inline constexpr int kDatabaseCount = 16;
inline constexpr size_t kLockStripes = 4096;
inline constexpr uint64_t kListMiddle = uint64_t{1} << 62;
// Expired keys deleted per active-expiry cycle, and the cycle's period.
inline constexpr size_t kExpireCycleKeysMax = 200;
inline constexpr int kExpireCyclePeriodMs = 100;

struct Meta {
  Type type = Type::kString;
  int64_t expire_at_ms = 0;  // 0: no expiry
  uint64_t version = 0;
  uint64_t size = 0;       // collections: element count
  uint64_t list_head = 0;  // lists: index of the first element
  std::string value;       // strings: the value
};

std::string EncodeMeta(const Meta& meta);
Status DecodeMeta(std::string_view bytes, Meta* meta);
std::string MetaKey(int db, std::string_view key);
std::string ExpiryKey(int64_t expire_at_ms, int db, std::string_view key);
// The prefix of every element of (db, key, version).
std::string DataPrefix(int db, std::string_view key, uint64_t version);
// The first key after every key that starts with `prefix` ("" when there is none).
std::string PrefixEnd(std::string_view prefix);
int64_t NowMs();

class Keyspace;

// A scan over [lower, upper) of kv_data, either way, as an op sees it: the latest commit plus
// the op's own writes.
class ElementIterator {
 public:
  ~ElementIterator();
  ElementIterator(const ElementIterator&) = delete;
  ElementIterator& operator=(const ElementIterator&) = delete;

  bool Valid() const;
  void Next();
  // Positions at the first key >= target (clamped to the scan's bounds).
  void Seek(std::string_view target);
  // Positions at the last key of the scan's range.
  void SeekToLast();
  // Positions at the last key < target (clamped to the scan's bounds).
  void SeekBefore(std::string_view target);
  // REQUIRES: Valid(). Moves to the previous key (invalid before the lower bound).
  void Prev();
  // REQUIRES: Valid(). Valid until the next move.
  std::string_view key() const;
  std::string_view value() const;
  Status status() const;

 private:
  friend class Op;
  struct Bounds;
  ElementIterator(std::unique_ptr<Bounds> bounds, std::unique_ptr<rocksdb::Iterator> iterator);

  std::unique_ptr<Bounds> bounds_;  // before iterator_: the iterator points into it
  std::unique_ptr<rocksdb::Iterator> iterator_;
};

struct KeyRef {
  int db;
  std::string_view key;
};

// Told of key events the keyspace itself causes (the RESP front end turns them into keyspace
// notifications). Called on the thread of the op, with the op's locks held; must not begin ops.
class KeyEventListener {
 public:
  virtual ~KeyEventListener() = default;
  // Lazy or active expiry deleted `key`.
  virtual void KeyExpired(int db, std::string_view key) = 0;
  // A write created `key` (it was not live before).
  virtual void KeyCreated(int db, std::string_view key) = 0;
};
enum KeyEvents : uint32_t { kKeyExpiredEvents = 1, kKeyCreatedEvents = 2 };

// One atomic command: holds the stripe locks of its keys for its lifetime and collects its
// writes in one indexed write batch, written by Commit as one atomic RocksDB write (destruction
// without Commit drops it). Reads see the latest commit plus the op's own writes. The stripe
// locks are the concurrency control: the kv families are written only by ops, so the batch
// bypasses RocksDB's transaction lock manager (and SQL transactions never touch kv families).
class Op {
 public:
  ~Op();
  Op(const Op&) = delete;
  Op& operator=(const Op&) = delete;

  // The live metadata of `key`: nullopt when missing or expired (an expired key is deleted
  // as part of this op, as Redis's lazy expiry does).
  Result<std::optional<Meta>> Get(int db, std::string_view key);
  // Writes `meta` for `key`; `existed` says whether the key was live before (for counts and the
  // expiry index, `old_expire_at_ms` is its previous expiry).
  Status Put(int db, std::string_view key, const Meta& meta, bool existed,
             int64_t old_expire_at_ms);
  // Deletes a live key whose metadata is `old` (O(1): elements become garbage).
  Status Delete(int db, std::string_view key, const Meta& old);

  Status GetElement(std::string_view prefix, std::string_view sub_key, std::string* value);
  Status PutElement(std::string_view prefix, std::string_view sub_key, std::string_view value);
  Status DeleteElement(std::string_view prefix, std::string_view sub_key);

  // Lists (chunks of 64 positions, list_chunk.h): the element at position `index` of the list
  // whose elements start with `prefix`. REQUIRES: index is live (in [head, head + size)).
  Status ListGet(std::string_view prefix, uint64_t index, std::string* value);
  // Writes position `index`; [live_first, live_end) are the list's live positions with it
  // (a push has moved the bounds already). Each chunk written goes to the store once, at
  // Commit (or before an Elements scan of `prefix`).
  Status ListSet(std::string_view prefix, uint64_t index, std::string_view value,
                 uint64_t live_first, uint64_t live_end);
  // Appends the elements at positions [first, end) (live) to `values`, in order.
  Status ListRange(std::string_view prefix, uint64_t first, uint64_t end,
                   std::vector<std::string>* values);

  // Entries of `prefix` with sub-keys in [lower, upper) ("" upper: to the end), as written
  // (a list's: its chunks and elements stored apart, as stored).
  Result<std::unique_ptr<ElementIterator>> Elements(std::string_view prefix,
                                                  std::string_view lower = "",
                                                  std::string_view upper = "");

  // Adds the stripe locks of `keys` without waiting: false (and nothing added) when another op
  // holds one of them. Lets a pipeline batch several commands into one op without deadlock:
  // whoever cannot extend its op commits it (releasing everything) before waiting for a lock.
  bool TryLock(const std::vector<KeyRef>& keys);
  // Sets the clock that expiry decisions use (an op that spans several commands: each
  // command's time of arrival).
  void SetClock(int64_t now_ms) { now_ms_ = now_ms; }

  uint64_t NewVersion();
  // Commits the op's writes. With a deferred sync (see Keyspace::Begin) a commit under `sync`
  // durability does not fsync; the caller must call Keyspace::SyncWal before acknowledging.
  Status Commit();
  // Whether Commit wrote to the WAL without syncing it (deferred sync only).
  bool needs_sync() const { return needs_sync_; }
  int64_t now_ms() const { return now_ms_; }
  // Keys of `db` as the op sees them: the committed count and the op's own changes.
  int64_t KeyCount(int db) const;
  Keyspace* keyspace() const { return keyspace_; }
  // Lists and sorted sets this op wrote (any database): the keys blocked pops wait for.
  std::vector<std::pair<int, std::string>> TakePushedKeys() { return std::move(pushed_keys_); }

 private:
  friend class Keyspace;
  Op(Keyspace* keyspace, std::vector<size_t> stripes, bool all_stripes, bool defer_sync);
  rocksdb::WriteBatchWithIndex* Writer();
  Status WritePut(storage::Family family, std::string_view key, std::string_view value);
  Status WriteDelete(storage::Family family, std::string_view key);
  Status Read(storage::Family family, std::string_view key, std::string* value);
  // The element `key` as this op last read or wrote it (NotFound: none); nullopt when the op
  // has not seen it.
  std::optional<Status> CachedElement(const std::string& key, std::string* value) const;

  Keyspace* keyspace_;
  std::vector<size_t> stripes_;  // locked, ascending
  bool all_stripes_;
  int64_t now_ms_;
  std::unique_ptr<rocksdb::WriteBatchWithIndex> batch_;  // created by the first write
  // The metadata of every key the op has read or written, by MetaKey (nullopt: no key), as
  // stored (before lazy expiry), but for strings longer than kCachedValueBytesMax (read back
  // from the batch). The op holds those keys' stripes, so no one else changes them: a
  // pipeline batch reads a key's metadata from the store once. A write of metadata stays
  // here (dirty) until Commit, which writes each key's last one after the batch's writes: a
  // pipeline's rewrites of one key cost no batch entry each. Only longer strings go to the
  // batch (and leave no entry here).
  static constexpr size_t kCachedValueBytesMax = 1024;
  struct CachedMeta {
    std::optional<Meta> meta;
    bool dirty = false;
  };
  std::unordered_map<std::string, CachedMeta> metas_;
  bool has_dirty_metas_ = false;
  // Likewise the elements it has read (values up to kCachedValueBytesMax), by kv_data key:
  // SADD/ZADD/HSET of one member in a pipeline look it up once.
  std::unordered_map<std::string, std::optional<std::string>> elements_;
  void ForgetOrUpdate(const std::string& key, std::optional<std::string_view> value);
  // Likewise every list chunk it has read or written, decoded, by kv_data key: a pipeline's
  // pushes and pops of one list read each chunk once, and a written (dirty) chunk stays here,
  // out of the indexed batch, until Commit writes it once, after the batch (it is newer).
  struct CachedChunk;
  std::unordered_map<std::string, std::unique_ptr<CachedChunk>> chunks_;
  CachedChunk* last_chunk_ = nullptr;     // the last one looked up (a pipeline's list)
  std::vector<CachedChunk*> dirty_chunks_;
  // The chunk `chunk_number` of `prefix`, read on first use (an absent one: empty).
  Result<CachedChunk*> Chunk(std::string_view prefix, uint64_t chunk_number);
  void ForgetChunks();
  // Elements without IndexChunks.
  Result<std::unique_ptr<ElementIterator>> Scan(std::string_view prefix, std::string_view lower,
                                                std::string_view upper);
  // Moves the dirty chunks of `prefix` into the indexed batch (they stay cached, clean), so
  // that an Elements scan sees them.
  Status IndexChunks(std::string_view prefix);
  std::array<int64_t, kDatabaseCount> key_count_delta_{};
  uint64_t changes_ = 0;  // key and element writes and deletes; added to change_count_ on commit
  bool defer_sync_;
  bool needs_sync_ = false;
  std::vector<std::pair<int, std::string>> pushed_keys_;
};


class Keyspace {
 public:
  // REQUIRES: `transactions` and `store` (which ops write directly; see Op) outlive the
  // keyspace.
  static Result<std::unique_ptr<Keyspace>> Open(txn::TransactionManager* transactions,
                                                storage::Store* store);
  ~Keyspace();  // StopBackground()

  // Locks the stripes of `keys` (any order, duplicates fine) and begins an op. With
  // `defer_sync`, a `sync`-durability commit leaves the fsync to a later SyncWal, so that a
  // pipeline of writes shares one fsync (group commit); see Op::Commit.
  std::unique_ptr<Op> Begin(const std::vector<KeyRef>& keys, bool defer_sync = false);
  // Locks every stripe (FLUSHDB, FLUSHALL, EXEC of commands without declared keys).
  std::unique_ptr<Op> BeginExclusive(bool defer_sync = false);

  // Makes every commit so far durable (one fsync of the WAL).
  Status SyncWal();

  // Keys of `db` in [start, end) of the meta family, latest commit; no lock.
  Result<std::unique_ptr<txn::Iterator>> ScanKeys(int db, std::string_view start_key = "");
  int64_t KeyCount(int db) const { return key_counts_[static_cast<size_t>(db)].load(); }
  // Incremented by every committed write to a key of the stripe (WATCH).
  uint64_t StripeVersion(int db, std::string_view key) const;
  static size_t StripeOf(int db, std::string_view key);

  // Deletes every key of `db` (-1: every database). REQUIRES: `op` is exclusive.
  Status Flush(Op* op, int db);

  // Active expiry: a thread deletes keys whose time has passed, from the expiry index.
  void StartBackground();
  void StopBackground();
  // One cycle of active expiry; returns the number of keys deleted.
  Result<size_t> ExpireCycle(size_t keys_max);
  uint64_t expired_count() const { return expired_count_.load(); }

  txn::TransactionManager* transactions() const { return transactions_; }
  storage::Store* store() const { return store_; }
  // Writes and deletes of keys and elements by committed ops since open (INFO's
  // rdb_changes_since_last_save).
  uint64_t change_count() const { return change_count_.load(std::memory_order_relaxed); }

  // The listener (null: none) and which of its events (KeyEvents bits) it wants; the keyspace
  // calls it only for those, so that an idle listener costs one relaxed load per write.
  void SetListener(KeyEventListener* listener, uint32_t events);
  void SetListenerEvents(uint32_t events) { listener_events_.store(events); }

 private:
  friend class Op;
  Keyspace(txn::TransactionManager* transactions, storage::Store* store)
      : transactions_(transactions), store_(store) {}
  Status LoadCounts();
  Status ReserveVersions();
  void TellListener(uint32_t event, int db, std::string_view key);

  txn::TransactionManager* transactions_;
  storage::Store* store_;
  std::array<std::mutex, kLockStripes> stripes_;
  std::array<std::atomic<uint64_t>, kLockStripes> stripe_versions_{};
  std::array<std::atomic<int64_t>, kDatabaseCount> key_counts_{};
  std::mutex version_mutex_;
  uint64_t next_version_ = 0;   // guarded by version_mutex_
  uint64_t version_floor_ = 0;  // persisted; next_version_ stays below it
  std::atomic<uint64_t> expired_count_{0};
  std::atomic<uint64_t> change_count_{0};

  std::mutex listener_mutex_;  // held while the listener is called, so it can be removed
  KeyEventListener* listener_ = nullptr;
  std::atomic<uint32_t> listener_events_{0};

  std::mutex background_mutex_;
  std::condition_variable background_wake_;
  bool background_stop_ = false;
  std::thread background_;
};

}  // namespace plexus::kv
