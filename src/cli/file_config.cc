#include "cli/file_config.h"

#include <system_error>
#include <vector>

#include "util/error.h"

namespace scale::cli {
namespace fs = std::filesystem;

namespace {

std::string Lines(const std::vector<std::string>& globs) {
  std::string out;
  for (const std::string& g : globs) out += g + "\n";
  return out;
}

// The path's verdict level by level, top down, as git walks: a decided folder decides all below it
// for `exclude` (git never looks inside an ignored folder); for `include` the deepest match wins.
bool Matches(const walk::IgnoreRules& rules, const std::string& rel, bool folder_is_final) {
  bool in = false;
  for (size_t slash = rel.find('/'); slash != std::string::npos; slash = rel.find('/', slash + 1)) {
    walk::IgnoreRules::Verdict v = rules.Check(std::string_view(rel).substr(0, slash), true);
    if (v == walk::IgnoreRules::Verdict::kIgnored) {
      if (folder_is_final) return true;
      in = true;
    } else if (v == walk::IgnoreRules::Verdict::kIncluded) {
      in = false;
    }
  }
  walk::IgnoreRules::Verdict v = rules.Check(rel, false);
  if (v == walk::IgnoreRules::Verdict::kIgnored) return true;
  if (v == walk::IgnoreRules::Verdict::kIncluded) return false;
  return in;
}

}  // namespace

annotate::ExistingMode ParseExisting(const std::string& text) {
  if (text == "keep") return annotate::ExistingMode::kKeep;
  if (text == "update") return annotate::ExistingMode::kUpdate;
  return annotate::ExistingMode::kOwn;
}

const FileConfig& ProjectFiles::For(const fs::path& file) { return Resolved(finder_.ForFile(file)); }

const FileConfig& ProjectFiles::ForFolder(const fs::path& dir) { return Resolved(finder_.ForFolder(dir)); }

const FileConfig& ProjectFiles::Resolved(std::shared_ptr<const settings::ProjectConfig> config) {
  const std::string key = config ? config->path : "";
  if (auto it = by_config_.find(key); it != by_config_.end()) return it->second;
  FileConfig fc;
  fc.config = config;
  if (config) {
    const settings::CommentConfig& c = config->comment;
    fc.parse = ResolveCommentConfig(c);
    if (!c.existing.empty()) fc.existing = ParseExisting(c.existing);
    if (!c.templates.empty()) {
      std::error_code ec;
      if (!fs::is_directory(c.templates, ec)) {
        throw Error(kExitUsage, c.templates_where + ": " + c.prefix + "comment.templates: " + c.templates + " is not a folder");
      }
      fc.templates = c.templates;
    }
    fc.include.AddFile("", Lines(c.include));
    fc.exclude.AddFile("", Lines(c.exclude));
  }
  return by_config_.emplace(key, std::move(fc)).first->second;
}

std::optional<std::string> ProjectFiles::LeftOut(const fs::path& file, bool walked, bool force) {
  const FileConfig& fc = For(file);
  if (!fc.config) return std::nullopt;
  const settings::CommentConfig& c = fc.config->comment;
  if (!walked && !force && !c.force_exclude) return std::nullopt;
  std::error_code ec;
  const std::string rel = fs::absolute(file, ec).lexically_normal().lexically_relative(fc.config->dir()).generic_string();
  if (rel.empty() || rel == ".." || rel.starts_with("../")) return std::nullopt;  // not below its config (cannot happen)
  if (!c.exclude.empty() && Matches(fc.exclude, rel, true)) return "excluded by " + c.exclude_where + " (" + c.prefix + "comment.exclude)";
  if (walked && !c.include.empty() && !Matches(fc.include, rel, false)) return "not in " + c.include_where + " (" + c.prefix + "comment.include)";
  return std::nullopt;
}

std::vector<std::shared_ptr<const settings::ProjectConfig>> ProjectFiles::Seen() const {
  std::vector<std::shared_ptr<const settings::ProjectConfig>> out;
  for (const auto& [path, fc] : by_config_) out.push_back(fc.config);
  return out;
}

std::shared_ptr<const settings::ProjectConfig> ProjectFiles::Current() {
  std::error_code ec;
  return finder_.ForFolder(fs::current_path(ec));
}

}  // namespace scale::cli
