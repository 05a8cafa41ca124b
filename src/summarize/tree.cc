#include "summarize/tree.h"

#include <algorithm>
#include <map>
#include <memory>

#include "languages/language.h"
#include "summarize/chunker.h"

namespace scale::summarize {
namespace {

struct Dir {
  std::map<std::string, std::unique_ptr<Dir>> dirs;  // name order
  std::vector<const WalkedFile*> files;              // walk order == name order
};

class Builder {
 public:
  Builder(Tree* tree, int chunk_lines) : tree_(tree), chunk_lines_(chunk_lines) {}

  size_t Add(const Dir& dir, const std::string& path, bool is_root) {
    std::vector<size_t> children;
    for (const WalkedFile* f : dir.files) children.push_back(AddFile(*f));
    for (const auto& [name, sub] : dir.dirs) children.push_back(Add(*sub, path.empty() ? name : path + "/" + name, false));
    Node node;
    node.kind = is_root ? NodeKind::kRepo : NodeKind::kFolder;
    node.path = is_root ? "." : path;
    node.children = children;
    return Push(std::move(node));
  }

 private:
  size_t AddFile(const WalkedFile& file) {
    std::vector<Chunk> chunks = ChunkFile(file.rel, file.text, chunk_lines_);
    auto language = languages::LanguageForPath(file.rel);
    std::string lang = language ? languages::LanguageName(*language) : "text";
    Node node;
    node.kind = NodeKind::kFile;
    node.path = file.rel;
    node.start_line = chunks.empty() ? 0 : chunks.front().start_line;
    node.end_line = chunks.empty() ? 0 : chunks.back().end_line;
    for (Chunk& c : chunks) {
      Node chunk;
      chunk.kind = NodeKind::kChunk;
      chunk.path = file.rel;
      chunk.start_line = c.start_line;
      chunk.end_line = c.end_line;
      chunk.code = std::move(c.text);
      chunk.language = lang;
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
  int chunk_lines_;
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

Tree BuildTree(const WalkResult& walk, int chunk_lines) {
  Dir root;
  for (const WalkedFile& f : walk.files) {
    Dir* dir = &root;
    size_t start = 0, slash;
    while ((slash = f.rel.find('/', start)) != std::string::npos) {
      auto& sub = dir->dirs[f.rel.substr(start, slash - start)];
      if (!sub) sub = std::make_unique<Dir>();
      dir = sub.get();
      start = slash + 1;
    }
    dir->files.push_back(&f);
  }
  Tree tree;
  tree.root_name = walk.root.filename().string();
  if (tree.root_name.empty()) tree.root_name = walk.root.string();
  tree.root = Builder(&tree, chunk_lines).Add(root, "", true);
  return tree;
}

}  // namespace scale::summarize
