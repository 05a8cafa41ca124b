#include "train/checkpoint.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <regex>

#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/sha256.h"

namespace scale::train {
namespace {

namespace fs = std::filesystem;

// Values are stored as the host's F32 bytes; every platform scale builds on is little-endian.
static_assert(std::endian::native == std::endian::little, "checkpoints are little-endian");

constexpr char kMagic[] = "SCLTRN01";
constexpr size_t kMagicSize = 8;
constexpr size_t kDigestSize = 64;                // SHA-256 as hex
constexpr uint64_t kMaxCheckpointBytes = 64ull << 30;

void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetU64(const std::string& in, size_t at) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  return v;
}

void PutFloats(std::string* out, const std::vector<float>& v) {
  out->append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
}

std::vector<float> GetFloats(const std::string& in, size_t at, size_t n) {
  std::vector<float> v(n);
  std::memcpy(v.data(), in.data() + at, n * sizeof(float));
  return v;
}

int StepOfName(const std::string& name) {
  static const std::regex re("checkpoint-([0-9]{6,9})\\.state");
  std::smatch m;
  return std::regex_match(name, m, re) ? std::stoi(m[1].str()) : -1;
}

}  // namespace

std::string CheckpointStateName(int step) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "checkpoint-%06d.state", step);
  return buf;
}

std::string CheckpointAdapterName(int step) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "checkpoint-%06d.gguf", step);
  return buf;
}

void WriteCheckpoint(const fs::path& file, const Checkpoint& c) {
  const size_t n = c.params.size();
  if (c.trainer.m.size() != n || c.trainer.v.size() != n) throw Error(kExitIo, "checkpoint: moments and values differ in size");
  const nlohmann::json header = {
      {"step", c.trainer.steps},
      {"values", n},
      {"dropout_rng", c.trainer.rng},
      {"data", {{"epoch", c.data.epoch}, {"next", c.data.next}, {"order", c.data.order}, {"rng", c.data.rng}}},
      {"run", c.run}};
  const std::string json = header.dump();
  std::string bytes(kMagic, kMagicSize);
  PutU64(&bytes, json.size());
  bytes += json;
  bytes.reserve(bytes.size() + 3 * n * sizeof(float) + kDigestSize);
  PutFloats(&bytes, c.params);
  PutFloats(&bytes, c.trainer.m);
  PutFloats(&bytes, c.trainer.v);
  bytes += Sha256Hex(bytes);
  WriteFileAtomic(file, bytes);
}

std::optional<Checkpoint> ReadCheckpoint(const fs::path& file, std::string* why) {
  std::string bytes;
  try {
    bytes = ReadFile(file, kMaxCheckpointBytes);
  } catch (const Error& e) {
    *why = e.what();
    return std::nullopt;
  }
  if (bytes.size() < kMagicSize + 8 + kDigestSize || bytes.compare(0, kMagicSize, kMagic, kMagicSize) != 0) {
    *why = "not a scale training checkpoint (or torn)";
    return std::nullopt;
  }
  const std::string_view body(bytes.data(), bytes.size() - kDigestSize);
  if (Sha256Hex(body) != std::string_view(bytes).substr(body.size())) {
    *why = "its checksum does not match (torn or edited)";
    return std::nullopt;
  }
  const uint64_t json_size = GetU64(bytes, kMagicSize);
  const size_t values_at = kMagicSize + 8 + json_size;
  if (json_size > body.size() || values_at > body.size()) {
    *why = "its header runs past its end";
    return std::nullopt;
  }
  try {
    const nlohmann::json h = nlohmann::json::parse(body.substr(kMagicSize + 8, json_size));
    Checkpoint c;
    const size_t n = h.at("values").get<size_t>();
    if (body.size() - values_at != 3 * n * sizeof(float)) {
      *why = "its size does not match its header";
      return std::nullopt;
    }
    c.trainer.steps = h.at("step").get<int>();
    c.trainer.rng = h.at("dropout_rng").get<std::string>();
    c.params = GetFloats(bytes, values_at, n);
    c.trainer.m = GetFloats(bytes, values_at + n * sizeof(float), n);
    c.trainer.v = GetFloats(bytes, values_at + 2 * n * sizeof(float), n);
    const nlohmann::json& d = h.at("data");
    c.data.epoch = d.at("epoch").get<int64_t>();
    c.data.next = d.at("next").get<size_t>();
    c.data.order = d.at("order").get<std::vector<size_t>>();
    c.data.rng = d.at("rng").get<std::string>();
    c.run = h.at("run");
    return c;
  } catch (const nlohmann::json::exception& e) {
    *why = std::string("its header is not what scale writes: ") + e.what();
    return std::nullopt;
  }
}

std::optional<Checkpoint> LatestCheckpoint(const fs::path& run) {
  std::vector<std::pair<int, fs::path>> found;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(run, ec)) {
    const int step = StepOfName(e.path().filename().string());
    if (step >= 0 && e.is_regular_file(ec) && !e.is_symlink(ec)) found.emplace_back(step, e.path());
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [step, path] : found) {
    std::string why;
    std::optional<Checkpoint> c = ReadCheckpoint(path, &why);
    if (c && c->trainer.steps != step) why = "it holds step " + std::to_string(c->trainer.steps) + ", not its name's";
    if (c && why.empty()) return c;
    LogWarning("skipping " + path.filename().string() + ": " + why);
  }
  return std::nullopt;
}

void RemoveCheckpointStates(const fs::path& run) {
  std::error_code ec;
  std::vector<fs::path> names;
  for (const fs::directory_entry& e : fs::directory_iterator(run, ec)) {
    if (StepOfName(e.path().filename().string()) >= 0) names.push_back(e.path());
  }
  for (const fs::path& p : names) {
    if (!fs::remove(p, ec) && ec) throw Error(kExitIo, "cannot remove " + p.string() + ": " + ec.message());
  }
}

}  // namespace scale::train
