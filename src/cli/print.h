// What commands write to stdout: a line, or a JSON document (indented; invalid UTF-8 is replaced,
// not thrown on, so a non-UTF-8 file name never turns --json into an internal error).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace scale::cli {

void PrintLine(const std::string& line);  // `line` and a newline
void PrintJson(const nlohmann::json& json);

}  // namespace scale::cli
