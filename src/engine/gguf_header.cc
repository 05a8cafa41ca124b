#include "engine/gguf_header.h"

#include <algorithm>
#include <cstdio>
#include <regex>

#include "ggml.h"
#include "gguf.h"
#include "engine/llama_log.h"
#include "engine/model_facts.h"
#include "util/log.h"
#include "util/error.h"

namespace scale::engine {
namespace fs = std::filesystem;

namespace {

struct GgufHandle {
  gguf_context* ctx = nullptr;
  ~GgufHandle() {
    if (ctx) gguf_free(ctx);
  }
};

gguf_context* Open(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw Error(kExitModel, "model file not found: " + path.string());
  if (fs::is_directory(path, ec)) throw Error(kExitModel, path.string() + " is a directory, not a GGUF file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error(kExitModel, "cannot read " + path.string());
  char magic[4] = {0};
  size_t n = std::fread(magic, 1, 4, f);
  std::fclose(f);
  if (n != 4 || std::string(magic, 4) != "GGUF") throw Error(kExitModel, path.string() + " is not a GGUF file");
  // ggml reports header problems through its logger: keep them off the terminal (unless -v) and
  // quote the first one in our own message.
  InstallLlamaLogFilter(Verbose());
  ClearLlamaErrors();
  gguf_init_params params{/*no_alloc=*/true, /*ctx=*/nullptr};
  gguf_context* ctx = gguf_init_from_file(path.c_str(), params);
  if (!ctx) {
    std::string why = LlamaErrors();
    throw Error(kExitModel, path.string() + " is a damaged or truncated GGUF file" + (why.empty() ? "" : " (" + why.substr(0, 120) + ")"));
  }
  return ctx;
}

}  // namespace

std::string FileTypeName(int t) {
  static const std::map<int, const char*> kNames = {
      {0, "F32"},      {1, "F16"},      {2, "Q4_0"},     {3, "Q4_1"},     {7, "Q8_0"},     {8, "Q5_0"},
      {9, "Q5_1"},     {10, "Q2_K"},    {11, "Q3_K_S"},  {12, "Q3_K_M"},  {13, "Q3_K_L"},  {14, "Q4_K_S"},
      {15, "Q4_K_M"},  {16, "Q5_K_S"},  {17, "Q5_K_M"},  {18, "Q6_K"},    {19, "IQ2_XXS"}, {20, "IQ2_XS"},
      {21, "Q2_K_S"},  {22, "IQ3_XS"},  {23, "IQ3_XXS"}, {24, "IQ1_S"},   {25, "IQ4_NL"},  {26, "IQ3_S"},
      {27, "IQ3_M"},   {28, "IQ2_S"},   {29, "IQ2_M"},   {30, "IQ4_XS"},  {31, "IQ1_M"},   {32, "BF16"},
      {36, "TQ1_0"},   {37, "TQ2_0"},   {38, "MXFP4_MOE"}, {39, "NVFP4"}, {40, "Q1_0"},    {41, "Q2_0"}};
  auto it = kNames.find(t);
  return it == kNames.end() ? "" : it->second;
}

bool ParseSplitName(const std::string& filename, std::string* stem, int* shard, int* count) {
  static const std::regex re(R"((.*)-(\d{5})-of-(\d{5})\.gguf)", std::regex::icase);
  std::smatch m;
  if (!std::regex_match(filename, m, re)) return false;
  if (stem) *stem = m[1].str();
  if (shard) *shard = std::stoi(m[2].str());
  if (count) *count = std::stoi(m[3].str());
  return true;
}

std::string FormatParams(uint64_t n) {
  char buf[32];
  if (n >= 1000000000ull) {
    std::snprintf(buf, sizeof buf, "%.2fB", double(n) / 1e9);
  } else if (n >= 1000000ull) {
    std::snprintf(buf, sizeof buf, "%.0fM", double(n) / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.0fK", double(n) / 1e3);
  }
  return buf;
}

uint64_t GgufHeader::KvBytesPerToken() const { return KvCacheBytes(shape, 1); }

GgufHeader ReadGgufHeader(const fs::path& path) {
  GgufHeader info;
  info.path = path;
  std::string stem;
  int shard = 0, count = 0;
  if (ParseSplitName(path.filename().string(), &stem, &shard, &count) && count > 1) {
    for (int i = 1; i <= count; ++i) {
      char name[64];
      std::snprintf(name, sizeof name, "-%05d-of-%05d.gguf", i, count);
      info.shards.push_back(path.parent_path() / (stem + name));
    }
  } else {
    info.shards.push_back(path);
  }

  GgufHandle first;
  first.ctx = Open(info.shards[0]);
  const gguf_context* ctx = first.ctx;
  info.architecture = GgufString(ctx, "general.architecture");
  info.name = GgufString(ctx, "general.name");
  if (info.name.empty()) info.name = path.filename().string();
  info.type = GgufString(ctx, "general.type");
  const std::string a = info.architecture + ".";
  info.shape = ReadModelShape(ctx, info.architecture, info.shards[0].string());
  info.context_length = uint32_t(info.shape.n_ctx_train);
  info.n_layer = uint32_t(info.shape.n_layer);
  info.n_embd = uint32_t(info.shape.n_embd);
  info.n_ff = uint32_t(info.shape.n_ff);
  info.n_head = uint32_t(info.shape.n_head);
  info.n_head_kv = uint32_t(info.shape.n_head_kv);
  info.head_dim = uint32_t(info.shape.head_dim_k);
  info.vocab_size = uint32_t(info.shape.vocab_size);
  info.rope_freq_base = float(GgufFloat(ctx, a + "rope.freq_base"));
  info.rope_scaling = GgufString(ctx, a + "rope.scaling.type");
  info.rope_scaling_factor = float(GgufFloat(ctx, a + "rope.scaling.factor"));
  info.rope_orig_ctx = uint32_t(std::max<int64_t>(0, GgufInt(ctx, a + "rope.scaling.original_context_length", 0)));
  info.chat_template = GgufString(ctx, "tokenizer.chat_template");
  info.tokenizer = GgufString(ctx, "tokenizer.ggml.model");
  info.tokenizer_pre = GgufString(ctx, "tokenizer.ggml.pre");
  int64_t ftype = GgufInt(ctx, "general.file_type", -1);
  if (ftype >= 0) info.quant = FileTypeName(int(ftype));

  std::map<std::string, uint64_t> bytes_by_type;
  std::error_code ec;
  for (size_t s = 0; s < info.shards.size(); ++s) {
    GgufHandle other;
    if (s > 0) {
      if (!fs::exists(info.shards[s], ec)) {
        throw Error(kExitModel, "split model " + path.filename().string() + " is missing its shard " +
                                    info.shards[s].filename().string());
      }
      other.ctx = Open(info.shards[s]);
    }
    const gguf_context* c = s == 0 ? ctx : other.ctx;
    info.file_bytes += fs::file_size(info.shards[s], ec);
    int64_t n = gguf_get_n_tensors(c);
    info.n_tensors += n;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t* ne = gguf_get_tensor_ne(c, i);
      uint64_t elems = 1;
      for (int d = 0; d < GGML_MAX_DIMS; ++d) elems *= uint64_t(ne[d]);
      info.n_params += elems;
      std::string t = ggml_type_name(gguf_get_tensor_type(c, i));
      ++info.tensor_types[t];
      bytes_by_type[t] += gguf_get_tensor_size(c, i);
      info.tensor_bytes += gguf_get_tensor_size(c, i);
    }
  }
  if (info.quant.empty() && !bytes_by_type.empty()) {
    auto best = bytes_by_type.begin();
    for (auto it = bytes_by_type.begin(); it != bytes_by_type.end(); ++it) {
      if (it->second > best->second) best = it;
    }
    info.quant = best->first;
    for (auto& ch : info.quant) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  }
  return info;
}

nlohmann::json GgufHeader::ToJson() const {
  nlohmann::json shard_list = nlohmann::json::array();
  for (const auto& s : shards) shard_list.push_back(s.string());
  return {
      {"path", path.string()},
      {"shards", shard_list},
      {"file_bytes", file_bytes},
      {"name", name},
      {"type", type.empty() ? "model" : type},
      {"architecture", architecture},
      {"quant", quant},
      {"tensor_types", tensor_types},
      {"n_params", n_params},
      {"n_tensors", n_tensors},
      {"context_length", context_length},
      {"n_layer", n_layer},
      {"n_embd", n_embd},
      {"n_ff", n_ff},
      {"n_head", n_head},
      {"n_head_kv", n_head_kv},
      {"head_dim", head_dim},
      {"vocab_size", vocab_size},
      {"rope", {{"freq_base", rope_freq_base}, {"scaling", rope_scaling.empty() ? "none" : rope_scaling},
                {"factor", rope_scaling_factor}, {"original_context", rope_orig_ctx}}},
      {"chat_template", !chat_template.empty()},
      {"tokenizer", tokenizer},
      {"tokenizer_pre", tokenizer_pre},
      {"kv_bytes_per_token_f16", KvBytesPerToken()},
  };
}

}  // namespace scale::engine
