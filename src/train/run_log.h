// RUN/log.jsonl of `scale train`: one JSON object per line (steps, evaluations, breaker and
// rollback events), only ever appended to; and reading it back for `scale rollback`.
#pragma once

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

namespace scale::train {

// Appends `j` as one line. Throws Error(kExitIo); a symlink at the log's name is refused.
void AppendLogLine(const std::filesystem::path& log, const nlohmann::json& j);

// Every line that parses as a JSON object, in order (a line torn by a kill is skipped); none when
// the file is missing. Throws Error(kExitInput) when it cannot be read.
std::vector<nlohmann::json> ReadLogLines(const std::filesystem::path& log);

}  // namespace scale::train
