// `scale eval context`: perplexity at growing context lengths for each RoPE scaling method. The
// work lives in eval/context_eval; this file maps flags onto it.
#include "cli/cmd_eval_context.h"

#include <cstdio>
#include <string>

#include "cli/print.h"
#include "eval/context_eval.h"
#include "util/fs.h"
#include "util/log.h"

namespace scale::cli {

void AddEvalContextCommand(CLI::App* eval_cmd) {
  struct Args {
    eval::ContextEvalOptions o;
    std::string text_file;
    bool json = false;
    int verbose = 0;
    bool quiet = false;
  };
  static Args a;
  auto* cmd = eval_cmd->add_subcommand("context", "Perplexity at growing context lengths for each RoPE scaling method");
  cmd->add_option("-m,--model", a.o.model_path, "GGUF model")->required();
  cmd->add_option("--text", a.text_file, "Plain-text file to score (needs at least LENGTH tokens per length)")->required();
  cmd->add_option("--lengths", a.o.lengths, "Context lengths in tokens, comma-separated")->delimiter(',');
  cmd->add_option("--methods", a.o.methods, "none, linear, yarn, ntk (comma-separated)")->delimiter(',');
  cmd->add_option("--windows", a.o.max_windows, "Windows per length at most")->check(CLI::Range(1, 1000));
  cmd->add_option("--rope-scale", a.o.rope_scale, "Context multiplier for linear/yarn/ntk (default: length / trained context)");
  cmd->add_option("-t,--threads", a.o.threads, "CPU threads (default: physical cores)");
  cmd->add_option("--gpu-layers", a.o.gpu_layers, "Layers to offload (-1 = all)");
  cmd->add_flag("--json", a.json, "Machine-readable output");
  cmd->add_flag("-v,--verbose", a.verbose, "Show llama.cpp's log");
  cmd->add_flag("-q,--quiet", a.quiet, "No progress on stderr");
  cmd->callback([] {
    if (a.quiet) SetLogLevel(LogLevel::kQuiet);
    if (a.verbose) SetLogLevel(LogLevel::kVerbose);
    a.o.text = ReadFile(a.text_file, 256ull << 20);
    eval::ContextEvalReport r = eval::RunContextEval(a.o);
    if (a.json) {
      PrintJson(r.ToJson());
    } else {
      std::fputs(r.Table().c_str(), stdout);
    }
  });
}

}  // namespace scale::cli
