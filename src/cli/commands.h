// Each `scale` subcommand lives in its own cmd_<name>.cc and registers itself on the app here.
// A command's callback throws scale::Error for anything the user should see; main() prints it as
// one line and exits with its code.
#pragma once

#include <CLI/CLI.hpp>

namespace scale::cli {

void AddGenerateCommand(CLI::App& app);   // cmd_generate.cc: one prompt through the engine
void AddCommentCommand(CLI::App& app);    // cmd_comment.cc: write/update docstrings
void AddUndoCommand(CLI::App& app);       // cmd_undo.cc: restore files changed by comment -i
void AddSummarizeCommand(CLI::App& app);  // cmd_summarize.cc: repository code map
void AddEvalCommand(CLI::App& app);       // cmd_eval.cc: BLEU/ROUGE, A/B, context perplexity
void AddBenchCommand(CLI::App& app);      // cmd_bench.cc: throughput tables
void AddModelsCommand(CLI::App& app);     // cmd_models.cc: pull/list/rm/info
void AddHwCommand(CLI::App& app);         // cmd_hw.cc: hardware report, profile advice, tuning
void AddCacheCommand(CLI::App& app);      // cmd_cache.cc: summary cache export/import
void AddTrainCommand(CLI::App& app);      // cmd_train.cc: LoRA training on ggml (src/train/)
void AddRollbackCommand(CLI::App& app);   // cmd_rollback.cc: a training run's checkpoints, adapter.gguf from one
void AddDistillCommand(CLI::App& app);    // cmd_distill.cc: training data (src/distill/)
void AddLspCommand(CLI::App& app);        // cmd_lsp.cc: language server for editors (src/lsp/)
void AddCompletionsCommand(CLI::App& app);  // cmd_completions.cc: shell completions, man page
void AddConfigCommand(CLI::App& app);     // cmd_config.cc: the effective settings and their origins

// Exit status chosen by the command's callback (0 unless it set one). Commands that finish with
// partial failure (exit 1) set it instead of throwing, so their report is still printed.
void SetExitStatus(int code);
int ExitStatus();

}  // namespace scale::cli
