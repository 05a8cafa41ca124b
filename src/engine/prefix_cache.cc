#include "engine/prefix_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <system_error>
#include <utility>

#include "llama.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/plain_file.h"
#include "util/sha256.h"

namespace scale::engine {
namespace fs = std::filesystem;
namespace {

// Our own container around llama.cpp's sequence state (instead of llama_state_seq_save_file) so
// that a file is written atomically and carries a hash: llama.cpp cannot tell a flipped byte in
// the tensor data from a real value, and would happily load a half-written file's prefix.
//   "SCPX" | u32 version | model id (64 hex) | u32 n | n tokens | u64 size | state | SHA-256 (64 hex)
// The final SHA-256 covers every byte before it, so the model id and the tokens are bound to the
// state: no part can be swapped or damaged without the file being rejected.
constexpr char kMagic[4] = {'S', 'C', 'P', 'X'};
constexpr uint32_t kVersion = 2;
constexpr size_t kHexSize = 64;
constexpr uint64_t kMaxFileBytes = 1ull << 34;  // a state larger than 16 GiB is not ours

std::string HashTokens(const std::vector<llama_token>& tokens) {
  return Sha256Hex(std::string_view(reinterpret_cast<const char*>(tokens.data()), tokens.size() * sizeof(llama_token)));
}

template <typename T>
void Put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
bool Get(std::string_view& in, T* v) {
  if (in.size() < sizeof *v) return false;
  std::memcpy(v, in.data(), sizeof *v);
  in.remove_prefix(sizeof *v);
  return true;
}

std::string ModelId(const std::string& model_key) {
  Sha256 h;
  h.Update("scale prefix cache model id v3\n");
  h.Update(model_key);
  return h.HexDigest();
}

// Deletes a rejected entry: a symlink goes, never what it points to.
void Discard(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

// (mtime in ns, path) of every *.kv in `dir`.
std::vector<std::pair<int64_t, fs::path>> KvFilesNewestFirst(const fs::path& dir) {
  std::error_code ec;
  std::vector<std::pair<int64_t, fs::path>> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".kv") continue;
    // A symlink's own time (not its target's): it is discarded unread anyway.
    struct stat st;
    if (lstat(entry.path().c_str(), &st) != 0) continue;
    files.emplace_back(int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec, entry.path());
  }
  // Most recently used first; the name breaks ties so the choice never depends on listing order.
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  return files;
}

}  // namespace

PrefixCache::PrefixCache(fs::path dir, std::string model_key, int max_files)
    : model_id_(ModelId(model_key)), max_files_(std::max(1, max_files)) {
  model_dir_ = dir / model_id_;
}

fs::path PrefixCache::FileFor(const std::vector<llama_token>& tokens) const {
  return model_dir_ / (HashTokens(tokens) + ".kv");
}

bool PrefixCache::LoadFile(llama_context* ctx, const fs::path& path, int seq, std::vector<llama_token>* tokens) {
  std::string data;
  if (!ReadPlainFile(path, kMaxFileBytes, &data) || data.size() < kHexSize) return false;
  std::string_view all(data);
  std::string_view body = all.substr(0, all.size() - kHexSize);
  if (Sha256Hex(body) != all.substr(body.size())) return false;  // damaged, truncated, or edited
  std::string_view in = body;
  char magic[4];
  uint32_t version = 0, n_tokens = 0;
  uint64_t payload_size = 0;
  if (!Get(in, &magic) || std::memcmp(magic, kMagic, 4) != 0 || !Get(in, &version) || version != kVersion ||
      in.size() < kHexSize || in.substr(0, kHexSize) != model_id_) {
    return false;
  }
  in.remove_prefix(kHexSize);
  if (!Get(in, &n_tokens) || n_tokens == 0 || in.size() / sizeof(llama_token) < n_tokens) return false;
  tokens->resize(n_tokens);
  std::memcpy(tokens->data(), in.data(), size_t(n_tokens) * sizeof(llama_token));
  in.remove_prefix(size_t(n_tokens) * sizeof(llama_token));
  if (path.filename() != FileFor(*tokens).filename()) return false;  // renamed: not the prefix its name says
  if (!Get(in, &payload_size) || in.size() != payload_size || payload_size == 0) return false;
  llama_memory_t mem = llama_get_memory(ctx);
  llama_memory_seq_rm(mem, seq, -1, -1);
  size_t read = llama_state_seq_set_data(ctx, reinterpret_cast<const uint8_t*>(in.data()), in.size(), seq);
  if (read == 0 || llama_memory_seq_pos_max(mem, seq) != llama_pos(n_tokens) - 1) {
    llama_memory_seq_rm(mem, seq, -1, -1);
    return false;
  }
  return true;
}

std::vector<std::vector<llama_token>> PrefixCache::Load(llama_context* ctx, const std::vector<int>& seqs) {
  std::vector<std::vector<llama_token>> loaded(seqs.size());
  std::error_code ec;
  if (seqs.empty() || model_id_.empty() || !fs::is_directory(fs::symlink_status(model_dir_, ec))) return loaded;
  size_t next = 0;
  for (const auto& [time, path] : KvFilesNewestFirst(model_dir_)) {
    if (next == seqs.size()) break;
    if (LoadFile(ctx, path, seqs[next], &loaded[next])) {
      fs::last_write_time(path, fs::file_time_type::clock::now(), ec);  // LRU: mark as used
      ++next;
    } else {
      LogVerbose("prefix cache: ignoring invalid file " + path.string() + " (deleted; rebuilt when next used)");
      loaded[next].clear();
      Discard(path);
    }
  }
  return loaded;
}

bool PrefixCache::Save(llama_context* ctx, int seq, const std::vector<llama_token>& tokens) {
  if (tokens.empty() || model_id_.empty()) return false;
  fs::path path = FileFor(tokens);
  std::error_code ec;
  fs::file_status existing = fs::symlink_status(path, ec);
  if (fs::is_regular_file(existing)) return false;
  if (fs::exists(existing)) Discard(path);  // a symlink or other oddity: replaced by a real file
  size_t size = llama_state_seq_get_size(ctx, seq);
  if (size == 0) return false;
  std::string payload(size, '\0');
  size = llama_state_seq_get_data(ctx, reinterpret_cast<uint8_t*>(payload.data()), payload.size(), seq);
  if (size == 0) return false;
  payload.resize(size);
  std::string out;
  out.reserve(payload.size() + tokens.size() * sizeof(llama_token) + 2 * kHexSize + 32);
  out.append(kMagic, 4);
  Put(out, kVersion);
  out += model_id_;
  Put(out, static_cast<uint32_t>(tokens.size()));
  out.append(reinterpret_cast<const char*>(tokens.data()), tokens.size() * sizeof(llama_token));
  Put(out, static_cast<uint64_t>(payload.size()));
  out += payload;
  out += Sha256Hex(out);
  try {
    fs::create_directories(model_dir_);
    WriteFileAtomic(path, out, 0600);
  } catch (const std::exception& e) {
    LogVerbose(std::string("prefix cache: not saved: ") + e.what());
    return false;
  }
  Trim();
  return true;
}

void PrefixCache::Trim() {
  std::vector<std::pair<int64_t, fs::path>> files = KvFilesNewestFirst(model_dir_);
  for (size_t i = static_cast<size_t>(max_files_); i < files.size(); ++i) Discard(files[i].second);
}

}  // namespace scale::engine
