// `scale summarize --merge`: checks that shard outputs are the N parts of one run over one
// repository, then builds the tree an unsharded run would (the shards' chunk and file summaries
// preset; folders and the repo left for Summarize, through the cache).
#pragma once

#include <vector>

#include "summarize/shard_file.h"
#include "summarize/tree.h"

namespace scale::summarize {

// Throws Error(kExitMergeRefused), one line, when the shards are of different repositories (or
// commits, include/exclude globs, root names), of different settings from each other, overlap (a
// shard twice, a file in two), or miss a shard or a file. Never merges part of them.
Tree MergeShards(const std::vector<ShardFile>& shards);

// Error(kExitMergeRefused) unless the shards were made with `merge_settings` (the merge's own:
// its model, --lines, sampling, prompts), naming the first setting that differs.
void CheckMergeSettings(const std::vector<ShardFile>& shards, const RunSettings& merge_settings);

// Both: the merge with the settings it runs with.
Tree MergeShards(const std::vector<ShardFile>& shards, const RunSettings& merge_settings);

}  // namespace scale::summarize
