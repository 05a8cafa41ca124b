#include "walk/ignore_rules.h"

#include <strings.h>

#include <cstring>

namespace scale::walk {
namespace {

bool GlobSpecial(char c) { return c == '*' || c == '?' || c == '[' || c == '\\'; }

size_t SimpleLength(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && !GlobSpecial(s[i])) ++i;
  return i;
}

// git's trim_trailing_spaces: unescaped trailing ' ' go; a trailing lone '\' keeps the line.
void TrimTrailingSpaces(std::string& line) {
  size_t last_space = std::string::npos;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ' ') {
      if (last_space == std::string::npos) last_space = i;
    } else if (line[i] == '\\') {
      if (++i >= line.size()) return;
      last_space = std::string::npos;
    } else {
      last_space = std::string::npos;
    }
  }
  if (last_space != std::string::npos) line.resize(last_space);
}

}  // namespace

bool IgnoreRules::Equal(std::string_view a, std::string_view b) const {
  if (a.size() != b.size()) return false;
  return ignore_case_ ? strncasecmp(a.data(), b.data(), a.size()) == 0 : a == b;
}

void IgnoreRules::AddFile(std::string_view dir, std::string_view content) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  const unsigned fold = ignore_case_ ? unsigned(kWildCaseFold) : 0u;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view raw = content.substr(pos, end - pos);
    pos = end + 1;
    if (raw.empty() || raw[0] == '#') continue;
    if (raw.back() == '\r') raw.remove_suffix(1);
    std::string line(raw.substr(0, raw.find('\0')));  // git's lines are C strings
    TrimTrailingSpaces(line);
    Rule rule;
    rule.base = dir.empty() ? "" : std::string(dir) + "/";
    std::string_view p = line;
    if (!p.empty() && p[0] == '!') {
      rule.negative = true;
      p.remove_prefix(1);
    }
    // git decides "*literal" before dropping the trailing '/', which is no wildcard anyway.
    rule.ends_with = !p.empty() && p[0] == '*' && SimpleLength(p.substr(1)) == p.size() - 1;
    if (!p.empty() && p.back() == '/') {
      rule.dir_only = true;
      p.remove_suffix(1);
    }
    if (p.empty()) continue;  // matches nothing (git keeps it, to no effect)
    rule.basename = p.find('/') == std::string_view::npos;
    rule.literal = SimpleLength(p);
    if (rule.basename) {
      rule.glob = WildPattern(p, fold);
    } else {
      // git's match_pathname: a leading '/' only anchors; the literal prefix is compared as is and
      // only the rest goes to wildmatch, as a pattern of its own (so "foo**/x" has a leading "**/").
      if (p[0] == '/') {
        p.remove_prefix(1);
        --rule.literal;
      }
      rule.glob = WildPattern(p.substr(rule.literal), kWildPathname | fold);
    }
    rule.pattern = std::string(p);
    rules_.push_back(std::move(rule));
  }
}

bool IgnoreRules::Matches(const Rule& rule, std::string_view path) const {
  if (!rule.base.empty()) {
    if (path.size() <= rule.base.size() || !Equal(path.substr(0, rule.base.size()), rule.base)) return false;
  }
  std::string_view name = path.substr(rule.base.size());  // below the rule's directory
  const std::string& p = rule.pattern;
  if (rule.basename) {
    size_t slash = name.rfind('/');
    std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
    if (rule.literal == p.size()) return Equal(base, p);
    if (rule.ends_with) return p.size() - 1 <= base.size() && Equal(base.substr(base.size() - (p.size() - 1)), std::string_view(p).substr(1));
    return rule.glob.Match(base);
  }
  if (rule.literal > 0) {
    if (rule.literal > name.size() || !Equal(name.substr(0, rule.literal), std::string_view(p).substr(0, rule.literal))) {
      return false;
    }
    name.remove_prefix(rule.literal);
    if (rule.literal == p.size() && name.empty()) return true;
  }
  return rule.glob.Match(name);
}

IgnoreRules::Verdict IgnoreRules::Check(std::string_view path, bool is_dir) const {
  for (auto it = rules_.rbegin(); it != rules_.rend(); ++it) {
    if (it->dir_only && !is_dir) continue;
    if (Matches(*it, path)) return it->negative ? Verdict::kIncluded : Verdict::kIgnored;
  }
  return Verdict::kNone;
}

}  // namespace scale::walk
