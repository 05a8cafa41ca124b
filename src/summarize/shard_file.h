// What a `scale summarize --shard I/N` run leaves for `--merge`: one JSON document with the
// repository's identity (a hash of every walked path and its content), the settings that decide
// answers, and this shard's files with their chunk and file summaries, byte-exact (text that is
// not UTF-8 is stored as hex), so a merge rebuilds exactly the prompts an unsharded run sends.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "summarize/prompts.h"
#include "summarize/summarize.h"
#include "summarize/tree.h"
#include "util/error.h"

namespace scale::summarize {

// Exit code of a refused merge (shards of different repositories or settings, overlapping or
// missing shards, a file that is not a shard output): scale::kExitMergeRefused (util/error.h).

// Everything besides the files' content that decides a summary's text. A merge needs the
// shards' values to equal its own, field by field.
struct RunSettings {
  std::string model;     // Llm::Fingerprint()
  int lines = 2;
  std::string sampling;  // the sampling parameters, as text
  std::string prompts;   // SHA-256 of the three prompt templates
  bool operator==(const RunSettings&) const = default;
};
RunSettings MakeRunSettings(const std::string& fingerprint, const PromptSet& prompts, const SummarizeOptions& options);

// SHA-256 over (path, content SHA-256) of every file, in path order: the repository's identity.
std::string TreeId(const std::vector<FileNodes>& files);

struct ShardFile {
  std::filesystem::path source;  // where it was read from (messages)
  uint32_t index = 1, count = 1;
  std::string root_name;
  std::string tree_id;
  size_t files_total = 0;        // in the whole repository, all shards together
  int chunk_lines = 300;
  RunSettings settings;
  std::vector<FileNodes> files;  // this shard's, in path order, summaries filled in
};

// The file's text (one JSON document and a newline): the same input gives the same bytes.
std::string ShardFileText(const ShardFile& shard);

// Reads one. Throws Error(kExitMergeRefused) for a file that is not a scale shard output (or of
// another format version), Error(kExitInput) for one that cannot be read.
ShardFile ReadShardFile(const std::filesystem::path& path);

}  // namespace scale::summarize
