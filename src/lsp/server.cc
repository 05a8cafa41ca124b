#include "lsp/server.h"

#include <chrono>
#include <future>
#include <map>
#include <thread>

#include "lsp/cancellable_llm.h"
#include "lsp/channel.h"
#include "lsp/doc_edits.h"
#include "lsp/jsonrpc.h"
#include "lsp/positions.h"
#include "util/error.h"
#include "util/log.h"

namespace scale::lsp {
namespace {

using nlohmann::json;

struct Document {
  std::string uri, path, language_id, text;
  int version = 0;
};

// A request that ends with an error response rather than a result.
struct RpcError {
  int code;
  std::string message;
};

constexpr const char* kWriteCommand = "scale.writeDocComment";
constexpr const char* kFileCommand = "scale.documentFile";

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Channel channel;
  bool initialized = false, shutdown = false;
  Encoding encoding = Encoding::kUtf16;
  bool client_progress = false, client_resolve = false, client_literals = true, client_doc_changes = false;
  std::map<std::string, Document> docs;
  std::map<std::string, annotate::Prompts> prompts;  // by language name
  std::shared_future<std::shared_ptr<CancellableLlm>> model;
  int progress_tokens = 0;

  Impl(ServerOptions o, int in_fd, int out_fd) : options(std::move(o)), channel(in_fd, out_fd) {}

  void StartModel() {
    std::packaged_task<std::shared_ptr<CancellableLlm>()> task(
        [open = options.open_model] { return std::make_shared<CancellableLlm>(open()); });
    model = task.get_future().share();
    std::thread(std::move(task)).detach();  // detached: exit must not wait for a load in progress
  }

  json Initialize(const json& params) {
    if (initialized) throw RpcError{kInvalidRequest, "initialize was already received"};
    initialized = true;
    const json caps = params.is_object() ? params.value("capabilities", json::object()) : json::object();
    const json none = json::object();
    auto at = [&](const json& j, std::initializer_list<const char*> keys) {
      const json* cur = &j;
      for (const char* k : keys) {
        if (!cur->is_object() || !cur->contains(k)) return none;
        cur = &(*cur)[k];
      }
      return *cur;
    };
    for (const auto& e : at(caps, {"general", "positionEncodings"})) {
      if (e == "utf-8") encoding = Encoding::kUtf8;
    }
    client_progress = at(caps, {"window", "workDoneProgress"}) == true;
    client_doc_changes = at(caps, {"workspace", "workspaceEdit", "documentChanges"}) == true;
    const json code_action = at(caps, {"textDocument", "codeAction"});
    client_literals = code_action.is_object() && code_action.contains("codeActionLiteralSupport");
    for (const auto& p : at(code_action, {"resolveSupport", "properties"})) client_resolve |= p == "edit";
    if (options.open_model) StartModel();
    return {{"capabilities",
             {{"positionEncoding", encoding == Encoding::kUtf8 ? "utf-8" : "utf-16"},
              {"textDocumentSync", {{"openClose", true}, {"change", 1}}},
              {"codeActionProvider",
               {{"codeActionKinds", {"refactor.rewrite", "source"}}, {"resolveProvider", true}}},
              {"executeCommandProvider", {{"commands", {kWriteCommand, kFileCommand}}}}}},
            {"serverInfo", {{"name", "scale"}, {"version", options.version}}}};
  }

  std::optional<languages::Language> LanguageOf(const Document& d) const {
    if (auto l = languages::LanguageForPath(d.path)) return l;
    return languages::ParseLanguageName(d.language_id);
  }

  languages::ParseOptions ParseOptionsOf(const Document& d, languages::Language lang) const {
    return options.parse_options ? options.parse_options(d.path, lang) : languages::ParseOptionsForPath(d.path);
  }

  Document& Doc(const json& text_document) {
    auto it = docs.find(text_document.at("uri").get<std::string>());
    if (it == docs.end()) throw RpcError{kInvalidParams, "the document is not open (textDocument/didOpen first)"};
    return it->second;
  }

