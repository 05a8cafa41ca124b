#include "summarize/tree.h"

#include <algorithm>
#include <map>
#include <memory>

#include "languages/language.h"
#include "summarize/chunker.h"
#include "util/sha256.h"

namespace scale::summarize {
namespace {

struct Dir {
  std::map<std::string, std::unique_ptr<Dir>> dirs;  // name order
  std::vector<FileNodes*> files;                     // walk order == name order
};

class Builder {
 public:
  explicit Builder(Tree* tree) : tree_(tree) {}

  size_t Add(const Dir& dir, const std::string& path, bool is_root) {
    std::vector<size_t> children;
    for (FileNodes* f : dir.files) children.push_back(AddFile(std::move(*f)));
    for (const auto& [name, sub] : dir.dirs) children.push_back(Add(*sub, path.empty() ? name : path + "/" + name, false));
    Node node;
    node.kind = is_root ? NodeKind::kRepo : NodeKind::kFolder;
    node.path = is_root ? "." : path;
    node.children = children;
    return Push(std::move(node));
  }

 private:
  size_t AddFile(FileNodes file) {
    Node node = std::move(file.file);
    node.children.clear();
    for (Node& chunk : file.chunks) {
      chunk.children.clear();
      node.children.push_back(Push(std::move(chunk)));
    }
    return Push(std::move(node));
  }

  size_t Push(Node node) {
    size_t index = tree_->nodes.size();
    for (size_t child : node.children) tree_->nodes[child].parent = static_cast<long>(index);
    tree_->nodes.push_back(std::move(node));
    return index;
  }

  Tree* tree_;
};

}  // namespace

const char* NodeKindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kChunk: return "chunk";
    case NodeKind::kFile: return "file";
    case NodeKind::kFolder: return "folder";
    case NodeKind::kRepo: return "repo";
  }
  return "?";
}

size_t Tree::Count(NodeKind kind) const {
  return static_cast<size_t>(std::count_if(nodes.begin(), nodes.end(), [&](const Node& n) { return n.kind == kind; }));
}

std::vector<FileNodes> CutFiles(const WalkResult& walk, int chunk_lines) {
  std::vector<FileNodes> out;
  for (const WalkedFile& f : walk.files) {
    std::vector<Chunk> chunks = ChunkFile(f.rel, f.text, chunk_lines);
    auto language = languages::LanguageForPath(f.rel);
    std::string lang = language ? languages::LanguageName(*language) : "text";
    FileNodes file;
    file.file.kind = NodeKind::kFile;
    file.file.path = f.rel;
    file.sha256 = Sha256Hex(f.text);
    file.file.start_line = chunks.empty() ? 0 : chunks.front().start_line;
    file.file.end_line = chunks.empty() ? 0 : chunks.back().end_line;
    for (Chunk& c : chunks) {
      Node chunk;
      chunk.kind = NodeKind::kChunk;
      chunk.path = f.rel;
      chunk.start_line = c.start_line;
      chunk.end_line = c.end_line;
      chunk.code = std::move(c.text);
      chunk.language = lang;
      file.chunks.push_back(std::move(chunk));
    }
    out.push_back(std::move(file));
  }
  return out;
}

Tree BuildTreeFromFiles(const std::string& root_name, std::vector<FileNodes> files) {
  Dir root;
  for (FileNodes& f : files) {
    const std::string& rel = f.file.path;
    Dir* dir = &root;
    size_t start = 0, slash;
    while ((slash = rel.find('/', start)) != std::string::npos) {
      auto& sub = dir->dirs[rel.substr(start, slash - start)];
      if (!sub) sub = std::make_unique<Dir>();
      dir = sub.get();
      start = slash + 1;
    }
    dir->files.push_back(&f);
  }
  Tree tree;
  tree.root_name = root_name;
  tree.root = Builder(&tree).Add(root, "", true);
  return tree;
}

Tree BuildTree(const WalkResult& walk, int chunk_lines) {
  std::string root_name = walk.root.filename().string();
  if (root_name.empty()) root_name = walk.root.string();
  return BuildTreeFromFiles(root_name, CutFiles(walk, chunk_lines));
}

}  // namespace scale::summarize
