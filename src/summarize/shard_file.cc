#include "summarize/shard_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "util/error.h"
#include "util/fs.h"
#include "util/hex.h"
#include "util/json_text.h"
#include "util/sha256.h"

namespace scale::summarize {
namespace {

using Json = nlohmann::ordered_json;
constexpr const char* kFormat = "scale-summarize-shard-1";

// Length-prefixed, so ("ab","c") and ("a","bc") hash differently.
void Field(Sha256& h, std::string_view value) {
  h.Update(std::to_string(value.size()) + ":");
  h.Update(value);
}

// Paths and model text are bytes; JSON strings are UTF-8. Keep them exact either way.
void PutText(Json& j, const std::string& key, const std::string& value) {
  if (IsValidUtf8(value)) j[key] = value;
  else j[key + "_hex"] = HexEncode(value);
}

struct Bad {
  std::string what;
};

std::string GetText(const Json& j, const std::string& key) {
  if (j.contains(key + "_hex")) {
    if (!j[key + "_hex"].is_string()) throw Bad{key + "_hex is not a string"};
    if (auto bytes = HexDecode(j[key + "_hex"].get<std::string>())) return *bytes;
    throw Bad{key + "_hex is not hex"};
  }
  if (!j.contains(key)) return "";
  if (!j[key].is_string()) throw Bad{key + " is not a string"};
  return j[key].get<std::string>();
}

template <typename T>
T Get(const Json& j, const char* key) {
  if (!j.contains(key)) throw Bad{std::string("no ") + key};
  try {
    return j[key].get<T>();
  } catch (const nlohmann::json::exception&) {
    throw Bad{std::string(key) + " has the wrong type"};
  }
}

Json NodeJson(const Node& node, bool chunk) {
  Json j;
  if (!chunk) PutText(j, "path", node.path);
  j["start_line"] = node.start_line;
  j["end_line"] = node.end_line;
  if (chunk) j["language"] = node.language;
  PutText(j, "summary", node.summary);
  if (!node.error.empty()) PutText(j, "error", node.error);
  if (!chunk) j["reused"] = node.reused;
  j["cached"] = node.cached;
  j["prompt_tokens"] = node.prompt_tokens;
  j["completion_tokens"] = node.completion_tokens;
  return j;
}

Node NodeFromJson(const Json& j, NodeKind kind, const std::string& path) {
  if (!j.is_object()) throw Bad{"a file or chunk entry is not an object"};
  Node node;
  node.kind = kind;
  node.path = kind == NodeKind::kChunk ? path : GetText(j, "path");
  node.start_line = Get<int>(j, "start_line");
  node.end_line = Get<int>(j, "end_line");
  if (kind == NodeKind::kChunk) node.language = Get<std::string>(j, "language");
  node.summary = GetText(j, "summary");
  node.error = GetText(j, "error");
  if (kind == NodeKind::kFile) node.reused = Get<bool>(j, "reused");
  node.cached = Get<bool>(j, "cached");
  node.prompt_tokens = Get<int>(j, "prompt_tokens");
  node.completion_tokens = Get<int>(j, "completion_tokens");
  node.preset = true;
  return node;
}

}  // namespace

RunSettings MakeRunSettings(const std::string& fingerprint, const PromptSet& prompts, const SummarizeOptions& options) {
  RunSettings s;
  s.model = fingerprint;
  s.lines = options.lines;
  const engine::SamplingParams& p = options.sampling;
  char text[200];
  std::snprintf(text, sizeof text, "t=%g p=%g k=%d m=%g r=%g n=%d s=%u max=%d", p.temperature, p.top_p, p.top_k, p.min_p,
                p.repeat_penalty, p.repeat_last_n, p.seed, p.max_tokens);
  s.sampling = text;
  Sha256 h;
  for (const PromptTemplate* t : {&prompts.chunk, &prompts.file, &prompts.folder}) {
    Field(h, t->system);
    Field(h, t->user);
  }
  s.prompts = h.HexDigest();
  return s;
}

std::string TreeId(const std::vector<FileNodes>& files) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const FileNodes& f : files) entries.emplace_back(f.file.path, f.sha256);
  std::sort(entries.begin(), entries.end());
  Sha256 h;
  Field(h, kFormat);
  for (const auto& [path, sha] : entries) {
    Field(h, path);
    Field(h, sha);
  }
  return h.HexDigest();
}

