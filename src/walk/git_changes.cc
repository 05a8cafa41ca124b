#include "walk/git_changes.h"

#include <git2.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>

#include "util/error.h"

namespace scale::walk {
namespace fs = std::filesystem;
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;
using Repo = Owned<git_repository, git_repository_free>;
using Reference = Owned<git_reference, git_reference_free>;
using Object = Owned<git_object, git_object_free>;
using Commit = Owned<git_commit, git_commit_free>;
using Tree = Owned<git_tree, git_tree_free>;
using Diff = Owned<git_diff, git_diff_free>;

void InitLibgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

std::string LastGitError() {
  const git_error* e = git_error_last();
  std::string text = e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
  git_error_clear();
  return text;
}

std::string Short(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return std::string(buf).substr(0, 7);
}

fs::path Canonical(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : c;
}

// HEAD's commit, or nullopt while the branch is unborn.
std::optional<git_oid> HeadCommit(git_repository* repo) {
  git_oid oid;
  int rc = git_reference_name_to_id(&oid, repo, "HEAD");
  if (rc == 0) return oid;
  git_error_clear();
  return std::nullopt;
}

// The commit a revision names (a branch, tag, "HEAD~2", a hash).
git_oid ResolveCommit(git_repository* repo, const std::string& ref) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, ref.c_str()) != 0) {
    throw Error(kExitUsage, "--changed " + ref + ": no such revision (" + LastGitError() + ")");
  }
  Object object(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) != 0) {
    throw Error(kExitUsage, "--changed " + ref + ": not a commit (" + LastGitError() + ")");
  }
  git_oid oid = *git_object_id(peeled);
  git_object_free(peeled);
  return oid;
}

// The upstream of the branch HEAD is on ("origin/main"), if it has one.
std::optional<std::pair<git_oid, std::string>> Upstream(git_repository* repo) {
  git_reference* raw_head = nullptr;
  if (git_repository_head(&raw_head, repo) != 0) {
    git_error_clear();
    return std::nullopt;
  }
  Reference head(raw_head);
  git_reference* raw_up = nullptr;
  if (git_branch_upstream(&raw_up, head.get()) != 0) {
    git_error_clear();  // detached HEAD or no upstream configured
    return std::nullopt;
  }
  Reference up(raw_up);
  git_reference* raw_resolved = nullptr;
  if (git_reference_resolve(&raw_resolved, up.get()) != 0) {
    git_error_clear();
    return std::nullopt;
  }
  Reference resolved(raw_resolved);
  return std::make_pair(*git_reference_target(resolved.get()), std::string(git_reference_shorthand(up.get())));
}

// The commit to diff against and its description; nullopt: the empty tree (nothing committed yet).
std::optional<git_oid> BaseCommit(git_repository* repo, const std::string& ref, std::string* description) {
  std::optional<git_oid> head = HeadCommit(repo);
  std::optional<git_oid> target;
  std::string target_name;
  if (!ref.empty()) {
    target = ResolveCommit(repo, ref);
    target_name = ref;
  } else if (auto up = Upstream(repo)) {
    target = up->first;
    target_name = up->second;
  }
  if (!head) {
    *description = target ? Short(*target) + " (" + target_name + ")" : "the empty tree (no commit yet)";
    return target;
  }
  if (!target) {
    *description = Short(*head) + " (HEAD)";
    return head;
  }
  git_oid base;
  if (git_merge_base(&base, repo, &*head, &*target) != 0) {
    git_error_clear();  // unrelated histories: compare with the target itself
    *description = Short(*target) + " (" + target_name + ", no common ancestor with HEAD)";
    return target;
  }
  *description = Short(base) + " (merge base of HEAD and " + target_name + ")";
  return base;
}

struct Collector {
  fs::path workdir;
  RepoChanges* out = nullptr;
  FileChanges* current = nullptr;  // the file whose hunks follow; null for one we skip
};

