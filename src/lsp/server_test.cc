// `scale lsp` end to end: the built binary (SCALE_BINARY) driven over JSON-RPC on pipes, with the
// real tiny model ../shared/models/stories260K.gguf where an edit is generated. Its comments are
// nonsense, but the edits must be exactly what `scale comment -` makes of the same buffer.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "lsp/jsonrpc.h"
#include "lsp/positions.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"

namespace scale::lsp {
namespace {

using nlohmann::json;

std::vector<std::string> ModelArgs() {
  return {"-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "24"};
}

// A `scale lsp` child process and the client's end of its pipes.
class LspProcess {
 public:
  explicit LspProcess(const std::vector<std::string>& args) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) throw std::runtime_error("pipe");
    std::vector<std::string> argv_s = {SCALE_BINARY, "lsp"};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    const std::string home = std::string("SCALE_HOME=") + SCALE_TEST_TMP + "/home-lsp-" + std::to_string(getpid());
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      std::vector<char*> argv;
      for (auto& s : argv_s) argv.push_back(s.data());
      argv.push_back(nullptr);
      putenv(const_cast<char*>(home.c_str()));
      putenv(const_cast<char*>("OMP_WAIT_POLICY=PASSIVE"));
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_ = in[1];
    from_ = out[0];
    reader_ = std::make_unique<FrameReader>([this](char* buf, size_t size) -> long {
      pollfd p{from_, POLLIN, 0};
      if (poll(&p, 1, 120000) <= 0) return -1;  // a hung server fails the test, not the suite
      return static_cast<long>(read(from_, buf, size));
    });
  }
  ~LspProcess() {
    if (to_ >= 0) close(to_);
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(from_);
  }

  void SendRaw(const std::string& bytes) { ASSERT_EQ(write(to_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size())); }
  void Send(const json& message) { SendRaw(Frame(message)); }
  void Notify(const std::string& method, json params) { Send(Notification(method, std::move(params))); }

  // The next message; null when the server's output ended.
  json Next() {
    FrameReader::Frame f = reader_->Next();
    if (f.end) return nullptr;
    return json::parse(f.body);
  }

  // Sends a request and returns its response; everything else that arrives meanwhile is kept in
  // `seen`, and window/workDoneProgress/create (when `accept_progress`) is answered.
  json Call(int id, const std::string& method, json params) {
    Send(Request(id, method, std::move(params)));
    return Await(id);
  }
  json Await(const json& id) {
    for (;;) {
      json m = Next();
      if (m.is_null()) return m;
      if (m.contains("id") && m["id"] == id && !m.contains("method")) return m;
      if (m.value("method", "") == "window/workDoneProgress/create" && accept_progress) {
        Send(Response(m["id"], nullptr));
      }
      seen.push_back(std::move(m));
    }
  }

