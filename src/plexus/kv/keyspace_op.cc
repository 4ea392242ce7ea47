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
#include "plexus/storage/rocksdb_options.h"
#include "plexus/storage/rocksdb_status.h"

namespace plexus::kv {
namespace {

using storage::Family;

// The lock stripe of the key whose elements start with `prefix` (DataPrefix: [db][key length:4
// BE][key][version:8]).
size_t StripeOfPrefix(std::string_view prefix) {
  PLEXUS_DCHECK(prefix.size() >= 5);
  uint32_t length = 0;
  for (size_t i = 1; i < 5; ++i) length = (length << 8) | static_cast<uint8_t>(prefix[i]);
  return Keyspace::StripeOf(static_cast<uint8_t>(prefix[0]), prefix.substr(5, length));
}

}  // namespace

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
  PLEXUS_RETURN_IF_ERROR(IndexAppended(prefix));
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

Status Op::PopElement(std::string_view prefix, std::string_view sub_key, std::string_view lower,
                      std::string_view upper, std::string* value) {
  // Elements read ahead per miss, and their bytes at most.
  constexpr size_t kReadAheadElementsMax = 128;
  constexpr size_t kReadAheadBytesMax = size_t{64} << 10;
  PLEXUS_RETURN_IF_ERROR(IndexAppended(prefix));
  std::string key(prefix);
  key.append(sub_key);
  if (std::optional<Status> cached = CachedElement(key, value)) return *cached;
  // The cache holds committed values: not what this op wrote under the prefix.
  if (WroteUnder(prefix)) return Read(Family::kKvData, key, value);
  const size_t stripe = StripeOfPrefix(prefix);
  if (keyspace_->TakeReadAhead(stripe, key, value)) return Status::Ok();
  if (lower >= upper) return Read(Family::kKvData, key, value);  // nothing to read ahead
  std::string start(prefix);
  start.append(lower);
  std::string end(prefix);
  end.append(upper);
  storage::Store* store = keyspace_->store_;
  rocksdb::ReadOptions options;
  const rocksdb::Slice end_slice(end);
  options.iterate_upper_bound = &end_slice;
  std::unique_ptr<rocksdb::Iterator> iterator(
      store->db()->NewIterator(options, store->handle(Family::kKvData)));
  std::vector<std::pair<std::string, std::string>> read;
  size_t bytes = 0;
  for (iterator->Seek(rocksdb::Slice(start));
       iterator->Valid() && read.size() < kReadAheadElementsMax && bytes < kReadAheadBytesMax;
       iterator->Next()) {
    const rocksdb::Slice element = iterator->value();
    if (element.size() > kCachedValueBytesMax) continue;
    bytes += element.size();
    read.emplace_back(iterator->key().ToString(), element.ToString());
  }
  PLEXUS_RETURN_IF_ERROR(storage::FromRocksDB(iterator->status()));
  iterator.reset();
  keyspace_->AddReadAhead(stripe, std::move(read));
  if (keyspace_->TakeReadAhead(stripe, key, value)) return Status::Ok();
  return Read(Family::kKvData, key, value);
}

Status Op::PutElement(std::string_view prefix, std::string_view sub_key, std::string_view value) {
  PLEXUS_RETURN_IF_ERROR(IndexAppended(prefix));
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
  NoteElementWrite(prefix, key);
  ForgetOrUpdate(key, value);
  return WritePut(Family::kKvData, key, value);
}

Status Op::AppendElement(std::string_view prefix, std::string_view sub_key,
                         std::string_view value) {
  std::string key(prefix);
  key.append(sub_key);
  ++changes_;
  NoteElementWrite(prefix, key);
  ForgetOrUpdate(key, value);
  if (!appended_) appended_ = std::make_unique<rocksdb::WriteBatch>();
  if (appended_prefixes_.empty() || appended_prefixes_.back() != prefix) {
    if (std::find(appended_prefixes_.begin(), appended_prefixes_.end(), prefix) ==
        appended_prefixes_.end()) {
      appended_prefixes_.emplace_back(prefix);
    }
  }
  return storage::FromRocksDB(
      appended_->Put(keyspace_->store_->handle(Family::kKvData), ToSlice(key), ToSlice(value)));
}

namespace {

// Replays the puts of a batch of AppendElement writes (kv_data only) into `target`.
class CopyPuts final : public rocksdb::WriteBatch::Handler {
 public:
  CopyPuts(rocksdb::WriteBatchBase* target, rocksdb::ColumnFamilyHandle* family)
      : target_(target), family_(family) {}
  rocksdb::Status PutCF(uint32_t, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    return target_->Put(family_, key, value);
  }

