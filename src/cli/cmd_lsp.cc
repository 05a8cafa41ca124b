// `scale lsp`: the language server (src/lsp/server.h) on stdin/stdout, with the model flags of
// `scale comment`. This file only turns flags into ServerOptions; stdout is kept for the protocol.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "annotate/config.h"
#include "annotate/own_comments.h"
#include "cli/comment_config.h"
#include "cli/commands.h"
#include "cli/model_options.h"
#include "consistency/consistency.h"
#include "lsp/server.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/version.h"

namespace scale::cli {
namespace {

struct LspArgs {
  ModelOptions model;
  std::string config;
  std::string existing = "own";
  std::string consistency = "retry";
};

[[noreturn]] void Run(const LspArgs& args) {
  if (args.model.quiet) SetLogLevel(LogLevel::kQuiet);
  else if (args.model.verbosity >= 2) SetLogLevel(LogLevel::kDebug);
  else if (args.model.verbosity == 1) SetLogLevel(LogLevel::kVerbose);
  auto policy = consistency::ParsePolicy(args.consistency);
  if (!policy) throw Error(kExitUsage, "--consistency must be repair, retry, strict or off (got '" + args.consistency + "')");
  const std::filesystem::path config_dir = annotate::FindConfigDir(args.config);  // a bad --config fails now

  // The protocol owns the real stdout; anything else printing to fd 1 (a library's log) goes to stderr.
  const int protocol_out = dup(STDOUT_FILENO);
  if (protocol_out < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) throw Error(kExitIo, "cannot set up stdout");

  auto own = std::make_shared<annotate::OwnComments>(CacheDir() / "own-comments");
  auto engine = std::make_shared<engine::LlamaEngine*>(nullptr);
  auto per_language = std::make_shared<settings::LoraByLanguage>();
  lsp::ServerOptions options;
  const ModelOptions model = args.model;
  options.open_model = [model, engine, per_language]() {
    std::unique_ptr<engine::Llm> llm = OpenLlm(model, per_language.get());
    *engine = dynamic_cast<engine::LlamaEngine*>(llm.get());
    if (!per_language->empty() && *engine == nullptr) throw Error(kExitUsage, "per-language LoRA adapters need the llama.cpp engine");
    return llm;
  };
  options.annotate.select_language = [model, engine, per_language](languages::Language lang) {
    if (per_language->empty() || *engine == nullptr) return;
    (*engine)->SetActiveLoras(AdaptersFor(model, *per_language, languages::LanguageName(lang)));
  };
  options.parse_options = [](const std::string& path, languages::Language lang) {
    return ParseOptionsFor(path, lang, ProjectCommentConfigFor(path));  // re-read per file: the config governing it may change
  };
  options.prompts = [config_dir](languages::Language lang) { return annotate::LoadPrompts(config_dir, {lang}); };
  options.annotate.existing = args.existing == "keep"     ? annotate::ExistingMode::kKeep
                              : args.existing == "update" ? annotate::ExistingMode::kUpdate
                                                          : annotate::ExistingMode::kOwn;
  options.annotate.is_own = [own](languages::Language lang, const std::string& prose) { return own->Contains(lang, prose); };
  options.annotate.consistency = *policy;
  options.annotate.sampling = args.model.sampling;
  options.annotate.time_limit_s = args.model.time_limit_s;
  options.remember_own = [own](languages::Language lang, const std::vector<std::string>& prose) {
    for (const auto& p : prose) own->Add(lang, p);
    own->Save();
  };
  options.version = VersionString();
  lsp::Server server(std::move(options), STDIN_FILENO, protocol_out);
  const int code = server.Run();
  // The reader thread may be blocked in read(2) and the model may still be loading: end the
  // process here rather than run destructors under them.
  std::fflush(stderr);
  std::_Exit(code);
}

}  // namespace

void AddLspCommand(CLI::App& app) {
  auto args = std::make_shared<LspArgs>();
  auto* cmd = app.add_subcommand("lsp", "language server on stdin/stdout: doc comment code actions for any LSP editor");
  cmd->add_option("--config", args->config, "directory with comment.txt, summary.txt and <language>.txt templates");
  cmd->add_option("--existing", args->existing,
                  "\"Document this file\" and routines that already have a comment: own (default), update or keep "
                  "(\"Update doc comment\" on one routine always rewrites it)")
      ->check(CLI::IsMember({"own", "update", "keep"}));
  cmd->add_option("--consistency", args->consistency, "repair|retry|strict|off, as for `scale comment` (default retry)");
  AddModelOptions(cmd, &args->model);
  cmd->callback([args] { Run(*args); });
}

}  // namespace scale::cli