  void DidOpen(const json& params) {
    const json& td = params.at("textDocument");
    Document d;
    d.uri = td.at("uri").get<std::string>();
    d.path = UriToPath(d.uri).value_or(d.uri);
    d.language_id = td.value("languageId", "");
    d.version = td.value("version", 0);
    d.text = td.at("text").get<std::string>();
    docs[d.uri] = std::move(d);
  }

  void DidChange(const json& params) {
    Document& d = Doc(params.at("textDocument"));
    for (const auto& change : params.at("contentChanges")) ApplyChange(d.text, change, encoding);
    d.version = params.at("textDocument").value("version", d.version + 1);
  }

  // The actions at the cursor: data says what resolve computes; without resolve a command does.
  json CodeActions(const json& params) {
    Document& d = Doc(params.at("textDocument"));
    json actions = json::array();
    auto lang = LanguageOf(d);
    if (!lang || d.text.empty()) return actions;
    languages::ParsedFile parsed;
    try {
      parsed = languages::Parse(*lang, d.text, ParseOptionsOf(d, *lang));
    } catch (const Error&) {
      return actions;  // a buffer the parser gives up on has no actions
    }
    std::vector<std::string> only;
    if (params.contains("context") && params["context"].contains("only")) {
      only = params["context"]["only"].get<std::vector<std::string>>();
    }
    auto wanted = [&](const std::string& kind) {
      if (only.empty()) return true;
      for (const auto& o : only) {
        if (kind == o || kind.rfind(o + ".", 0) == 0) return true;
      }
      return false;
    };
    const size_t offset = OffsetOf(d.text, ParsePosition(params.at("range").at("start")), encoding);
    auto add = [&](const std::string& title, const std::string& kind, json data, const char* command) {
      json cmd = {{"title", title}, {"command", command}, {"arguments", json::array({data})}};
      if (!client_literals) {
        actions.push_back(cmd);
        return;
      }
      json action = {{"title", title}, {"kind", kind}, {"data", data}};
      if (!client_resolve) action["command"] = cmd;
      actions.push_back(std::move(action));
    };
    if (auto id = RoutineAt(parsed, offset); id && wanted("refactor.rewrite")) {
      const auto& r = parsed.routines[*id];
      add(r.has_comment ? "Update doc comment" : "Write doc comment", "refactor.rewrite",
          {{"uri", d.uri}, {"version", d.version}, {"routine", r.id}, {"name", r.qualified_name}}, kWriteCommand);
    }
    bool any = false;
    for (const auto& r : parsed.routines) any |= languages::Patchable(r);
    if (any && wanted("source")) add("Document this file", "source", {{"uri", d.uri}, {"version", d.version}}, kFileCommand);
    return actions;
  }

  std::shared_ptr<CancellableLlm> WaitModel(const json& id) {
    if (!model.valid()) throw RpcError{kRequestFailed, "no model is configured"};
    while (model.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
      if (channel.TakeCancelled(id)) throw RpcError{kRequestCancelled, "cancelled"};
    }
    try {
      return model.get();
    } catch (const std::exception& e) {
      throw RpcError{kRequestFailed, std::string("cannot load the model: ") + e.what()};
    }
  }

  // Progress for the work in progress, when the client takes server-initiated progress.
  struct Reporter {
    Impl* impl;
    std::string token;
    void Send(json value) {
      if (!token.empty()) impl->channel.Send(Notification("$/progress", {{"token", token}, {"value", std::move(value)}}));
    }
  };
  Reporter BeginProgress(const std::string& title) {
    Reporter rep{this, ""};
    if (!client_progress) return rep;
    std::string token = "scale-progress-" + std::to_string(++progress_tokens);
    // The spec: no progress on a token before the client accepted it. A client that does not
    // answer within 2 s gets none.
    auto reply = channel.Call("window/workDoneProgress/create", {{"token", token}}, 2000);
    if (!reply || reply->contains("error")) return rep;
    rep.token = token;
    channel.SetProgressToken(token);
    rep.Send({{"kind", "begin"}, {"title", title}, {"cancellable", true}, {"percentage", 0}});
    return rep;
  }

