#include "engine/prefix_cache.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "llama.h"
#include "util/fs.h"
#include "util/log.h"

namespace scale::engine {
namespace fs = std::filesystem;
namespace {

// Our own container around llama.cpp's sequence state (instead of llama_state_seq_save_file) so
// that a file is written atomically and carries a checksum: llama.cpp cannot tell a flipped byte
// in the tensor data from a real value, and would happily load a half-written file's prefix.
constexpr char kMagic[4] = {'S', 'C', 'P', 'X'};
constexpr uint32_t kVersion = 1;

std::string Hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

uint64_t HashTokens(const std::vector<llama_token>& tokens) {
  return XXH3_64bits(tokens.data(), tokens.size() * sizeof(llama_token));
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

}  // namespace

PrefixCache::PrefixCache(fs::path dir, std::string model_key, int max_files)
    : model_hash_(XXH3_64bits(model_key.data(), model_key.size())), max_files_(std::max(1, max_files)) {
  model_dir_ = dir / Hex(model_hash_);
}

fs::path PrefixCache::FileFor(const std::vector<llama_token>& tokens) const {
  return model_dir_ / (Hex(HashTokens(tokens)) + ".kv");
}

bool PrefixCache::LoadFile(llama_context* ctx, const fs::path& path, int seq, std::vector<llama_token>* tokens) {
  std::string data;
  try {
    data = ReadFile(path, 1ull << 34);
  } catch (const std::exception& e) {
    LogVerbose(std::string("prefix cache: ") + e.what());
    return false;
  }
  std::string_view in(data);
  char magic[4];
  uint32_t version = 0, n_tokens = 0;
  uint64_t model_hash = 0, payload_size = 0, payload_hash = 0;
  if (!Get(in, &magic) || std::memcmp(magic, kMagic, 4) != 0 || !Get(in, &version) || version != kVersion ||
      !Get(in, &model_hash) || model_hash != model_hash_ || !Get(in, &n_tokens) || n_tokens == 0 ||
      in.size() < size_t(n_tokens) * sizeof(llama_token)) {
    return false;
  }
  tokens->resize(n_tokens);
  std::memcpy(tokens->data(), in.data(), size_t(n_tokens) * sizeof(llama_token));
  in.remove_prefix(size_t(n_tokens) * sizeof(llama_token));
  if (path.filename() != FileFor(*tokens).filename()) return false;  // renamed or tokens damaged
  if (!Get(in, &payload_size) || !Get(in, &payload_hash) || in.size() != payload_size ||
      XXH3_64bits(in.data(), in.size()) != payload_hash) {
    return false;
  }
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
  if (seqs.empty() || !fs::is_directory(model_dir_, ec)) return loaded;
  // Most recently used first; the name breaks ties so the choice never depends on listing order.
  std::vector<std::pair<fs::file_time_type, fs::path>> files;
  for (const auto& entry : fs::directory_iterator(model_dir_, ec)) {
    if (entry.path().extension() == ".kv") files.emplace_back(entry.last_write_time(ec), entry.path());
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  size_t next = 0;
  for (const auto& [time, path] : files) {
    if (next == seqs.size()) break;
    if (LoadFile(ctx, path, seqs[next], &loaded[next])) {
      fs::last_write_time(path, fs::file_time_type::clock::now(), ec);  // LRU: mark as used
      ++next;
    } else {
      LogVerbose("prefix cache: ignoring invalid file " + path.string() + " (deleted; rebuilt when next used)");
      loaded[next].clear();
      fs::remove(path, ec);
    }
  }
  return loaded;
}

bool PrefixCache::Save(llama_context* ctx, int seq, const std::vector<llama_token>& tokens) {
  if (tokens.empty()) return false;
  fs::path path = FileFor(tokens);
  std::error_code ec;
  if (fs::exists(path, ec)) return false;
  size_t size = llama_state_seq_get_size(ctx, seq);
  if (size == 0) return false;
  std::string payload(size, '\0');
  size = llama_state_seq_get_data(ctx, reinterpret_cast<uint8_t*>(payload.data()), payload.size(), seq);
  if (size == 0) return false;
  payload.resize(size);
  std::string out;
  out.reserve(payload.size() + tokens.size() * sizeof(llama_token) + 64);
  out.append(kMagic, 4);
  Put(out, kVersion);
  Put(out, model_hash_);
  Put(out, static_cast<uint32_t>(tokens.size()));
  out.append(reinterpret_cast<const char*>(tokens.data()), tokens.size() * sizeof(llama_token));
  Put(out, static_cast<uint64_t>(payload.size()));
  Put(out, static_cast<uint64_t>(XXH3_64bits(payload.data(), payload.size())));
  out += payload;
  try {
    fs::create_directories(model_dir_);
    WriteFileAtomic(path, out);
  } catch (const std::exception& e) {
    LogVerbose(std::string("prefix cache: not saved: ") + e.what());
    return false;
  }
  Trim();
  return true;
}

void PrefixCache::Trim() {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> files;
  for (const auto& entry : fs::directory_iterator(model_dir_, ec)) {
    if (entry.path().extension() == ".kv") files.emplace_back(entry.last_write_time(ec), entry.path());
  }
  if (files.size() <= static_cast<size_t>(max_files_)) return;
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (size_t i = max_files_; i < files.size(); ++i) fs::remove(files[i].second, ec);
}

}  // namespace scale::engine
