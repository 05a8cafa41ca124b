// Writing a summarised Tree: Markdown (one SUMMARY.md per folder under an output directory, or one
// document) and JSON lines (one object per node). Output depends only on the tree, so the same
// repo, model and flags give byte-identical files.
#pragma once

#include <filesystem>
#include <string>

#include "summarize/tree.h"

namespace scale::summarize {

// DIR/<folder>/SUMMARY.md for every folder (DIR/SUMMARY.md for the repo): the folder's summary,
// links to its sub-folders' SUMMARY.md and each file's summary. Atomic writes; Error(kExitIo).
void WriteMarkdownTree(const Tree& tree, const std::filesystem::path& dir);

// The whole tree as one Markdown document: repo summary, then each folder with its files.
std::string MarkdownDocument(const Tree& tree);

// One JSON object per line, nodes in tree order: path, start_line, end_line (null for folders),
// kind, summary, model, prompt_tokens, completion_tokens, cached, and error when there is one.
std::string JsonLines(const Tree& tree, const std::string& model);

}  // namespace scale::summarize