  void CloseInput() {
    close(to_);
    to_ = -1;
  }
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::vector<json> seen;
  bool accept_progress = true;

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int to_ = -1, from_ = -1;
  std::unique_ptr<FrameReader> reader_;
};

json Capabilities(bool resolve = true, bool progress = false, bool utf8 = false) {
  json caps = json::object();
  caps["textDocument"]["codeAction"]["codeActionLiteralSupport"]["codeActionKind"]["valueSet"] = {"refactor", "source"};
  caps["workspace"]["workspaceEdit"]["documentChanges"] = true;
  if (resolve) caps["textDocument"]["codeAction"]["resolveSupport"] = {{"properties", {"edit"}}};
  if (progress) caps["window"] = {{"workDoneProgress", true}};
  if (utf8) caps["general"] = {{"positionEncodings", {"utf-8", "utf-16"}}};
  return {{"processId", nullptr}, {"rootUri", nullptr}, {"capabilities", caps}};
}

json Initialize(LspProcess& lsp, json params = Capabilities()) {
  json r = lsp.Call(0, "initialize", std::move(params));
  lsp.Notify("initialized", json::object());
  return r;
}

int ShutdownAndExit(LspProcess& lsp) {
  json r = lsp.Call(999, "shutdown", nullptr);
  EXPECT_TRUE(r.contains("result") && r["result"].is_null()) << r;
  lsp.Notify("exit", nullptr);
  return lsp.Wait();
}

// The buffer has non-ASCII text before the cursor on its line, so a byte column would land
// elsewhere than the UTF-16 one.
const std::string kBuffer =
    "S = \"é𝄞\"\n\n\ndef add(a, b):\n    t = \"𝄞𝄞\"; return a + b\n\n\ndef sub(a, b):\n    return a - b\n";
const std::string kUri = "file:///work/pkg/m%C3%A9.py";

void Open(LspProcess& lsp, const std::string& text = kBuffer, int version = 1) {
  lsp.Notify("textDocument/didOpen",
             {{"textDocument", {{"uri", kUri}, {"languageId", "python"}, {"version", version}, {"text", text}}}});
}

json CodeActions(LspProcess& lsp, int id, int line, int character) {
  json pos = {{"line", line}, {"character", character}};
  return lsp.Call(id, "textDocument/codeAction",
                  {{"textDocument", {{"uri", kUri}}}, {"range", {{"start", pos}, {"end", pos}}}, {"context", {{"diagnostics", json::array()}}}});
}

json ActionTitled(const json& response, const std::string& title) {
  for (const auto& a : response.at("result")) {
    if (a.value("title", "") == title) return a;
  }
  ADD_FAILURE() << "no action " << title << " in " << response;
  return nullptr;
}

std::string Applied(const std::string& text, const json& edit, Encoding encoding) {
  const json& e = edit.at("documentChanges").at(0).at("edits").at(0);
  size_t b = OffsetOf(text, {e["range"]["start"]["line"], e["range"]["start"]["character"]}, encoding);
  size_t en = OffsetOf(text, {e["range"]["end"]["line"], e["range"]["end"]["character"]}, encoding);
  return text.substr(0, b) + e["newText"].get<std::string>() + text.substr(en);
}

// What `scale comment -` writes for the same buffer (the path names a different file on disk).
std::string CommentCli(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"comment", "-", "--assume-filename", "/work/pkg/mé.py"};
  args.insert(args.end(), extra.begin(), extra.end());
  for (const auto& a : ModelArgs()) args.push_back(a);
  auto r = testing::RunScale(args, kBuffer);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(LspServerTest, LifecycleAndExitCodes) {
  {
    LspProcess lsp({"-m", "/nonexistent.gguf"});
    json before = lsp.Call(1, "textDocument/codeAction", json::object());
    EXPECT_EQ(before["error"]["code"], kServerNotInitialized) << before;
    json init = Initialize(lsp);
    EXPECT_EQ(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    EXPECT_EQ(init["result"]["capabilities"]["codeActionProvider"]["resolveProvider"], true);
    EXPECT_EQ(init["result"]["serverInfo"]["name"], "scale");
    EXPECT_EQ(lsp.Call(2, "initialize", Capabilities())["error"]["code"], kInvalidRequest);
    json r = lsp.Call(999, "shutdown", nullptr);
    EXPECT_TRUE(r.contains("result") && r["result"].is_null()) << r;
    EXPECT_EQ(lsp.Call(3, "textDocument/codeAction", json::object())["error"]["code"], kInvalidRequest);
    lsp.Notify("exit", nullptr);
    EXPECT_EQ(lsp.Wait(), 0);
  }
  {
    LspProcess lsp({"-m", "/nonexistent.gguf"});
    Initialize(lsp);
    lsp.Notify("exit", nullptr);
    EXPECT_EQ(lsp.Wait(), 1);  // exit without shutdown
  }
  {
    LspProcess lsp({"-m", "/nonexistent.gguf"});
    Initialize(lsp);
    lsp.CloseInput();
    EXPECT_EQ(lsp.Wait(), 1);  // the client vanished
  }
}

TEST(LspServerTest, BadMessagesGetJsonRpcErrorsAndTheServerGoesOn) {
  LspProcess lsp({"-m", "/nonexistent.gguf"});
  Initialize(lsp);
  lsp.SendRaw("Content-Length: 9\r\n\r\n{not json");
  json parse = lsp.Next();
  EXPECT_EQ(parse["error"]["code"], kParseError) << parse;
  EXPECT_TRUE(parse["id"].is_null());
  const std::string no_version = R"({"id":5,"method":"x"})";  // no "jsonrpc": "2.0"
  lsp.SendRaw("Content-Length: " + std::to_string(no_version.size()) + "\r\n\r\n" + no_version);
  json invalid = lsp.Next();
  EXPECT_EQ(invalid["error"]["code"], kInvalidRequest) << invalid;
  EXPECT_EQ(invalid["id"], 5);
  lsp.Notify("no/suchNotification", json::object());  // ignored: no reply
  EXPECT_EQ(lsp.Call(6, "no/suchMethod", json::object())["error"]["code"], kMethodNotFound);
  EXPECT_EQ(lsp.Call(7, "textDocument/codeAction", {{"textDocument", 3}})["error"]["code"], kInvalidParams);
  EXPECT_EQ(lsp.Call(8, "codeAction/resolve", {{"title", "x"}})["error"]["code"], kInvalidParams);
  Open(lsp);
  // The model could not be loaded: the action is still offered, resolving it says why it fails.
  json actions = CodeActions(lsp, 9, 4, 0);
  json failed = lsp.Call(10, "codeAction/resolve", ActionTitled(actions, "Write doc comment"));
  EXPECT_EQ(failed["error"]["code"], kRequestFailed) << failed;
  EXPECT_NE(failed["error"]["message"].get<std::string>().find("model"), std::string::npos) << failed;
  EXPECT_TRUE(lsp.seen.empty()) << lsp.seen.front();
  EXPECT_EQ(ShutdownAndExit(lsp), 0);
}

TEST(LspServerTest, ResolveGivesTheVerifiedEditOfTheBufferWithProgress) {
  testing::TempDir dir;
  LspProcess lsp(ModelArgs());
  Initialize(lsp, Capabilities(/*resolve=*/true, /*progress=*/true));
  Open(lsp);
  // Line 4 is `    t = "𝄞𝄞"; return a + b`: UTF-16 column 14 is "return" (byte column 18).
  json actions = CodeActions(lsp, 1, 4, 14);
  json write = ActionTitled(actions, "Write doc comment");
  ASSERT_TRUE(write.is_object());
  EXPECT_FALSE(write.contains("edit"));  // computed lazily, in resolve
  EXPECT_EQ(write["data"]["name"], "add");
  json resolved = lsp.Call(2, "codeAction/resolve", write);
  ASSERT_TRUE(resolved.contains("result")) << resolved;
  const std::string with_doc = Applied(kBuffer, resolved["result"]["edit"], Encoding::kUtf16);
  EXPECT_EQ(resolved["result"]["edit"]["documentChanges"][0]["textDocument"]["version"], 1);
  EXPECT_EQ(with_doc, CommentCli({"--only", "add", "--existing", "update"}));
  EXPECT_NE(with_doc, kBuffer);
  // Progress: begin ... end on the token the client accepted, before the response.
  std::vector<std::string> kinds;
  for (const auto& m : lsp.seen) {
    if (m.value("method", "") == "$/progress") kinds.push_back(m["params"]["value"]["kind"]);
  }
  ASSERT_GE(kinds.size(), 2u);
  EXPECT_EQ(kinds.front(), "begin");
  EXPECT_EQ(kinds.back(), "end");

  // The same warm model documents the whole file; the cursor on a blank line offers only that.
  json file_actions = CodeActions(lsp, 3, 1, 0);
  ASSERT_EQ(file_actions["result"].size(), 1u) << file_actions;
  json file = lsp.Call(4, "codeAction/resolve", ActionTitled(file_actions, "Document this file"));
  ASSERT_TRUE(file.contains("result")) << file;
  EXPECT_EQ(Applied(kBuffer, file["result"]["edit"], Encoding::kUtf16), CommentCli({}));

  // After an edit the old action is stale.
  lsp.Notify("textDocument/didChange", {{"textDocument", {{"uri", kUri}, {"version", 2}}},
                                        {"contentChanges", json::array({{{"text", with_doc}}})}});
  json stale = lsp.Call(5, "codeAction/resolve", write);
  EXPECT_EQ(stale["error"]["code"], kContentModified) << stale;
  json update = ActionTitled(CodeActions(lsp, 6, 5, 0), "Update doc comment");  // the cursor on the new docstring
  EXPECT_EQ(update["data"]["name"], "add");
  EXPECT_EQ(ShutdownAndExit(lsp), 0);
}

TEST(LspServerTest, CancelledResolveAnswersRequestCancelledAndTheNextOneWorks) {
  LspProcess lsp(ModelArgs());
  Initialize(lsp);
  Open(lsp);
  json file = ActionTitled(CodeActions(lsp, 1, 0, 0), "Document this file");
  lsp.Send(Request(2, "codeAction/resolve", file));
  lsp.Notify("$/cancelRequest", {{"id", 2}});
  json cancelled = lsp.Await(2);
  EXPECT_EQ(cancelled["error"]["code"], kRequestCancelled) << cancelled;
  json again = lsp.Call(3, "codeAction/resolve", file);
  ASSERT_TRUE(again.contains("result")) << again;
  EXPECT_NE(Applied(kBuffer, again["result"]["edit"], Encoding::kUtf16), kBuffer);
  EXPECT_EQ(ShutdownAndExit(lsp), 0);
}

TEST(LspServerTest, Utf8PositionsAndCommandFallbackWithoutResolve) {
  LspProcess lsp(ModelArgs());
  json init = Initialize(lsp, Capabilities(/*resolve=*/false, /*progress=*/false, /*utf8=*/true));
  EXPECT_EQ(init["result"]["capabilities"]["positionEncoding"], "utf-8");
  Open(lsp);
  // Byte column 18 of line 4 is "return" in add (UTF-16 column 18 would be past the line's end,
  // which also means add; line 8's column 4 is sub either way).
  json write = ActionTitled(CodeActions(lsp, 1, 8, 4), "Write doc comment");
  EXPECT_EQ(write["data"]["name"], "sub");
  ASSERT_TRUE(write.contains("command")) << write;
  json done = lsp.Call(2, "workspace/executeCommand", write["command"]);
  EXPECT_TRUE(done.contains("result")) << done;
  json apply;
  for (const auto& m : lsp.seen) {
    if (m.value("method", "") == "workspace/applyEdit") apply = m;
  }
  ASSERT_TRUE(apply.is_object()) << "no workspace/applyEdit";
  lsp.Send(Response(apply["id"], {{"applied", true}}));
  EXPECT_EQ(Applied(kBuffer, apply["params"]["edit"], Encoding::kUtf8),
            CommentCli({"--only", "sub", "--existing", "update"}));
  EXPECT_EQ(ShutdownAndExit(lsp), 0);
}

}  // namespace
}  // namespace scale::lsp
