#include "summarize/merge.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "util/error.h"
#include "util/json_text.h"
#include "walk/shard.h"

namespace scale::summarize {
namespace {

std::string Name(const ShardFile& s) { return s.source.filename().string(); }
std::string Short(const std::string& id) { return id.substr(0, 12); }

// The first field in which two settings differ, for the message.
std::string Difference(const RunSettings& a, const RunSettings& b) {
  if (a.model != b.model) return "model " + JsonSafe(a.model) + " vs " + JsonSafe(b.model);
  if (a.lines != b.lines) return "--lines " + std::to_string(a.lines) + " vs " + std::to_string(b.lines);
  if (a.sampling != b.sampling) return "sampling " + a.sampling + " vs " + b.sampling;
  return "prompts " + Short(a.prompts) + " vs " + Short(b.prompts);
}

[[noreturn]] void Refuse(const std::string& why) { throw Error(kExitMergeRefused, "cannot merge: " + why); }

}  // namespace

void CheckMergeSettings(const std::vector<ShardFile>& shards, const RunSettings& merge_settings) {
  for (const ShardFile& s : shards) {
    if (!(s.settings == merge_settings)) {
      Refuse("the shards were made with other settings than this merge (" + Difference(s.settings, merge_settings) +
             "); pass the shards' model and flags");
    }
  }
}

Tree MergeShards(const std::vector<ShardFile>& shards, const RunSettings& merge_settings) {
  Tree tree = MergeShards(shards);
  CheckMergeSettings(shards, merge_settings);
  return tree;
}

Tree MergeShards(const std::vector<ShardFile>& shards) {
  if (shards.empty()) Refuse("no shard outputs given");
  const ShardFile& first = shards.front();
  std::map<uint32_t, const ShardFile*> by_index;
  for (const ShardFile& s : shards) {
    if (s.tree_id != first.tree_id || s.files_total != first.files_total) {
      Refuse(Name(s) + " and " + Name(first) + " are of different repositories or commits (tree " + Short(s.tree_id) +
             " vs " + Short(first.tree_id) + ")");
    }
    if (s.root_name != first.root_name) {
      Refuse(Name(s) + " and " + Name(first) + " name different roots (" + JsonSafe(s.root_name) + " vs " +
             JsonSafe(first.root_name) + ")");
    }
    if (s.count != first.count) {
      Refuse(Name(s) + " is shard " + std::to_string(s.index) + "/" + std::to_string(s.count) + " but " + Name(first) +
             " is of " + std::to_string(first.count) + " shards");
    }
    if (!(s.settings == first.settings) || s.chunk_lines != first.chunk_lines) {
      Refuse(Name(s) + " and " + Name(first) + " were made with different settings (" +
             (s.chunk_lines != first.chunk_lines ? "--chunk-lines " + std::to_string(s.chunk_lines) + " vs " +
                                                       std::to_string(first.chunk_lines)
                                                 : Difference(s.settings, first.settings)) +
             ")");
    }
    auto [it, fresh] = by_index.emplace(s.index, &s);
    if (!fresh) Refuse("shard " + std::to_string(s.index) + "/" + std::to_string(s.count) + " given twice (" + Name(*it->second) + " and " + Name(s) + ")");
  }
  for (uint32_t i = 1; i <= first.count; ++i) {
    if (!by_index.count(i)) {
      Refuse("shard " + std::to_string(i) + "/" + std::to_string(first.count) + " is missing (got " +
             std::to_string(shards.size()) + " of " + std::to_string(first.count) + ")");
    }
  }

  std::vector<FileNodes> files;
  std::map<std::string, const ShardFile*> owner;
  for (const auto& [index, s] : by_index) {
    for (const FileNodes& f : s->files) {
      auto [it, fresh] = owner.emplace(f.file.path, s);
      if (!fresh) Refuse(JsonSafe(f.file.path) + " is in both " + Name(*it->second) + " and " + Name(*s));
    }
  }
  for (const auto& [index, s] : by_index) {
    for (const FileNodes& f : s->files) {
      if (walk::ShardOf(f.file.path, s->count) != s->index) {
        Refuse(JsonSafe(f.file.path) + " in " + Name(*s) + " belongs to shard " +
               std::to_string(walk::ShardOf(f.file.path, s->count)) + "/" + std::to_string(s->count));
      }
      files.push_back(f);
    }
  }
  if (files.size() != first.files_total) {
    Refuse("the shards hold " + std::to_string(files.size()) + " files but the repository has " +
           std::to_string(first.files_total) + ": a shard output is incomplete or altered");
  }
  if (TreeId(files) != first.tree_id) {
    Refuse("the shards' files are not the repository they walked (other paths or contents): a shard output is "
           "incomplete or altered");
  }
  std::sort(files.begin(), files.end(), [](const FileNodes& a, const FileNodes& b) { return a.file.path < b.file.path; });
  return BuildTreeFromFiles(first.root_name, std::move(files));
}

}  // namespace scale::summarize