int OnFile(const git_diff_delta* delta, float /*progress*/, void* payload) {
  auto* c = static_cast<Collector*>(payload);
  c->current = nullptr;
  if (delta->status == GIT_DELTA_DELETED || delta->new_file.path == nullptr) return 0;
  FileChanges& f = c->out->files[c->workdir / fs::path(delta->new_file.path)];
  switch (delta->status) {
    case GIT_DELTA_ADDED:
    case GIT_DELTA_UNTRACKED:
    case GIT_DELTA_TYPECHANGE:
    case GIT_DELTA_COPIED:
    case GIT_DELTA_CONFLICTED:
      f.whole = true;
      break;
    default:
      c->current = &f;  // modified or renamed: its hunks say which lines
  }
  return 0;
}

int OnHunk(const git_diff_delta* /*delta*/, const git_diff_hunk* hunk, void* payload) {
  auto* c = static_cast<Collector*>(payload);
  if (c->current == nullptr) return 0;
  LineRange r;
  if (hunk->new_lines > 0) {
    r = {hunk->new_start, hunk->new_start + hunk->new_lines - 1};
  } else {
    // Lines removed after line new_start (0: at the top): the routine around that line lost them.
    int line = std::max(1, hunk->new_start);
    r = {line, line};
  }
  c->current->lines.push_back(r);
  return 0;
}

}  // namespace

RepoChanges ChangesSince(const fs::path& path, const std::string& ref) {
  InitLibgit2();
  std::error_code ec;
  fs::path start = fs::is_directory(path, ec) ? path : path.parent_path();
  if (start.empty()) start = ".";
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, start.c_str(), 0, nullptr) != 0) {
    git_error_clear();
    throw Error(kExitUsage, "--changed: " + path.string() + " is not inside a git repository");
  }
  Repo repo(raw);
  const char* workdir = git_repository_workdir(repo.get());
  if (git_repository_is_bare(repo.get()) || workdir == nullptr) {
    throw Error(kExitUsage, "--changed: " + path.string() + " is in a bare repository (no working tree)");
  }
  RepoChanges out;
  out.workdir = Canonical(workdir);
  std::optional<git_oid> base = BaseCommit(repo.get(), ref, &out.base);

  Tree tree;
  if (base) {
    git_commit* raw_commit = nullptr;
    git_tree* raw_tree = nullptr;
    if (git_commit_lookup(&raw_commit, repo.get(), &*base) != 0) {
      throw Error(kExitUsage, "--changed: cannot read commit " + Short(*base) + " (" + LastGitError() + ")");
    }
    Commit commit(raw_commit);
    if (git_commit_tree(&raw_tree, commit.get()) != 0) {
      throw Error(kExitUsage, "--changed: cannot read the tree of " + Short(*base) + " (" + LastGitError() + ")");
    }
    tree.reset(raw_tree);
  }

  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.context_lines = 0;  // hunks are exactly the changed lines
  options.interhunk_lines = 0;
  options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_INCLUDE_TYPECHANGE;
  git_diff* raw_diff = nullptr;
  if (git_diff_tree_to_workdir_with_index(&raw_diff, repo.get(), tree.get(), &options) != 0) {
    throw Error(kExitUsage, "--changed: git diff failed in " + out.workdir.string() + " (" + LastGitError() + ")");
  }
  Diff diff(raw_diff);
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_FOR_UNTRACKED;
  if (git_diff_find_similar(diff.get(), &find) != 0) git_error_clear();  // without renames, a move is a new file

  Collector collector{out.workdir, &out, nullptr};
  if (git_diff_foreach(diff.get(), OnFile, nullptr, OnHunk, nullptr, &collector) != 0) {
    throw Error(kExitUsage, "--changed: reading the diff failed (" + LastGitError() + ")");
  }
  return out;
}

bool Touches(const FileChanges& changes, int first, int last) {
  if (changes.whole) return true;
  return std::any_of(changes.lines.begin(), changes.lines.end(),
                     [&](const LineRange& r) { return r.first <= last && first <= r.last; });
}

}  // namespace scale::walk
