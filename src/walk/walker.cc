#include "walk/walker.h"

#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <system_error>
#include <utility>

#include "util/error.h"
#include "walk/dir_reader.h"
#include "walk/skip_rules.h"
#include "walk/tree_ignore.h"
#include "walk/wildmatch.h"

namespace scale::walk {
namespace fs = std::filesystem;
namespace {

std::string Join(const std::string& dir, const std::string& name) { return dir.empty() ? name : dir + "/" + name; }

std::vector<std::string> Split(const std::string& rel) {
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t slash = rel.find('/', start);
    parts.push_back(rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

class Walker {
 public:
  Walker(const fs::path& root, const Options& options) : options_(options), ignore_(root) { result_.root = root; }

  void WalkDir(int dir, const std::string& rel) {
    dev_t dev = 0;
    ino_t ino = 0;
    if (DirIdentity(dir, &dev, &ino)) open_.insert({dev, ino});
    ignore_.Enter(rel, dir);
    for (const DirEntry& e : ListDir(dir)) {
      const std::string child = Join(rel, e.name);
      switch (e.type) {
        case EntryType::kDir: {
          if (e.name == ".git" || (options_.skip_hidden && e.name[0] == '.')) break;
          if (ignore_.Ignored(child, true) || Excluded(child)) break;
          if (IsVendoredDir(e.name) || (options_.skip_dir && options_.skip_dir(e.name))) break;
          // Without following symlinks a loop needs a bind mount; refuse one all the same.
          if (open_.count({e.dev, e.ino})) {
            result_.skipped.push_back({child, "directory loop"});
            break;
          }
          DirHandle sub = OpenChildDir(dir, e.name);
          if (sub.fd() < 0) {
            result_.skipped.push_back({child, "unreadable"});
            break;
          }
          WalkDir(sub.fd(), child);
          break;
        }
        case EntryType::kFile:
          AddFile(dir, e.name, child);
          break;
        case EntryType::kSymlink:
          // Never followed: a link may point out of the tree or back up it. (A link named on the
          // command line is resolved before the walk and taken as given.)
          if (Wanted(child, e.name)) result_.skipped.push_back({child, "symlink"});
          break;
        case EntryType::kOther:
          if (Wanted(child, e.name)) result_.skipped.push_back({child, "not a regular file"});
          break;
      }
    }
    ignore_.Leave();
    open_.erase({dev, ino});
  }

  // A path named on the command line, below the root: the directories on the way apply their
  // .gitignore files but are not themselves judged (the user named what is inside them).
  void WalkTarget(int root, const std::string& rel, bool is_dir) {
    std::vector<std::string> parts = Split(rel);
    const size_t dirs = is_dir ? parts.size() : parts.size() - 1;
    std::vector<DirHandle> handles;
    int current = root;
    std::string at;
    ignore_.Enter("", root);
    size_t entered = 1;
    bool reached = true;
    for (size_t k = 0; k < dirs; ++k) {
      DirHandle h = OpenChildDir(current, parts[k]);
      at = Join(at, parts[k]);
      if (h.fd() < 0) {
        result_.skipped.push_back({at, "unreadable"});
        reached = false;
        break;
      }
      current = h.fd();
      handles.push_back(std::move(h));
      if (k + 1 < dirs || !is_dir) {
        ignore_.Enter(at, current);
        ++entered;
      }
    }
    if (reached) {
      if (is_dir) {
        WalkDir(current, rel);
      } else {
        AddFile(current, parts.back(), rel);
      }
    }
    while (entered-- > 0) ignore_.Leave();
  }

  Result Take() { return std::move(result_); }

 private:
  bool Excluded(const std::string& rel) const {
    return std::any_of(options_.exclude.begin(), options_.exclude.end(),
                       [&](const std::string& g) { return MatchesUserGlob(g, rel); });
  }

  // Whether a file the walk meets is one the caller asked for at all (skips are reported only
  // for those).
  bool Wanted(const std::string& rel, const std::string& name) const {
    if (ignore_.Ignored(rel, false) || Excluded(rel)) return false;
    if (name == ".gitignore" || name == ".gitattributes" || name == ".gitmodules" || name == ".git") return false;
    if (options_.skip_hidden && name[0] == '.') return false;
    if (!options_.include.empty() &&
        std::none_of(options_.include.begin(), options_.include.end(),
                     [&](const std::string& g) { return MatchesUserGlob(g, rel); })) {
      return false;
    }
    return !options_.want_file || options_.want_file(rel);
  }

  void AddFile(int dir, const std::string& name, const std::string& rel) {
    if (!Wanted(rel, name) || !added_.insert(rel).second) return;
    std::string text;
    std::string reason;
    if (options_.read_contents) {
      switch (ReadRegularAt(dir, name, options_.max_file_bytes, false, &text)) {
        case ReadStatus::kOk: reason = SkipReason(rel, text); break;
        case ReadStatus::kTooLarge: reason = "too large"; break;
        case ReadStatus::kNotRegular: reason = "not a regular file"; break;
        default: reason = "unreadable"; break;
      }
    } else {
      std::string head;
      ReadStatus status = ReadRegularAt(dir, name, kPolicyHeadBytes, true, &head);
      if (status == ReadStatus::kNotRegular) reason = "not a regular file";
      // Unreadable files are kept: the caller reads them itself and reports why it cannot.
      if (status == ReadStatus::kOk) reason = PolicySkipReason(rel, head);
    }
    if (!reason.empty()) {
      result_.skipped.push_back({rel, reason});
      return;
    }
    result_.files.push_back({rel, std::move(text)});
  }

  const Options& options_;
  TreeIgnore ignore_;
  Result result_;
  std::set<std::pair<dev_t, ino_t>> open_;  // directories on the current path
  std::set<std::string> added_;
};

}  // namespace

bool MatchesUserGlob(const std::string& glob, const std::string& rel) {
  std::string g = glob;
  while (g.size() > 1 && g.back() == '/') g.pop_back();
  if (g.rfind("./", 0) == 0) g.erase(0, 2);
  const size_t slash = rel.rfind('/');
  if (g.find('/') == std::string::npos) return GlobMatch(g, slash == std::string::npos ? rel : rel.substr(slash + 1));
  if (g[0] == '/') g.erase(0, 1);
  // A directory glob also covers everything below it.
  return GlobMatch(g, rel) || GlobMatch(g + "/**", rel);
}

Result Walk(const std::vector<fs::path>& paths, const Options& options) {
  if (paths.empty()) throw Error(kExitUsage, "no path to walk");
  struct Target {
    fs::path path;
    bool is_dir;
  };
  std::vector<Target> targets;
  for (const fs::path& p : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);  // follows a symlink: a named link is taken as given
    if (ec || !fs::exists(st)) throw Error(kExitInput, p.string() + ": no such file or directory");
    if (!fs::is_directory(st) && !fs::is_regular_file(st)) {
      throw Error(kExitInput, p.string() + ": not a regular file or directory (a FIFO, device or socket)");
    }
    fs::path absolute = fs::absolute(p, ec);
    fs::path canonical = ec ? fs::path() : fs::weakly_canonical(absolute, ec);
    if (ec) throw Error(kExitInput, p.string() + ": cannot resolve: " + ec.message());
    targets.push_back({canonical, fs::is_directory(st)});
  }
  fs::path root = targets[0].is_dir ? targets[0].path : targets[0].path.parent_path();
  for (const Target& t : targets) {
    fs::path dir = t.is_dir ? t.path : t.path.parent_path();
    while (!root.empty() && std::mismatch(root.begin(), root.end(), dir.begin(), dir.end()).first != root.end()) {
      root = root.parent_path();
    }
  }
  DirHandle root_dir = OpenDir(root);
  if (root_dir.fd() < 0) throw Error(kExitInput, root.string() + ": cannot open directory");
  Walker walker(root, options);
  std::sort(targets.begin(), targets.end(), [](const Target& a, const Target& b) { return a.path < b.path; });
  if (targets.size() == 1 && targets[0].is_dir) {
    walker.WalkDir(root_dir.fd(), "");
    return walker.Take();
  }
  std::vector<std::string> walked_dirs;
  for (const Target& t : targets) {
    std::string rel = t.path.lexically_relative(root).generic_string();
    if (rel == ".") rel.clear();
    // Inside a directory already walked: done.
    if (std::any_of(walked_dirs.begin(), walked_dirs.end(), [&](const std::string& d) {
          return d.empty() || rel == d || rel.rfind(d + "/", 0) == 0;
        })) {
      continue;
    }
    if (rel.empty()) {
      walker.WalkDir(root_dir.fd(), "");
    } else {
      walker.WalkTarget(root_dir.fd(), rel, t.is_dir);
    }
    if (t.is_dir) walked_dirs.push_back(rel);
  }
  return walker.Take();
}

}  // namespace scale::walk
