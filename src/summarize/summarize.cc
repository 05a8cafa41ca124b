#include "summarize/summarize.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <sstream>

#include "util/log.h"
#include "util/progress.h"
#include "util/text.h"

namespace scale::summarize {
namespace {

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string ChildLine(const Node& child) {
  std::string text = child.summary.empty() ? "(no summary: " + child.error + ")" : child.summary;
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  switch (child.kind) {
    case NodeKind::kChunk: return "- lines " + std::to_string(child.start_line) + "-" + std::to_string(child.end_line) + ": " + text;
    case NodeKind::kFile: return "- " + Basename(child.path) + " (file): " + text;
    default: return "- " + Basename(child.path) + "/ (folder): " + text;
  }
}

// Keeps the first `keep` lines of `text` and says how much was left out.
std::string KeepLines(const std::string& text, size_t keep) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  if (keep >= lines.size()) return text;
  std::string out;
  for (size_t i = 0; i < keep; ++i) out += lines[i] + "\n";
  return out + "[... " + std::to_string(lines.size() - keep) + " more lines not shown]\n";
}

size_t LineCount(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1; }

}  // namespace

double SummarizeStats::chunks_per_minute() const {
  return seconds > 0 ? static_cast<double>(chunks_decoded) * 60.0 / seconds : 0;
}
double SummarizeStats::tokens_per_second() const {
  return seconds > 0 ? static_cast<double>(prompt_tokens + completion_tokens) / seconds : 0;
}

std::string CleanSummary(const std::string& text, int lines) {
  std::istringstream in(text);
  std::string out;
  int kept = 0;
  for (std::string line; kept < lines && std::getline(in, line);) {
    line = Trim(line);
    if (line.empty()) continue;
    out += (kept++ ? "\n" : "") + line;
  }
  return out;
}

engine::Request NodeRequest(engine::Llm& llm, const PromptSet& prompts, const Tree& tree, size_t index,
                            const SummarizeOptions& options) {
  const Node& node = tree.nodes[index];
  const PromptTemplate& t = node.kind == NodeKind::kChunk ? prompts.chunk
                            : node.kind == NodeKind::kFile ? prompts.file
                                                           : prompts.folder;
  std::string body;  // the part that may be shortened to fit
  if (node.kind == NodeKind::kChunk) {
    body = node.code;
  } else {
    for (size_t child : node.children) body += ChildLine(tree.nodes[child]) + "\n";
  }
  std::map<std::string, std::string> vars = {
      {"lines", std::to_string(options.lines)},
      {"path", node.kind == NodeKind::kRepo ? tree.root_name : node.path},
      {"start_line", std::to_string(node.start_line)},
      {"end_line", std::to_string(node.end_line)},
      {"language", node.language}};
  engine::Request request;
  request.sampling = options.sampling;
  request.time_limit_s = options.time_limit_s;
  request.affinity = node.path;  // a file's chunks and the file share its code: one server (remote/routing.h)
  request.id = std::string(NodeKindName(node.kind)) + " " + node.path +
               (node.kind == NodeKind::kChunk ? ":" + std::to_string(node.start_line) : "");
  size_t keep = LineCount(body);
  for (int attempt = 0; attempt < 30; ++attempt) {
    vars["code"] = vars["summaries"] = KeepLines(body, keep);
    request.messages = {{engine::Role::kSystem, FillTemplate(t.system, vars)},
                        {engine::Role::kUser, FillTemplate(t.user, vars)}};
    int prompt = llm.CountPromptTokens(request.messages);
    if (prompt + request.sampling.max_tokens <= llm.ContextSize() || keep <= 1) break;
    // Cut in proportion to the overshoot (a little more, so this converges in a few rounds).
    double room = std::max(0.0, static_cast<double>(llm.ContextSize() - request.sampling.max_tokens));
    size_t next = static_cast<size_t>(static_cast<double>(keep) * room / prompt * 0.95);
    keep = std::min(keep - 1, std::max<size_t>(1, next));
  }
  return request;
}

