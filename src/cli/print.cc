#include "cli/print.h"

#include <cstdio>

namespace scale::cli {

void PrintLine(const std::string& line) { std::fputs((line + "\n").c_str(), stdout); }

void PrintJson(const nlohmann::json& json) {
  PrintLine(json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace scale::cli
