// `scale lsp`: a language server on two file descriptors (stdin/stdout). It keeps the open
// buffers (full or incremental didChange), offers "Write/Update doc comment" on the routine at the
// cursor and "Document this file", and computes their verified WorkspaceEdit in codeAction/resolve
// (or, for clients without resolve, through a command and workspace/applyEdit).
// The model is opened once, in the background after initialize, and kept warm. Requests run one
// at a time on the main thread; a reader thread takes $/cancelRequest while one runs.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "annotate/config.h"
#include "annotate/pipeline.h"
#include "engine/llm.h"
#include "languages/language.h"

namespace scale::lsp {

struct ServerOptions {
  // Opens the model (throws scale::Error); called once, on a background thread.
  std::function<std::unique_ptr<engine::Llm>()> open_model;
  // How to parse a buffer named `path` (project config); unset: by its name.
  std::function<languages::ParseOptions(const std::string& path, languages::Language)> parse_options;
  // The prompts for a language (throws scale::Error for a bad config).
  std::function<annotate::Prompts(languages::Language)> prompts;
  // Sampling, time limit, consistency, --existing (for "Document this file"), is_own. `only` is
  // set per action; "Write/Update doc comment" always rewrites the routine's comment (kUpdate).
  annotate::AnnotateOptions annotate;
  // Records the prose scale wrote into an offered edit (OwnComments), when set.
  std::function<void(languages::Language, const std::vector<std::string>&)> remember_own;
  std::string version = "0";  // serverInfo.version
};

class Server {
 public:
  Server(ServerOptions options, int in_fd, int out_fd);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves until `exit` (0 after shutdown, else 1) or the end of input (likewise).
  int Run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace scale::lsp
