// Writing `scale comment` results to disk. In place (-i, or -o naming an input): every original
// is journaled for `scale undo` first, and a file is replaced only if it still holds the bytes
// that were read. Elsewhere (-o DIR): outputs mapped by relative path, collisions refused.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "annotate/pipeline.h"
#include "util/fs.h"

namespace scale::annotate {

struct InPlaceReport {
  size_t written = 0;
  std::string undo_run;  // "" when nothing was written
};

// Writes every changed result in `results` whose path is in `stamps` (what was read, by path).
// A file that changed since it was read, or cannot be replaced without losing something (hard
// links, owner), is left alone and its result becomes kFailed with the reason. Holds the journal
// lock while writing. Throws Error(kExitIo) when a write fails (disk full): that file is untouched
// and dropped from the journal; files written before it stay written and journaled, and the
// message names the undo run.
InPlaceReport WriteInPlace(std::vector<FileResult>& results, const std::map<std::string, FileStamp>& stamps,
                           const std::filesystem::path& undo_root);

// Where each input goes under -o DIR: its relative path below DIR when it is relative and does
// not climb out (".."), else its path below the deepest directory common to all such inputs.
// Throws Error(kExitUsage) when two inputs would land on the same output.
std::vector<std::filesystem::path> OutputPaths(const std::filesystem::path& dir, const std::vector<std::string>& inputs);

// True when `output` is the same file as `input` (both exist and are one inode).
bool SameFile(const std::filesystem::path& output, const std::filesystem::path& input);

}  // namespace scale::annotate