  // The verified WorkspaceEdit for an action's data. Runs the model.
  json ComputeEdit(const json& id, const json& data) {
    Document& d = Doc({{"uri", data.at("uri")}});
    if (data.at("version").get<int>() != d.version) throw RpcError{kContentModified, "the document changed"};
    auto lang = LanguageOf(d);
    if (!lang) throw RpcError{kRequestFailed, "scale does not know this document's language"};
    annotate::AnnotateOptions opts = options.annotate;
    const bool one = data.contains("routine");
    if (one) {
      languages::ParsedFile parsed = languages::Parse(*lang, d.text, ParseOptionsOf(d, *lang));
      const int rid = data.at("routine").get<int>();
      const std::string name = data.at("name").get<std::string>();
      if (rid < 0 || rid >= static_cast<int>(parsed.routines.size()) || parsed.routines[rid].qualified_name != name) {
        throw RpcError{kContentModified, "the routine is no longer there"};
      }
      opts.only = {name};
      opts.existing = annotate::ExistingMode::kUpdate;  // asked for by name: people's comments too
    }
    auto found = prompts.find(languages::LanguageName(*lang));
    if (found == prompts.end()) {
      found = prompts.emplace(languages::LanguageName(*lang), options.prompts(*lang)).first;
    }
    std::shared_ptr<CancellableLlm> llm = WaitModel(id);
    llm->Reset();
    channel.SetCurrent(id, [llm] { llm->CancelRun(); });
    if (channel.TakeCancelled(id)) llm->CancelRun();  // cancelled while the model loaded
    Reporter progress = BeginProgress(one ? "Writing doc comment" : "Documenting " + d.path);
    llm->OnJobDone([&progress](size_t done, size_t total) {
      progress.Send({{"kind", "report"}, {"message", std::to_string(done) + "/" + std::to_string(total)},
                     {"percentage", total ? static_cast<int>(100 * done / total) : 0}});
    });
    std::vector<annotate::FileResult> results;
    std::string failure;
    try {
      annotate::Annotator annotator(*llm, found->second, opts);
      results = annotator.Run({{d.path, *lang, d.text, ParseOptionsOf(d, *lang)}});
    } catch (const std::exception& e) {
      failure = e.what();
    }
    llm->OnJobDone(nullptr);
    progress.Send({{"kind", "end"}});
    const bool cancelled = llm->run_cancelled() || channel.TakeCancelled(id);
    channel.ClearCurrent();
    llm->Reset();
    if (cancelled) throw RpcError{kRequestCancelled, "cancelled"};
    if (!failure.empty()) throw RpcError{kRequestFailed, failure};
    // An edit to an older buffer would be applied to the wrong text by clients without versions.
    if (channel.Queued("textDocument/didChange", d.uri)) throw RpcError{kContentModified, "the document changed"};
    const annotate::FileResult& r = results.at(0);
    auto edit = MinimalLineEdit(d.text, r.output);
    if (!edit) {
      std::string why = r.problem;
      for (const auto& o : r.routines) {
        if (why.empty() && !o.reason.empty()) why = o.name + ": " + o.reason;
      }
      throw RpcError{kRequestFailed, "no comment was written" + (why.empty() ? std::string() : ": " + why)};
    }
    if (options.remember_own) options.remember_own(*lang, r.written_comments);
    json text_edit = TextEditJson(d.text, *edit, encoding);
    if (client_doc_changes) {
      return {{"documentChanges",
               json::array({{{"textDocument", {{"uri", d.uri}, {"version", d.version}}},
                             {"edits", json::array({text_edit})}}})}};
    }
    return {{"changes", {{d.uri, json::array({text_edit})}}}};
  }

