// `scale eval context` (cmd_eval_context.cc): registered under the `eval` command by cmd_eval.cc.
// Its callback does the whole run, so the parent's callback must skip when it was chosen.
#pragma once

#include <CLI/CLI.hpp>

namespace scale::cli {

void AddEvalContextCommand(CLI::App* eval_cmd);

}  // namespace scale::cli
