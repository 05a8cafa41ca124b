#include "walk/git_repo.h"

#include <git2.h>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>

namespace scale::walk {
namespace fs = std::filesystem;
namespace {

void InitLibgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });  // never shut down: the process owns it till exit
}

struct RepoDeleter {
  void operator()(git_repository* r) const { git_repository_free(r); }
};
struct ConfigDeleter {
  void operator()(git_config* c) const { git_config_free(c); }
};

// git's xdg_config_home("ignore").
std::optional<fs::path> DefaultExcludesFile() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && *xdg != '\0') return fs::path(xdg) / "git" / "ignore";
  const char* home = std::getenv("HOME");
  if (home != nullptr) return fs::path(home) / ".config" / "git" / "ignore";
  return std::nullopt;
}

fs::path Canonical(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : c;
}

}  // namespace

std::optional<RepoIgnoreSources> FindRepository(const fs::path& dir, bool exactly_here) {
  InitLibgit2();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, dir.c_str(), exactly_here ? GIT_REPOSITORY_OPEN_NO_SEARCH : 0, nullptr) != 0) {
    return std::nullopt;
  }
  std::unique_ptr<git_repository, RepoDeleter> repo(raw);
  const char* workdir = git_repository_workdir(repo.get());
  if (git_repository_is_bare(repo.get()) || workdir == nullptr) return std::nullopt;
  RepoIgnoreSources out;
  out.workdir = Canonical(workdir);
  if (exactly_here && out.workdir != Canonical(dir)) return std::nullopt;

  git_config* raw_config = nullptr;
  std::unique_ptr<git_config, ConfigDeleter> config;
  if (git_repository_config_snapshot(&raw_config, repo.get()) == 0) config.reset(raw_config);
  std::optional<fs::path> excludes;
  if (config) {
    git_buf buf = GIT_BUF_INIT;
    if (git_config_get_path(&buf, config.get(), "core.excludesfile") == 0 && buf.ptr != nullptr) {
      excludes = fs::path(buf.ptr);
    }
    git_buf_dispose(&buf);
    int fold = 0;
    if (git_config_get_bool(&fold, config.get(), "core.ignorecase") == 0) out.ignore_case = fold != 0;
  }
  if (!excludes) excludes = DefaultExcludesFile();
  if (excludes && !excludes->empty()) out.exclude_files.push_back(*excludes);
  out.exclude_files.push_back(fs::path(git_repository_commondir(repo.get())) / "info" / "exclude");
  git_error_clear();
  return out;
}

}  // namespace scale::walk