 private:
  rocksdb::WriteBatchBase* target_;
  rocksdb::ColumnFamilyHandle* family_;
};

// The puts of a batch of AppendElement writes, as slices into it.
class CollectPuts final : public rocksdb::WriteBatch::Handler {
 public:
  rocksdb::Status PutCF(uint32_t, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    puts.emplace_back(key, value);
    return rocksdb::Status::OK();
  }
  std::vector<std::pair<rocksdb::Slice, rocksdb::Slice>> puts;
};

// Puts `puts` (in write order) in ascending key order, keeping the last write of each key; false
// when they already were (distinct and ascending). The memtable's skiplist inserts a key just
// after the one inserted before it without a search, but searches from its top for each key
// below that: LPUSH writes descending keys (one search per element in a large memtable).
bool SortPuts(std::vector<std::pair<rocksdb::Slice, rocksdb::Slice>>* puts) {
  bool ascending = true;
  bool descending = true;
  for (size_t i = 1; i < puts->size(); ++i) {
    const int order = (*puts)[i - 1].first.compare((*puts)[i].first);
    ascending = ascending && order < 0;
    descending = descending && order > 0;
  }
  if (ascending) return false;
  if (descending) {
    std::reverse(puts->begin(), puts->end());
    return true;
  }
  std::stable_sort(puts->begin(), puts->end(),
                   [](const auto& a, const auto& b) { return a.first.compare(b.first) < 0; });
  size_t kept = 0;
  for (size_t i = 0; i < puts->size(); ++i) {
    if (i + 1 < puts->size() && (*puts)[i].first == (*puts)[i + 1].first) continue;  // rewritten
    (*puts)[kept++] = (*puts)[i];
  }
  puts->resize(kept);
  return true;
}

}  // namespace

Status Op::IndexAppended(std::string_view prefix) {
  if (appended_prefixes_.empty() ||
      std::find(appended_prefixes_.begin(), appended_prefixes_.end(), prefix) ==
          appended_prefixes_.end()) {
    return Status::Ok();
  }
  appended_prefixes_.clear();
  CopyPuts copy(Writer(), keyspace_->store_->handle(Family::kKvData));
  const rocksdb::Status status = appended_->Iterate(&copy);
  appended_->Clear();
  return storage::FromRocksDB(status);
}

Status Op::DeleteElement(std::string_view prefix, std::string_view sub_key) {
  PLEXUS_RETURN_IF_ERROR(IndexAppended(prefix));
  std::string key(prefix);
  key.append(sub_key);
  ++changes_;
  NoteElementWrite(prefix, key);
  ForgetOrUpdate(key, std::nullopt);
  return WriteDelete(Family::kKvData, key);
}

void Op::NoteElementWrite(std::string_view prefix, const std::string& key) {
  size_t stripe = 0;
  if (!written_prefixes_.empty() && written_prefixes_.back().first == prefix) {
    stripe = written_prefixes_.back().second;
  } else {
    stripe = StripeOfPrefix(prefix);
    if (!WroteUnder(prefix)) written_prefixes_.emplace_back(prefix, stripe);
  }
  // An entry of `key` was added by an op that held its stripe before this one (whose unlock
  // made the count visible here): a count of 0 means that entry is gone too.
  if (keyspace_->read_ahead_counts_[stripe].load(std::memory_order_relaxed) != 0) {
    keyspace_->DropReadAhead(stripe, key);
  }
}

bool Op::WroteUnder(std::string_view prefix) const {
  for (const auto& [written, stripe] : written_prefixes_) {
    if (written == prefix) return true;
  }
  return false;
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
  PLEXUS_RETURN_IF_ERROR(IndexAppended(prefix));
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
  if (!batch_ && !has_dirty_metas_ && !appended_ && changes_ == 0) return Status::Ok();
  std::unique_ptr<rocksdb::WriteBatchWithIndex> batch = std::move(batch_);
  std::unique_ptr<rocksdb::WriteBatch> appended = std::move(appended_);
  appended_prefixes_.clear();
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
  // List pushes go after the indexed writes (they are newer), in key order (SortPuts); alone
  // and in order, their batch is the write.
  if (appended && appended->Count() > 0) {
    CollectPuts collect;
    PLEXUS_RETURN_IF_ERROR(storage::FromRocksDB(appended->Iterate(&collect)));
    if (!SortPuts(&collect.puts) && writes == &latest && latest.Count() == 0) {
      writes = appended.get();
    } else {
      for (const auto& [key, value] : collect.puts) {
        PLEXUS_RETURN_IF_ERROR(storage::FromRocksDB(writes->Put(families[1], key, value)));
      }
    }
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
