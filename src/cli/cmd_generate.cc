// `scale generate`: one prompt through the engine, streamed to stdout. The smallest end-to-end use
// of a model (and a handy way to check one): --json for scripts, --count-tokens for budgeting.
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/model_options.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace scale::cli {
namespace {

struct GenerateArgs {
  ModelOptions model;
  std::string system;
  std::string prompt;
  std::string prompt_file;
  std::vector<std::string> stop;
  bool json = false;
  bool count_tokens = false;
};

std::string ReadPrompt(const GenerateArgs& args) {
  if (!args.prompt_file.empty() && !args.prompt.empty()) {
    throw Error(kExitUsage, "give the prompt either as an argument or with --prompt-file, not both");
  }
  std::string text;
  if (!args.prompt_file.empty()) {
    text = ReadFile(args.prompt_file, 64ull << 20);
  } else if (args.prompt == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    text = args.prompt;
  }
  if (text.empty()) throw Error(kExitUsage, "no prompt: pass PROMPT, - (stdin) or --prompt-file FILE");
  return text;
}

// Exit status for an answer that did not finish normally; the text so far is still printed.
int StatusFor(const engine::Response& r, const engine::Request& request, bool interrupted) {
  switch (r.finish) {
    case engine::FinishReason::kStop:
    case engine::FinishReason::kLength: return kExitOk;
    case engine::FinishReason::kTimeout:
      LogWarning("time limit of " + std::to_string(request.time_limit_s) + " s reached; the answer is cut short");
      return kExitWorkFailed;
    case engine::FinishReason::kCancelled: return interrupted ? kExitInterrupted : kExitWorkFailed;
    case engine::FinishReason::kContextFull:
      std::fprintf(stderr, "scale: error: %s\n", r.error.c_str());
      return kExitInput;
    case engine::FinishReason::kError:
      std::fprintf(stderr, "scale: error: generation failed: %s\n", r.error.c_str());
      return kExitWorkFailed;
  }
  return kExitWorkFailed;
}

void Run(const GenerateArgs& args) {
  engine::Request request;
  if (!args.system.empty()) request.messages.push_back({engine::Role::kSystem, args.system});
  request.messages.push_back({engine::Role::kUser, ReadPrompt(args)});
  request.sampling = args.model.sampling;
  request.time_limit_s = args.model.time_limit_s;
  request.stop = args.stop;
  request.id = "generate";

  std::unique_ptr<engine::Llm> llm = OpenLlm(args.model);
  if (args.count_tokens) {
    std::printf("%d\n", llm->CountPromptTokens(request.messages));
    return;
  }
  InterruptGuard guard(llm.get());
  if (!args.json) {
    request.on_piece = [](std::string_view piece) {
      std::fwrite(piece.data(), 1, piece.size(), stdout);
      std::fflush(stdout);
      return true;
    };
  }
  engine::Response r = llm->Complete(request);
  if (args.json) {
    nlohmann::ordered_json out;
    out["text"] = r.text;
    out["finish"] = engine::FinishReasonName(r.finish);
    out["prompt_tokens"] = r.prompt_tokens;
    out["completion_tokens"] = r.completion_tokens;
    out["seconds"] = r.seconds;
    if (!r.error.empty()) out["error"] = r.error;
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else if (!r.text.empty() && r.text.back() != '\n') {
    std::fputc('\n', stdout);
  }
  std::fflush(stdout);
  LogVerbose(std::to_string(r.prompt_tokens) + " prompt + " + std::to_string(r.completion_tokens) +
             " generated tokens in " + std::to_string(r.seconds) + " s (" + engine::FinishReasonName(r.finish) + ")");
  SetExitStatus(StatusFor(r, request, guard.interrupted()));
}

}  // namespace

void AddGenerateCommand(CLI::App& app) {
  auto args = std::make_shared<GenerateArgs>();
  auto* cmd = app.add_subcommand("generate", "answer one prompt with the model (streams to stdout)");
  cmd->add_option("prompt", args->prompt, "the user message (- reads stdin)");
  cmd->add_option("--prompt-file", args->prompt_file, "read the user message from a file");
  cmd->add_option("-s,--system", args->system, "system message");
  cmd->add_option("--stop", args->stop, "extra stop string (repeatable)")
      ->expected(1)->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("--json", args->json, "print {text, finish, prompt_tokens, completion_tokens, seconds} as JSON");
  cmd->add_flag("--count-tokens", args->count_tokens, "print the prompt's token count and exit");
  AddModelOptions(cmd, &args->model);
  cmd->callback([args] { Run(*args); });
}

}  // namespace scale::cli
