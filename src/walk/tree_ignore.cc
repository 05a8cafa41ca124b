#include "walk/tree_ignore.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <system_error>

#include "walk/dir_reader.h"
#include "walk/git_repo.h"

namespace scale::walk {
namespace fs = std::filesystem;
namespace {

constexpr uint64_t kMaxIgnoreFile = 16u << 20;

// git reads ignore files as they are, but (since 2.32) never a .gitignore that is a symlink.
std::string ReadIgnoreFile(int dir, const std::string& name) {
  std::string text;
  if (ReadRegularAt(dir, name, kMaxIgnoreFile, false, &text) != ReadStatus::kOk) return "";
  return text;
}

}  // namespace

TreeIgnore::Context TreeIgnore::OpenContext(const fs::path& dir, bool exactly_here, const std::string& walk_top,
                                            const fs::path& root) {
  Context c;
  c.walk_top = walk_top;
  std::optional<RepoIgnoreSources> repo = FindRepository(dir, exactly_here);
  if (!repo) return c;
  c.git = true;
  c.rules = IgnoreRules(repo->ignore_case);
  for (const fs::path& file : repo->exclude_files) {
    // Unlike a .gitignore, git follows a symlinked exclude file (dotfile managers make them).
    std::error_code ec;
    fs::path target = fs::canonical(file, ec);
    if (!ec) c.rules.AddFile("", ReadIgnoreFile(AT_FDCWD, target.string()));
  }
  if (!exactly_here) {
    // The root is inside the working tree: the .gitignore files above it apply too.
    fs::path rel = root.lexically_relative(repo->workdir);
    if (rel.empty() || *rel.begin() == "..") return Context{IgnoreRules(), walk_top, "", false};
    fs::path dir_path = repo->workdir;
    std::string prefix;
    if (rel != ".") {
      for (const fs::path& part : rel) {
        c.rules.AddFile(prefix.empty() ? "" : prefix.substr(0, prefix.size() - 1),
                        ReadIgnoreFile(AT_FDCWD, (dir_path / ".gitignore").string()));
        dir_path /= part;
        prefix += part.string() + "/";
      }
    }
    c.prefix = prefix;
  }
  return c;
}

TreeIgnore::TreeIgnore(const fs::path& root) : root_(root) { contexts_.push_back(OpenContext(root, false, "", root)); }

std::string TreeIgnore::RepoPath(const Context& c, const std::string& rel) const {
  if (c.walk_top.empty()) return rel.empty() && !c.prefix.empty() ? c.prefix.substr(0, c.prefix.size() - 1) : c.prefix + rel;
  return rel.size() > c.walk_top.size() ? rel.substr(c.walk_top.size() + 1) : "";
}

void TreeIgnore::Enter(const std::string& rel, int dir) {
  Frame frame;
  // A directory holding .git (a nested repository or a submodule) has rules of its own.
  struct stat st;
  if (!rel.empty() && fstatat(dir, ".git", &st, AT_SYMLINK_NOFOLLOW) == 0) {
    Context nested = OpenContext(root_ / rel, true, rel, root_);
    if (nested.git) {
      contexts_.push_back(std::move(nested));
      frame.pushed_context = true;
    }
  }
  Context& c = contexts_.back();
  frame.rules_before = c.rules.size();
  std::string at = RepoPath(c, rel);
  c.rules.AddFile(at, ReadIgnoreFile(dir, ".gitignore"));
  frames_.push_back(frame);
}

void TreeIgnore::Leave() {
  if (frames_.empty()) return;
  Frame frame = frames_.back();
  frames_.pop_back();
  if (frame.pushed_context) {
    contexts_.pop_back();
  } else {
    contexts_.back().rules.Truncate(frame.rules_before);
  }
}

bool TreeIgnore::Ignored(const std::string& rel, bool is_dir) const {
  if (rel.empty()) return false;
  const Context& c = contexts_.back();
  const std::string path = RepoPath(c, rel);
  return !path.empty() && c.rules.Ignored(path, is_dir);  // a repository's top is never its own rule's
}

}  // namespace scale::walk
