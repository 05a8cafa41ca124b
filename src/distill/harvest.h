// `scale distill --harvest`: training rows from code that already has doc comments. Walks each
// root like `scale comment DIR`, turns every commented routine into a RoutineRow, filters, dedups,
// splits by file (seeded) and sorts, so the same trees and seed give byte-identical JSONL.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "distill/routine_row.h"

namespace scale {
class Progress;
}

namespace scale::distill {

struct HarvestOptions {
  std::filesystem::path config_dir;   // scale-cfg: comment.txt and the language templates
  double holdout = 0.1;               // fraction of FILES held out
  uint64_t seed = 1;
  size_t min_chars = 16;              // answer length bounds, in bytes of its prose
  size_t max_chars = 2000;
  size_t max_routine_chars = 6000;    // the routine view shown in the prompt (never elided here)
  uint64_t max_file_bytes = 2u << 20;
  int threads = 1;                    // files harvested at once; the output does not depend on it
};

struct HarvestedRow {
  RoutineRow row;
  bool held_out = false;
  std::string root;           // the harvest root's directory name
  std::string source;         // '/'-separated path below the root
  std::string language;
  std::string source_sha256;  // of the file's bytes as read
  std::string template_sha256;  // of comment.txt and the language template the prompt was built from
  std::string teacher;          // the model that wrote the answer ("": the code's own comment)
};

struct HarvestReport {
  int files = 0;               // source files walked (a known language)
  int files_with_rows = 0;
  int routines = 0;            // in the files that parsed
  int commented = 0;           // of those, with a doc comment
  std::map<std::string, int> dropped;        // drop reason -> commented routines it removed
  std::map<std::string, int> skipped_files;  // walk or parse reason -> files
  std::map<std::string, int> languages;      // rows per language
  int train_rows = 0, eval_rows = 0, train_files = 0, eval_files = 0;
  int rows() const { return train_rows + eval_rows; }
};

struct Harvest {
  std::vector<HarvestedRow> rows;  // sorted by (root, source, line, routine)
  HarvestReport report;
};

// Throws Error(kExitUsage) for two roots with the same directory name, Error(kExitInput) for a
// root that is not a directory, and LoadPrompts' errors for a missing template. `progress` (may be
// null) gets the number of files and one Advance per file.
Harvest HarvestRoots(const std::vector<std::filesystem::path>& roots, const HarvestOptions& options,
                     Progress* progress = nullptr);

// The walk and parse of HarvestRoots without its answer filters, dedup or split: every row it would
// build (sorted the same way), `held_out` unset. With `every_routine`, routines without a comment
// too, every comment filter skipped and each answer left empty (`scale distill --teacher` writes
// them); report.dropped then has only the reasons a routine gives no prompt.
Harvest CollectCandidates(const std::vector<std::filesystem::path>& roots, const HarvestOptions& options,
                          Progress* progress, bool every_routine);

// Sets every row's held_out from its file (HeldOutFile) and the report's split and language counts.
void SplitByFile(std::vector<HarvestedRow>* rows, const HarvestOptions& options, HarvestReport* report);

// One row as the JSON object `scale train --data` reads (docs/training.md), provenance in "meta".
nlohmann::json RowJson(const HarvestedRow& row);
// Every row, one JSON object per line.
std::string RowsJsonl(const std::vector<HarvestedRow>& rows);
nlohmann::json ReportJson(const HarvestReport& report);
std::string ReportText(const HarvestReport& report);

}  // namespace scale::distill
