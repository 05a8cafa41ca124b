#include "summarize/output.h"

#include <nlohmann/json.hpp>

#include "util/fs.h"
#include "util/json_text.h"

namespace scale::summarize {
namespace fs = std::filesystem;
namespace {

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string SummaryText(const Node& node) {
  return node.summary.empty() ? "_(no summary: " + (node.error.empty() ? std::string("not run") : node.error) + ")_"
                              : node.summary;
}

// Markdown line breaks inside a list item: keep the summary's lines together under the item.
std::string Indented(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\n' ? std::string("  \n  ") : std::string(1, c);
  return out;
}

std::string FolderSection(const Tree& tree, const Node& folder, bool links) {
  std::string out = SummaryText(folder) + "\n";
  std::string subfolders, files;
  for (size_t c : folder.children) {
    const Node& child = tree.nodes[c];
    std::string name = Basename(child.path);
    if (child.kind == NodeKind::kFile) {
      files += "- `" + name + "`: " + Indented(SummaryText(child)) + "\n";
    } else {
      subfolders += links ? "- [" + name + "/](" + name + "/SUMMARY.md): " + Indented(SummaryText(child)) + "\n"
                          : "- `" + name + "/`: " + Indented(SummaryText(child)) + "\n";
    }
  }
  if (!subfolders.empty()) out += "\n## Folders\n\n" + subfolders;
  if (!files.empty()) out += "\n## Files\n\n" + files;
  return out;
}

}  // namespace

void WriteMarkdownTree(const Tree& tree, const fs::path& dir) {
  for (const Node& node : tree.nodes) {
    if (node.kind != NodeKind::kFolder && node.kind != NodeKind::kRepo) continue;
    bool repo = node.kind == NodeKind::kRepo;
    fs::path target = repo ? dir : dir / node.path;
    std::error_code ec;
    fs::create_directories(target, ec);
    std::string title = repo ? tree.root_name : node.path + "/";
    std::string text = "# " + title + "\n\n" + FolderSection(tree, node, true);
    if (!repo) text += "\n[Up](../SUMMARY.md)\n";  // the parent's SUMMARY.md is always one level up
    WriteFileAtomic(target / "SUMMARY.md", text);
  }
}

std::string MarkdownDocument(const Tree& tree) {
  std::string out = "# " + tree.root_name + "\n\n" + FolderSection(tree, tree.nodes[tree.root], false);
  for (const Node& node : tree.nodes) {
    if (node.kind != NodeKind::kFolder) continue;
    out += "\n# " + node.path + "/\n\n" + FolderSection(tree, node, false);
  }
  return out;
}

std::string JsonLines(const Tree& tree, const std::string& model) {
  std::string out;
  for (const Node& node : tree.nodes) {
    nlohmann::ordered_json j;
    j["path"] = JsonSafe(node.path);  // file names are bytes; distinct names must print distinctly
    bool lines = node.kind == NodeKind::kChunk || node.kind == NodeKind::kFile;
    j["start_line"] = lines ? nlohmann::ordered_json(node.start_line) : nlohmann::ordered_json(nullptr);
    j["end_line"] = lines ? nlohmann::ordered_json(node.end_line) : nlohmann::ordered_json(nullptr);
    j["kind"] = NodeKindName(node.kind);
    j["summary"] = node.summary;
    j["model"] = model;
    j["prompt_tokens"] = node.prompt_tokens;
    j["completion_tokens"] = node.completion_tokens;
    j["cached"] = node.cached;
    if (!node.error.empty()) j["error"] = node.error;
    out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return out;
}

}  // namespace scale::summarize
