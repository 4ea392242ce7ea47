// Op: one command's locked keys, its reads (its own writes first, element ranges through an
// ElementIterator) and its write batch, committed as one WAL record (see keyspace.h).
#include <algorithm>
#include <cstring>
#include <span>

#include <rocksdb/utilities/transaction_db.h>
#include <rocksdb/utilities/write_batch_with_index.h>
#include <rocksdb/write_batch.h>

#include "plexus/base/assert.h"
#include "plexus/base/logging.h"
#include "plexus/kv/keyspace.h"
#include "plexus/kv/keyspace_internal.h"
#include "plexus/kv/list_chunk.h"
#include "plexus/storage/rocksdb_options.h"
#include "plexus/storage/rocksdb_status.h"

namespace plexus::kv {
namespace {

using storage::Family;

}  // namespace

// A list chunk as the op last read or wrote it (see Op::chunks_).
struct Op::CachedChunk {
  std::string key;  // kv_data key: the list's prefix and the chunk number
  uint64_t chunk_number = 0;
  ListChunk chunk;
  bool dirty = false;
};

// ---- ElementIterator ----

// The bounds and the read options that point at them; they outlive the iterators built on them.
struct ElementIterator::Bounds {
  Bounds(std::string_view lower_key, std::string_view upper_key)
      : lower(lower_key), upper(upper_key), lower_slice(lower), upper_slice(upper) {
    options.iterate_lower_bound = &lower_slice;
    options.iterate_upper_bound = &upper_slice;
  }
  std::string lower, upper;
  rocksdb::Slice lower_slice, upper_slice;
  rocksdb::ReadOptions options;
};

ElementIterator::ElementIterator(std::unique_ptr<Bounds> bounds,
                                 std::unique_ptr<rocksdb::Iterator> iterator)
    : bounds_(std::move(bounds)), iterator_(std::move(iterator)) {
  iterator_->Seek(bounds_->lower_slice);
}

ElementIterator::~ElementIterator() = default;

// The op's own writes are merged in by RocksDB's base-delta iterator, which keeps to the bounds
// of the base; checking them here as well keeps batch entries outside the range out.
bool ElementIterator::Valid() const {
  if (!iterator_->Valid()) return false;
  const rocksdb::Slice key = iterator_->key();
  return key.compare(bounds_->upper_slice) < 0 && key.compare(bounds_->lower_slice) >= 0;
}

void ElementIterator::Next() { iterator_->Next(); }

void ElementIterator::Seek(std::string_view target) {
  if (rocksdb::Slice(target.data(), target.size()).compare(bounds_->lower_slice) < 0) {
    iterator_->Seek(bounds_->lower_slice);
  } else {
    iterator_->Seek(rocksdb::Slice(target.data(), target.size()));
  }
}

void ElementIterator::SeekToLast() { SeekBefore({bounds_->upper.data(), bounds_->upper.size()}); }

void ElementIterator::SeekBefore(std::string_view target) {
  rocksdb::Slice bound(target.data(), target.size());
  if (bound.compare(bounds_->upper_slice) > 0) bound = bounds_->upper_slice;
  iterator_->SeekForPrev(bound);
  if (iterator_->Valid() && iterator_->key().compare(bound) >= 0) iterator_->Prev();
}

void ElementIterator::Prev() { iterator_->Prev(); }

std::string_view ElementIterator::key() const {
  const rocksdb::Slice key = iterator_->key();
  return {key.data(), key.size()};
}

std::string_view ElementIterator::value() const {
  const rocksdb::Slice value = iterator_->value();
  return {value.data(), value.size()};
}

Status ElementIterator::status() const { return storage::FromRocksDB(iterator_->status()); }

// ---- Op ----

Op::Op(Keyspace* keyspace, std::vector<size_t> stripes, bool all_stripes, bool defer_sync)
    : keyspace_(keyspace),
      stripes_(std::move(stripes)),
      all_stripes_(all_stripes),
      now_ms_(NowMs()),
      defer_sync_(defer_sync) {
  for (size_t stripe : stripes_) keyspace_->stripes_[stripe].lock();
}

Op::~Op() {
  // An abandoned op's batch is dropped unwritten.
  for (auto it = stripes_.rbegin(); it != stripes_.rend(); ++it) {
    keyspace_->stripes_[*it].unlock();
  }
}

bool Op::TryLock(const std::vector<KeyRef>& keys) {
  if (all_stripes_) return true;
  std::vector<size_t> added;
  for (const KeyRef& key : keys) {
    const size_t stripe = Keyspace::StripeOf(key.db, key.key);
    if (std::binary_search(stripes_.begin(), stripes_.end(), stripe) ||
        std::find(added.begin(), added.end(), stripe) != added.end()) {
      continue;
    }
    if (!keyspace_->stripes_[stripe].try_lock()) {
      for (size_t taken : added) keyspace_->stripes_[taken].unlock();
      return false;
    }
    added.push_back(stripe);
  }
  stripes_.insert(stripes_.end(), added.begin(), added.end());
  std::sort(stripes_.begin(), stripes_.end());
  return true;
}

rocksdb::WriteBatchWithIndex* Op::Writer() {
  if (!batch_) {
    // overwrite_key: a key written twice (a pipeline's metadata) is one entry of the batch.
    batch_ = std::make_unique<rocksdb::WriteBatchWithIndex>(rocksdb::BytewiseComparator(), 0,
                                                            /*overwrite_key=*/true);
  }
  return batch_.get();
}

namespace {

rocksdb::Slice ToSlice(std::string_view text) { return {text.data(), text.size()}; }

}  // namespace

Status Op::WritePut(Family family, std::string_view key, std::string_view value) {
  return storage::FromRocksDB(
      Writer()->Put(keyspace_->store_->handle(family), ToSlice(key), ToSlice(value)));
}

int64_t Op::KeyCount(int db) const {
  return keyspace_->KeyCount(db) + key_count_delta_[static_cast<size_t>(db)];
}

Status Op::WriteDelete(Family family, std::string_view key) {
  return storage::FromRocksDB(Writer()->Delete(keyspace_->store_->handle(family), ToSlice(key)));
}

Status Op::Read(Family family, std::string_view key, std::string* value) {
  storage::Store* store = keyspace_->store_;
  if (batch_) {
    return storage::FromRocksDB(batch_->GetFromBatchAndDB(
        store->db(), rocksdb::ReadOptions(), store->handle(family), ToSlice(key), value));
  }
  return storage::FromRocksDB(
      store->db()->Get(rocksdb::ReadOptions(), store->handle(family), ToSlice(key), value));
}

Result<std::optional<Meta>> Op::Get(int db, std::string_view key) {
  std::string meta_key = MetaKey(db, key);
  const std::optional<Meta>* stored = nullptr;
  std::optional<Meta> uncached;  // a string too long to cache
  auto cached = metas_.find(meta_key);
  if (cached != metas_.end()) {
    stored = &cached->second.meta;
  } else {
    std::string bytes;
    const Status status = Read(Family::kKvMeta, meta_key, &bytes);
    std::optional<Meta> read;
    if (!status.IsNotFound()) {
      PLEXUS_RETURN_IF_ERROR(status);
      read.emplace();
      PLEXUS_RETURN_IF_ERROR(DecodeMeta(bytes, &*read));
    }
    if (read && read->value.size() > kCachedValueBytesMax) {
      uncached = std::move(read);
      stored = &uncached;
    } else {
      stored = &metas_.emplace(std::move(meta_key), CachedMeta{std::move(read), false})
                    .first->second.meta;
    }
  }
  if (!*stored) return std::optional<Meta>();
  const Meta& meta = **stored;
  if (meta.expire_at_ms != 0 && meta.expire_at_ms <= now_ms_) {
    PLEXUS_RETURN_IF_ERROR(Delete(db, key, meta));
    keyspace_->expired_count_.fetch_add(1, std::memory_order_relaxed);
    if (keyspace_->listener_events_.load(std::memory_order_relaxed) & kKeyExpiredEvents) {
      keyspace_->TellListener(kKeyExpiredEvents, db, key);
    }
    return std::optional<Meta>();
  }
  return std::optional<Meta>(meta);
}

Status Op::Put(int db, std::string_view key, const Meta& meta, bool existed,
               int64_t old_expire_at_ms) {
  std::string meta_key = MetaKey(db, key);
  if (meta.value.size() > kCachedValueBytesMax) {
    PLEXUS_RETURN_IF_ERROR(WritePut(Family::kKvMeta, meta_key, EncodeMeta(meta)));
    metas_.erase(meta_key);  // read back from the batch
  } else {
    CachedMeta& cached = metas_[std::move(meta_key)];
    cached.meta = meta;
    cached.dirty = true;
    has_dirty_metas_ = true;
  }
  ++changes_;
  if (existed && old_expire_at_ms != meta.expire_at_ms && old_expire_at_ms != 0) {
    PLEXUS_RETURN_IF_ERROR(WriteDelete(Family::kKvMeta, ExpiryKey(old_expire_at_ms, db, key)));
  }
  if (meta.expire_at_ms != 0 && (!existed || old_expire_at_ms != meta.expire_at_ms)) {
    PLEXUS_RETURN_IF_ERROR(WritePut(Family::kKvMeta, ExpiryKey(meta.expire_at_ms, db, key), ""));
  }
  if (!existed) {
    key_count_delta_[static_cast<size_t>(db)] += 1;
    if (keyspace_->listener_events_.load(std::memory_order_relaxed) & kKeyCreatedEvents) {
      keyspace_->TellListener(kKeyCreatedEvents, db, key);
    }
  }
  if (meta.type == Type::kList || meta.type == Type::kZSet) pushed_keys_.emplace_back(db, key);
  return Status::Ok();
}

Status Op::Delete(int db, std::string_view key, const Meta& old) {
  ++changes_;
  if (old.expire_at_ms != 0) {
    PLEXUS_RETURN_IF_ERROR(WriteDelete(Family::kKvMeta, ExpiryKey(old.expire_at_ms, db, key)));
  }
  key_count_delta_[static_cast<size_t>(db)] -= 1;
  // Last: `old` may be the cached entry this replaces (lazy expiry in Get).
  CachedMeta& cached = metas_[MetaKey(db, key)];
  cached.meta.reset();
  cached.dirty = true;
  has_dirty_metas_ = true;
  return Status::Ok();
}

std::optional<Status> Op::CachedElement(const std::string& key, std::string* value) const {
  auto cached = elements_.find(key);
  if (cached == elements_.end()) return std::nullopt;
  if (!cached->second) return Status::NotFound("no such element");
  value->assign(*cached->second);
  return Status::Ok();
}

Status Op::GetElement(std::string_view prefix, std::string_view sub_key, std::string* value) {
  std::string key(prefix);
  key.append(sub_key);
  if (std::optional<Status> cached = CachedElement(key, value)) return *cached;
  const Status status = Read(Family::kKvData, key, value);
  if (status.IsNotFound()) {
    elements_.emplace(std::move(key), std::nullopt);
  } else if (status.ok() && value->size() <= kCachedValueBytesMax) {
    elements_.emplace(std::move(key), *value);
  }
  return status;
}

Status Op::PutElement(std::string_view prefix, std::string_view sub_key, std::string_view value) {
  std::string key(prefix);
  key.append(sub_key);
  ++changes_;
  // An element this op last saw holding `value` already holds it (the op has its stripe): the
  // write would change nothing, yet cost an indexed batch entry now and a memtable insert at
  // commit (HSET of a field to the value it has, the same HSET pipelined).
  auto cached = elements_.find(key);
  if (cached != elements_.end() && cached->second && *cached->second == value) {
    return Status::Ok();
  }
  ForgetOrUpdate(key, value);
  return WritePut(Family::kKvData, key, value);
}

Status Op::DeleteElement(std::string_view prefix, std::string_view sub_key) {
  std::string key(prefix);
  key.append(sub_key);
  ++changes_;
  ForgetOrUpdate(key, std::nullopt);
  return WriteDelete(Family::kKvData, key);
}

// Only elements read before are cached: a write of one that was not needs no entry (a later
// read finds it in the batch).
void Op::ForgetOrUpdate(const std::string& key, std::optional<std::string_view> value) {
  auto cached = elements_.find(key);
  if (cached == elements_.end()) return;
  if (value && value->size() > kCachedValueBytesMax) {
    elements_.erase(cached);
  } else {
    cached->second = value;
  }
}

Result<std::unique_ptr<ElementIterator>> Op::Elements(std::string_view prefix, std::string_view lower,
                                                    std::string_view upper) {
  PLEXUS_RETURN_IF_ERROR(IndexChunks(prefix));
  return Scan(prefix, lower, upper);
}

Result<std::unique_ptr<ElementIterator>> Op::Scan(std::string_view prefix, std::string_view lower,
                                                  std::string_view upper) {
  std::string start(prefix);
  start.append(lower);
  std::string end;
  if (upper.empty()) {
    end = PrefixEnd(prefix);
  } else {
    end.assign(prefix);
    end.append(upper);
  }
  storage::Store* store = keyspace_->store_;
  auto bounds = std::make_unique<ElementIterator::Bounds>(start, end);
  rocksdb::ColumnFamilyHandle* family = store->handle(Family::kKvData);
  std::unique_ptr<rocksdb::Iterator> iterator(store->db()->NewIterator(bounds->options, family));
  if (batch_) {
    iterator.reset(batch_->NewIteratorWithBase(family, iterator.release(), &bounds->options));
  }
  return std::unique_ptr<ElementIterator>(new ElementIterator(std::move(bounds), std::move(iterator)));
}

Result<Op::CachedChunk*> Op::Chunk(std::string_view prefix, uint64_t chunk_number) {
  // A pipeline's pushes and pops of one list: the chunk looked up last, found without building
  // its key (a heap allocation past 15 bytes).
  if (last_chunk_ != nullptr && last_chunk_->chunk_number == chunk_number &&
      last_chunk_->key.size() == prefix.size() + 8 &&
      std::string_view(last_chunk_->key).starts_with(prefix)) {
    return last_chunk_;
  }
  std::string key(prefix);
  PutBigEndian64(&key, chunk_number);
  auto [entry, inserted] = chunks_.try_emplace(key);
  if (inserted) {
    entry->second = std::make_unique<CachedChunk>();
    entry->second->key = std::move(key);
    entry->second->chunk_number = chunk_number;
    std::string bytes;
    const Status status = Read(Family::kKvData, entry->second->key, &bytes);
    if (status.ok()) {
      const Status decoded = entry->second->chunk.Decode(std::move(bytes));
      if (!decoded.ok()) {
        chunks_.erase(entry);
        last_chunk_ = nullptr;
        return decoded;
      }
    } else if (!status.IsNotFound()) {
      chunks_.erase(entry);
      last_chunk_ = nullptr;
      return status;
    }
  }
  last_chunk_ = entry->second.get();
  return last_chunk_;
}

namespace {

Status MissingListElement() { return Status::Corruption("list element missing"); }

}  // namespace

Status Op::ListGet(std::string_view prefix, uint64_t index, std::string* value) {
  PLEXUS_ASSIGN_OR_RETURN(CachedChunk * cached, Chunk(prefix, index / kListChunkSlots));
  const uint32_t slot = static_cast<uint32_t>(index % kListChunkSlots);
  if (!cached->chunk.Has(slot)) return MissingListElement();
  if (!cached->chunk.Apart(slot)) {
    value->assign(cached->chunk.Inline(slot));
    return Status::Ok();
  }
  std::string key(prefix);
  key.append(ListApartSubKey(index));
  const Status status = Read(Family::kKvData, key, value);
  return status.IsNotFound() ? MissingListElement() : status;
}

Status Op::ListSet(std::string_view prefix, uint64_t index, std::string_view value,
                   uint64_t live_first, uint64_t live_end) {
  PLEXUS_DCHECK(live_first <= index && index < live_end);
  const uint64_t chunk_number = index / kListChunkSlots;
  const uint64_t chunk_first = chunk_number * kListChunkSlots;
  PLEXUS_ASSIGN_OR_RETURN(CachedChunk * cached, Chunk(prefix, chunk_number));
  const uint32_t slot = static_cast<uint32_t>(index - chunk_first);
  const uint32_t first = static_cast<uint32_t>(std::max(live_first, chunk_first) - chunk_first);
  const uint32_t end = static_cast<uint32_t>(
      std::min(live_end, chunk_first + kListChunkSlots) - chunk_first);
  if (!cached->chunk.Place(slot, first, end)) return MissingListElement();
  ++changes_;
  if (!cached->dirty) {
    cached->dirty = true;
    dirty_chunks_.push_back(cached);
  }
  if (cached->chunk.FitsInline(slot, value)) {
    cached->chunk.SetInline(slot, value);
    return Status::Ok();
  }
  // The old value stored apart there (if any) is overwritten; a later inline value leaves
  // this entry to the garbage check.
  cached->chunk.SetApart(slot);
  std::string key(prefix);
  key.append(ListApartSubKey(index));
  return WritePut(Family::kKvData, key, value);
}

Status Op::ListRange(std::string_view prefix, uint64_t first, uint64_t end,
                     std::vector<std::string>* values) {
  if (first >= end) return Status::Ok();
  // Chunks this op holds are read from here; the others with one scan of the range (a long
  // LRANGE: one seek instead of a point read per chunk).
  const auto [lower, upper] = ListSubKeyRange(first, end);
  std::unique_ptr<ElementIterator> iterator;
  ListChunk scanned;
  std::string key(prefix);
  const size_t prefix_bytes = key.size();
  for (uint64_t chunk_number = first / kListChunkSlots, index = first; index < end;
       ++chunk_number) {
    const uint64_t chunk_first = chunk_number * kListChunkSlots;
    const uint64_t chunk_end = std::min(end, chunk_first + kListChunkSlots);
    key.resize(prefix_bytes);
    PutBigEndian64(&key, chunk_number);
    const ListChunk* chunk = nullptr;
    auto cached = chunks_.find(key);
    if (cached != chunks_.end()) {
      chunk = &cached->second->chunk;
    } else {
      if (!iterator) {
        PLEXUS_ASSIGN_OR_RETURN(iterator, Scan(prefix, lower, upper));
      }
      // Apart entries of earlier chunks sort before this chunk's key: step over them.
      while (iterator->Valid() && iterator->key() < std::string_view(key)) iterator->Next();
      PLEXUS_RETURN_IF_ERROR(iterator->status());
      if (!iterator->Valid() || iterator->key() != std::string_view(key)) {
        return MissingListElement();
      }
      PLEXUS_RETURN_IF_ERROR(scanned.Decode(std::string(iterator->value())));
      iterator->Next();
      chunk = &scanned;
    }
    for (; index < chunk_end; ++index) {
      const uint32_t slot = static_cast<uint32_t>(index - chunk_first);
      if (!chunk->Has(slot)) return MissingListElement();
      if (!chunk->Apart(slot)) {
        values->emplace_back(chunk->Inline(slot));
        continue;
      }
      std::string apart_key(prefix);
      apart_key.append(ListApartSubKey(index));
      std::string value;
      const Status status = Read(Family::kKvData, apart_key, &value);
      if (status.IsNotFound()) return MissingListElement();
      PLEXUS_RETURN_IF_ERROR(status);
      values->push_back(std::move(value));
    }
  }
  return Status::Ok();
}

void Op::ForgetChunks() {
  chunks_.clear();
  last_chunk_ = nullptr;
  dirty_chunks_.clear();
}

Status Op::IndexChunks(std::string_view prefix) {
  if (dirty_chunks_.empty()) return Status::Ok();
  std::string value;
  std::vector<CachedChunk*> kept;
  for (CachedChunk* cached : dirty_chunks_) {
    if (!std::string_view(cached->key).starts_with(prefix)) {
      kept.push_back(cached);
      continue;
    }
    value.clear();
    cached->chunk.Encode(&value);
    cached->dirty = false;
    PLEXUS_RETURN_IF_ERROR(WritePut(Family::kKvData, cached->key, value));
  }
  dirty_chunks_ = std::move(kept);
  return Status::Ok();
}

uint64_t Op::NewVersion() {
  std::lock_guard<std::mutex> lock(keyspace_->version_mutex_);
  if (keyspace_->next_version_ >= keyspace_->version_floor_) {
    // Ignoring a failure here would risk reusing versions after a restart; ReserveVersions
    // only fails when the store does, and then the op's own commit fails too.
    [[maybe_unused]] Status status = keyspace_->ReserveVersions();
  }
  return keyspace_->next_version_++;
}

namespace {

// The latest write of every key of `batch` (whose index keeps only the latest: overwrite_key),
// in `*latest`. False when `batch` has no key written twice (then it is the same batch).
bool LatestWrites(rocksdb::WriteBatchWithIndex* batch,
                  std::span<rocksdb::ColumnFamilyHandle* const> families,
                  rocksdb::WriteBatch* latest) {
  uint32_t keys = 0;
  for (rocksdb::ColumnFamilyHandle* family : families) {
    std::unique_ptr<rocksdb::WBWIIterator> entries(batch->NewIterator(family));
    for (entries->SeekToFirst(); entries->Valid(); entries->Next()) ++keys;
  }
  if (keys == batch->GetWriteBatch()->Count()) return false;
  for (rocksdb::ColumnFamilyHandle* family : families) {
    std::unique_ptr<rocksdb::WBWIIterator> entries(batch->NewIterator(family));
    for (entries->SeekToFirst(); entries->Valid(); entries->Next()) {
      const rocksdb::WriteEntry entry = entries->Entry();
      // Ops write only puts and deletes; a failure to append to memory is not expected here
      // and would surface as a short batch, so the caller falls back to the full batch.
      const rocksdb::Status appended = entry.type == rocksdb::kPutRecord
                                           ? latest->Put(family, entry.key, entry.value)
                                           : latest->Delete(family, entry.key);
      if (!appended.ok() || (entry.type != rocksdb::kPutRecord &&
                             entry.type != rocksdb::kDeleteRecord)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

Status Op::Commit() {
  // changes_ alone: rewrites of elements to the values they hold (PutElement skipped them),
  // which still count as writes of their keys (WATCH, INFO), as in Redis.
  if (!batch_ && !has_dirty_metas_ && dirty_chunks_.empty() && changes_ == 0) {
    return Status::Ok();
  }
  std::unique_ptr<rocksdb::WriteBatchWithIndex> batch = std::move(batch_);
  // A pipeline batch may rewrite an element (and strings too long to cache): the write batch
  // holds every version, while only the last matters. Writing just the last ones spares the
  // memtable an insert per rewrite. Metadata is written once per key from metas_, last.
  storage::Store* store = keyspace_->store_;
  rocksdb::ColumnFamilyHandle* const families[] = {store->handle(Family::kKvMeta),
                                                   store->handle(Family::kKvData)};
  rocksdb::WriteBatch latest;
  rocksdb::WriteBatch* writes = &latest;
  if (batch && batch->GetWriteBatch()->Count() > 0 &&
      !LatestWrites(batch.get(), families, &latest)) {
    writes = batch->GetWriteBatch();  // no key written twice (or a failed copy): all of it
  }
  // List chunks go after the indexed writes (they are newer), each once, in key order: the
  // memtable's skiplist inserts a key just after the one inserted before it without a search.
  if (!dirty_chunks_.empty()) {
    std::sort(dirty_chunks_.begin(), dirty_chunks_.end(),
              [](const CachedChunk* a, const CachedChunk* b) { return a->key < b->key; });
    std::string value;
    for (CachedChunk* cached : dirty_chunks_) {
      value.clear();
      cached->chunk.Encode(&value);
      cached->dirty = false;
      PLEXUS_RETURN_IF_ERROR(storage::FromRocksDB(
          writes->Put(families[1], ToSlice(cached->key), ToSlice(value))));
    }
    dirty_chunks_.clear();
  }
  if (has_dirty_metas_) {
    has_dirty_metas_ = false;
    for (auto& [meta_key, cached] : metas_) {
      if (!cached.dirty) continue;
      cached.dirty = false;
      const rocksdb::Status added =
          cached.meta ? writes->Put(families[0], meta_key, EncodeMeta(*cached.meta))
                      : writes->Delete(families[0], meta_key);
      PLEXUS_RETURN_IF_ERROR(storage::FromRocksDB(added));
    }
  }
  if (writes->Count() == 0 && changes_ == 0) return Status::Ok();
  if (writes->Count() > 0) {
    Durability durability = store->options().durability;
    if (defer_sync_ && durability == Durability::kSync) {
      durability = Durability::kOff;
      needs_sync_ = true;  // set before the write: a failed write may still have reached the WAL
    }
    rocksdb::TransactionDBWriteOptimizations optimizations;
    optimizations.skip_concurrency_control = true;  // the stripe locks are held
    PLEXUS_RETURN_IF_ERROR(storage::FromRocksDB(store->db()->Write(
        storage::WriteOptionsFor(durability), optimizations, writes)));
    store->NoteUnsyncedCommit(durability);
  }
  for (int db = 0; db < kDatabaseCount; ++db) {
    const int64_t delta = key_count_delta_[static_cast<size_t>(db)];
    if (delta != 0) keyspace_->key_counts_[static_cast<size_t>(db)].fetch_add(delta);
  }
  key_count_delta_.fill(0);
  keyspace_->change_count_.fetch_add(changes_, std::memory_order_relaxed);
  changes_ = 0;
  if (all_stripes_) {
    for (auto& version : keyspace_->stripe_versions_) version.fetch_add(1);
  } else {
    for (size_t stripe : stripes_) keyspace_->stripe_versions_[stripe].fetch_add(1);
  }
  return Status::Ok();
}

}  // namespace plexus::kv