SummarizeStats Summarize(engine::Llm& llm, const PromptSet& prompts, Tree& tree, const SummarizeOptions& options,
                         SummaryCache* cache) {
  const auto start = std::chrono::steady_clock::now();
  SummarizeStats stats;
  stats.files = tree.Count(NodeKind::kFile);
  stats.folders = options.files_only ? 0 : tree.Count(NodeKind::kFolder);  // summarised ones
  const std::string fingerprint = llm.Fingerprint();
  auto skipped = [&](const Node& n) {
    return n.preset || (options.files_only && (n.kind == NodeKind::kFolder || n.kind == NodeKind::kRepo));
  };
  size_t total = 0;
  for (const Node& n : tree.nodes) total += !skipped(n) && (n.children.size() != 1 || n.kind == NodeKind::kChunk);
  Progress progress("summarize", total, options.progress && Progress::DefaultEnabled());
  size_t chunks_now = 0;

  std::vector<engine::Job> jobs(tree.nodes.size());
  for (size_t i = 0; i < tree.nodes.size(); ++i) {
    jobs[i].deps = tree.nodes[i].children;
    auto key = std::make_shared<std::string>();
    jobs[i].make = [&, i, key]() -> std::optional<engine::Request> {
      Node& node = tree.nodes[i];
      if (skipped(node)) return std::nullopt;
      if (node.kind != NodeKind::kChunk && node.children.size() == 1) {
        // One child says it all; asking the model to summarise a summary only loses detail.
        const Node& child = tree.nodes[node.children[0]];
        node.summary = child.summary;
        node.error = child.error;
        node.reused = true;
        return std::nullopt;
      }
      if (node.kind != NodeKind::kChunk && node.children.empty()) {
        node.error = "empty";
        return std::nullopt;
      }
      ++stats.summaries;
      engine::Request request = NodeRequest(llm, prompts, tree, i, options);
      if (cache != nullptr) {
        *key = SummaryCache::Key(fingerprint, request);
        if (std::optional<CachedSummary> hit = cache->Get(*key)) {
          node.summary = hit->summary;
          node.prompt_tokens = hit->prompt_tokens;
          node.completion_tokens = hit->completion_tokens;
          node.cached = true;
          ++stats.cache_hits;
          progress.Advance(request.id);
          return std::nullopt;
        }
      }
      progress.Start(request.id);
      return request;
    };
    jobs[i].done = [&, i, key](const engine::Response& response) {
      Node& node = tree.nodes[i];
      node.prompt_tokens = response.prompt_tokens;
      node.cached_prompt_tokens = response.cached_prompt_tokens;
      node.completion_tokens = response.completion_tokens;
      stats.prompt_tokens += response.prompt_tokens;
      stats.cached_prompt_tokens += response.cached_prompt_tokens;
      stats.completion_tokens += response.completion_tokens;
      if (node.kind == NodeKind::kChunk) ++chunks_now;
      node.summary = response.ok() ? CleanSummary(response.text, options.lines) : "";
      if (!response.ok()) {
        node.error = std::string(engine::FinishReasonName(response.finish)) +
                     (response.error.empty() ? "" : ": " + response.error);
      } else if (node.summary.empty()) {
        node.error = "the model gave an empty answer";
      }
      if (node.error.empty() && cache != nullptr && !key->empty()) {
        cache->Put(*key, {node.summary, response.prompt_tokens, response.completion_tokens});
      }
      progress.Advance(node.kind == NodeKind::kChunk ? node.path : node.path + "/", response.completion_tokens);
    };
  }
  llm.RunJobs(jobs);
  progress.Finish();
  for (const Node& n : tree.nodes) {
    if (options.files_only && (n.kind == NodeKind::kFolder || n.kind == NodeKind::kRepo)) continue;
    if (!n.reused && n.summary.empty() && !(n.kind != NodeKind::kChunk && n.children.empty())) ++stats.failed;
  }
  stats.chunks = tree.Count(NodeKind::kChunk);
  stats.chunks_decoded = chunks_now;
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (llm.cancelled()) LogWarning("interrupted: summaries not yet made were left out");
  return stats;
}

}  // namespace scale::summarize
