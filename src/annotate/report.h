// How `scale comment` reports what it did: one block per file (counts, names + reasons of skipped
// and failed routines, tokens, time) as text for stderr, or one JSON document for --json.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "annotate/pipeline.h"

namespace scale::annotate {

// Text lines, each ending in '\n'. With several files a "total:" line follows the files.
std::string FormatReport(const std::vector<FileResult>& results);

// {"files": [{path, language, status, changed, counts, routines, tokens..., doc_style}], "total": {...}}.
nlohmann::json ReportJson(const std::vector<FileResult>& results);

// {"origin", "samples", "width", "open"/"gutter"/"close" or "prefix", "sections"?}: how new
// comments were written in a file (languages::DocStyle).
nlohmann::json DocStyleJson(const languages::DocStyle& style);

}  // namespace scale::annotate