std::string ShardFileText(const ShardFile& shard) {
  Json j;
  j["format"] = kFormat;
  j["shard"] = std::to_string(shard.index) + "/" + std::to_string(shard.count);
  PutText(j, "root_name", shard.root_name);
  j["tree_id"] = shard.tree_id;
  j["files_total"] = shard.files_total;
  j["chunk_lines"] = shard.chunk_lines;
  Json settings;
  PutText(settings, "model", shard.settings.model);
  settings["lines"] = shard.settings.lines;
  settings["sampling"] = shard.settings.sampling;
  settings["prompts"] = shard.settings.prompts;
  j["settings"] = settings;
  Json files = Json::array();
  for (const FileNodes& f : shard.files) {
    Json file = NodeJson(f.file, false);
    file["sha256"] = f.sha256;
    Json chunks = Json::array();
    for (const Node& c : f.chunks) chunks.push_back(NodeJson(c, true));
    file["chunks"] = chunks;
    files.push_back(file);
  }
  j["files"] = files;
  return j.dump(-1) + "\n";
}

ShardFile ReadShardFile(const std::filesystem::path& path) {
  const std::string text = ReadFile(path);
  const std::string name = path.string();
  auto refuse = [&](const std::string& why) {
    return Error(kExitMergeRefused, name + ": not a scale summarize shard output (" + why + ")");
  };
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw refuse("not a JSON document");
  if (!j.contains("format") || !j["format"].is_string()) throw refuse("no format field");
  if (j["format"] != kFormat) {
    throw Error(kExitMergeRefused, name + ": shard format " + j["format"].get<std::string>() + ", this scale reads " + kFormat);
  }
  ShardFile shard;
  shard.source = path;
  try {
    const std::string text_shard = Get<std::string>(j, "shard");
    size_t slash = text_shard.find('/');
    if (slash == std::string::npos) throw Bad{"shard is not I/N"};
    shard.index = static_cast<uint32_t>(std::stoul(text_shard.substr(0, slash)));
    shard.count = static_cast<uint32_t>(std::stoul(text_shard.substr(slash + 1)));
    if (shard.count == 0 || shard.index == 0 || shard.index > shard.count) throw Bad{"shard is not I/N"};
    shard.root_name = GetText(j, "root_name");
    shard.tree_id = Get<std::string>(j, "tree_id");
    shard.files_total = Get<size_t>(j, "files_total");
    shard.chunk_lines = Get<int>(j, "chunk_lines");
    if (!j.contains("settings") || !j["settings"].is_object()) throw Bad{"no settings"};
    const Json& s = j["settings"];
    shard.settings.model = GetText(s, "model");
    shard.settings.lines = Get<int>(s, "lines");
    shard.settings.sampling = Get<std::string>(s, "sampling");
    shard.settings.prompts = Get<std::string>(s, "prompts");
    if (!j.contains("files") || !j["files"].is_array()) throw Bad{"no files"};
    for (const Json& f : j["files"]) {
      FileNodes file;
      file.file = NodeFromJson(f, NodeKind::kFile, "");
      file.sha256 = Get<std::string>(f, "sha256");
      if (!f.contains("chunks") || !f["chunks"].is_array()) throw Bad{"a file without chunks"};
      for (const Json& c : f["chunks"]) file.chunks.push_back(NodeFromJson(c, NodeKind::kChunk, file.file.path));
      shard.files.push_back(std::move(file));
    }
  } catch (const Bad& bad) {
    throw refuse(bad.what);
  } catch (const std::exception& e) {  // stoul on junk
    throw refuse("shard is not I/N");
  }
  return shard;
}

}  // namespace scale::summarize
