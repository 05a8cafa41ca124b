// `scale summarize` without the command line: turns a summary Tree into one job graph (chunks ->
// files -> folders -> repo, each job depending on its children so the engine's slots stay busy)
// and runs it through Llm::RunJobs, answering from the SummaryCache where it can.
#pragma once

#include <cstdint>
#include <string>

#include "engine/llm.h"
#include "summarize/cache.h"
#include "summarize/prompts.h"
#include "summarize/tree.h"

namespace scale::summarize {

struct SummarizeOptions {
  int lines = 2;                    // lines per summary
  engine::SamplingParams sampling;  // max_tokens: the answer budget per summary
  double time_limit_s = 0;          // per request
  bool progress = true;             // progress bar (drawn only on a terminal anyway)
  // Stop at the file level (a --shard run): folders and the repo get no request and no error.
  bool files_only = false;
};

struct SummarizeStats {
  size_t chunks = 0, files = 0, folders = 0;
  size_t chunks_decoded = 0;  // chunks the model summarised in this run (not from the cache)
  size_t summaries = 0;    // nodes that needed a model answer (not reused from a single child)
  size_t cache_hits = 0;   // of those, answered from the cache
  size_t failed = 0;       // no summary (error, time limit, context, cancelled)
  int64_t prompt_tokens = 0;      // of requests run now
  int64_t cached_prompt_tokens = 0;  // of those, reused from a shared KV prefix
  int64_t completion_tokens = 0;
  double seconds = 0;
  double chunks_per_minute() const;   // chunks_decoded per minute
  double tokens_per_second() const;   // (prompt + completion tokens) per second
};

// Fills every node's summary (or error); nodes marked `preset` keep theirs and cost nothing (a
// --merge run sets the shards' chunks and files so). `cache` may be null (--no-cache). Never throws for a
// failed request (the node records it and its parents still run); throws scale::Error for
// engine-level problems.
SummarizeStats Summarize(engine::Llm& llm, const PromptSet& prompts, Tree& tree, const SummarizeOptions& options,
                         SummaryCache* cache);

// The request a node is summarised with, given its children's summaries (exposed for tests).
// Shrinks the code / child list until prompt + answer fit llm.ContextSize().
engine::Request NodeRequest(engine::Llm& llm, const PromptSet& prompts, const Tree& tree, size_t index,
                            const SummarizeOptions& options);

// Keeps at most `lines` non-empty lines, trimmed (models often add a blank line or a third line).
std::string CleanSummary(const std::string& text, int lines);

}  // namespace scale::summarize