  json Resolve(const json& id, json action) {
    if (!action.is_object() || !action.contains("data")) throw RpcError{kInvalidParams, "a code action of scale's (with data)"};
    action["edit"] = ComputeEdit(id, action["data"]);
    action.erase("command");
    return action;
  }

  json ExecuteCommand(const json& id, const json& params) {
    const std::string command = params.at("command").get<std::string>();
    if (command != kWriteCommand && command != kFileCommand) throw RpcError{kInvalidParams, "unknown command " + command};
    json edit = ComputeEdit(id, params.at("arguments").at(0));
    channel.CallAsync("workspace/applyEdit", {{"label", command == kWriteCommand ? "Write doc comment" : "Document this file"},
                                              {"edit", edit}});
    return nullptr;
  }

  json HandleRequest(const Incoming& m) {
    if (m.method == "initialize") return Initialize(m.params);
    if (!initialized) throw RpcError{kServerNotInitialized, "initialize first"};
    if (shutdown) throw RpcError{kInvalidRequest, "the server is shutting down"};
    if (m.method == "shutdown") {
      shutdown = true;
      return nullptr;
    }
    if (m.method == "textDocument/codeAction") return CodeActions(m.params);
    if (m.method == "codeAction/resolve") return Resolve(m.id, m.params);
    if (m.method == "workspace/executeCommand") return ExecuteCommand(m.id, m.params);
    throw RpcError{kMethodNotFound, "no method " + m.method};
  }

  void HandleNotification(const Incoming& m) {
    if (!initialized || shutdown) return;  // the spec: notifications before initialize are dropped
    if (m.method == "textDocument/didOpen") DidOpen(m.params);
    else if (m.method == "textDocument/didChange") DidChange(m.params);
    else if (m.method == "textDocument/didClose") docs.erase(m.params.at("textDocument").at("uri").get<std::string>());
    // initialized, $/setTrace, didSave, workspace notifications ...: nothing to do.
  }

  int Run() {
    for (;;) {
      Received r = channel.Pop();
      if (r.end) return shutdown ? 0 : 1;
      if (!r.problem.empty()) {
        channel.Send(ErrorResponse(nullptr, kParseError, r.problem));
        continue;
      }
      const Incoming& m = r.message;
      if (m.kind == Incoming::kInvalid) {
        channel.Send(ErrorResponse(m.id, kInvalidRequest, m.problem));
        continue;
      }
      if (m.kind == Incoming::kResponse) continue;  // to a request of ours nobody waits for
      if (m.kind == Incoming::kNotification) {
        if (m.method == "exit") return shutdown ? 0 : 1;
        try {
          HandleNotification(m);
        } catch (const std::exception& e) {
          // Notifications get no reply: say it on stderr (the client's log).
          LogWarning("lsp: " + m.method + ": " + e.what());
        } catch (const RpcError& e) {
          LogWarning("lsp: " + m.method + ": " + e.message);
        }
        continue;
      }
      if (channel.TakeCancelled(m.id)) {
        channel.Send(ErrorResponse(m.id, kRequestCancelled, "cancelled"));
        continue;
      }
      json reply;
      try {
        reply = Response(m.id, HandleRequest(m));
      } catch (const RpcError& e) {
        reply = ErrorResponse(m.id, e.code, e.message);
      } catch (const json::exception& e) {
        reply = ErrorResponse(m.id, kInvalidParams, std::string("bad params: ") + e.what());
      } catch (const Error& e) {
        reply = ErrorResponse(m.id, kRequestFailed, e.what());
      } catch (const std::exception& e) {
        reply = ErrorResponse(m.id, kInternalError, e.what());
      }
      channel.ClearCurrent();
      channel.TakeCancelled(m.id);  // a cancel for a request already answered is forgotten
      channel.Send(reply);
    }
  }
};

Server::Server(ServerOptions options, int in_fd, int out_fd)
    : impl_(std::make_unique<Impl>(std::move(options), in_fd, out_fd)) {}
Server::~Server() = default;
int Server::Run() { return impl_->Run(); }

}  // namespace scale::lsp
