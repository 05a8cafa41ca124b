#include "annotate/changed.h"

#include <algorithm>
#include <system_error>

#include "util/error.h"
#include "util/log.h"
#include "walk/git_repo.h"

namespace scale::annotate {
namespace {

// 1-based line of each byte offset, by binary search over line starts.
class LineIndex {
 public:
  explicit LineIndex(const std::string& text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }
  int LineOf(size_t offset) const {
    return static_cast<int>(std::upper_bound(starts_.begin(), starts_.end(), offset) - starts_.begin());
  }
  int Lines() const { return static_cast<int>(starts_.size()); }

 private:
  std::vector<size_t> starts_;
};

}  // namespace

std::vector<bool> ChangedRoutines(const languages::ParsedFile& file, const walk::FileChanges& changes) {
  const size_t n = file.routines.size();
  if (changes.whole) return std::vector<bool>(n, true);
  std::vector<bool> touched(n, false);
  if (changes.lines.empty() || n == 0) return touched;
  LineIndex index(file.text);
  // owner[line]: the innermost routine whose lines hold it. Routines come parents first (a parent
  // is listed before what it encloses), so a later, deeper routine overwrites its parent's lines.
  std::vector<int> owner(index.Lines() + 2, -1);
  std::vector<int> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return file.routines[a].depth < file.routines[b].depth; });
  for (int id : order) {
    const languages::Routine& r = file.routines[id];
    int first = r.start_line;
    if (r.has_comment) first = std::min(first, index.LineOf(r.comment_begin));
    int last = std::max(r.end_line, first);
    for (int line = std::max(1, first); line <= last && line < static_cast<int>(owner.size()); ++line) owner[line] = id;
  }
  for (const walk::LineRange& range : changes.lines) {
    int last = std::min(range.last, static_cast<int>(owner.size()) - 1);
    for (int line = std::max(1, range.first); line <= last; ++line) {
      if (owner[line] >= 0) touched[owner[line]] = true;
    }
  }
  return touched;
}

std::map<std::string, walk::FileChanges> KeepChanged(const std::string& ref, std::vector<InputFile>* inputs) {
  namespace fs = std::filesystem;
  std::map<fs::path, walk::RepoChanges> repos;  // by working tree
  std::map<std::string, walk::FileChanges> out;
  std::vector<InputFile> kept;
  for (InputFile& in : *inputs) {
    std::error_code ec;
    fs::path path = fs::weakly_canonical(fs::absolute(in.path, ec), ec);
    if (ec) path = fs::absolute(in.path).lexically_normal();
    auto repo = walk::FindRepository(path.parent_path(), false);
    if (!repo) throw Error(kExitUsage, "--changed: " + in.path.string() + " is not in a git working tree");
    auto it = repos.find(repo->workdir);
    if (it == repos.end()) {
      it = repos.emplace(repo->workdir, walk::ChangesSince(repo->workdir, ref)).first;
      LogInfo("--changed: " + repo->workdir.string() + " compared with " + it->second.base);
    }
    auto file = it->second.files.find(path);
    if (file == it->second.files.end()) {
      LogVerbose(in.path.string() + ": unchanged, skipped");
      continue;
    }
    out[in.path.string()] = file->second;
    kept.push_back(std::move(in));
  }
  *inputs = std::move(kept);
  return out;
}

}  // namespace scale::annotate
