#include "summarize/gitignore.h"

namespace scale::summarize {
namespace {

// Matches a bracket expression at p[0] == '['; returns the pattern length consumed, or 0 if the
// class is unterminated (then '[' is literal).
size_t MatchClass(std::string_view p, char c, bool* matched) {
  size_t i = 1;
  bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
  if (negate) ++i;
  bool hit = false;
  bool first = true;
  for (; i < p.size() && (p[i] != ']' || first); first = false) {
    char lo = p[i];
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      hit |= c >= lo && c <= p[i + 2];
      i += 3;
    } else {
      hit |= c == lo;
      ++i;
    }
  }
  if (i >= p.size()) return 0;
  *matched = hit != negate && c != '/';
  return i + 1;
}

bool Match(std::string_view p, std::string_view s) {
  while (!p.empty()) {
    if (p.substr(0, 2) == "**") {
      // "**/" = zero or more whole directories; "**" at the end = everything.
      std::string_view rest = p.substr(2);
      if (rest.empty()) return true;
      if (rest[0] == '/') {
        rest.remove_prefix(1);
        if (Match(rest, s)) return true;
        for (size_t i = 0; i < s.size(); ++i) {
          if (s[i] == '/' && Match(rest, s.substr(i + 1))) return true;
        }
        return false;
      }
      p = p.substr(1);  // "**x" behaves like "*x"
      continue;
    }
    if (p[0] == '*') {
      std::string_view rest = p.substr(1);
      for (size_t i = 0; i <= s.size(); ++i) {
        if (Match(rest, s.substr(i))) return true;
        if (i < s.size() && s[i] == '/') break;
      }
      return false;
    }
    if (s.empty()) return false;
    if (p[0] == '?') {
      if (s[0] == '/') return false;
    } else if (p[0] == '[') {
      bool hit = false;
      size_t used = MatchClass(p, s[0], &hit);
      if (used > 0) {
        if (!hit) return false;
        p.remove_prefix(used);
        s.remove_prefix(1);
        continue;
      }
      if (s[0] != '[') return false;
    } else if (p[0] == '\\' && p.size() > 1) {
      if (s[0] != p[1]) return false;
      p.remove_prefix(1);
    } else if (p[0] != s[0]) {
      return false;
    }
    p.remove_prefix(1);
    s.remove_prefix(1);
  }
  return s.empty();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) { return Match(pattern, path); }

void GitIgnore::AddFile(const std::string& dir, std::string_view content) {
  size_t pos = 0;
  while (pos <= content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string line(content.substr(pos, end - pos));
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Trailing spaces are ignored unless escaped.
    while (!line.empty() && line.back() == ' ' && !(line.size() > 1 && line[line.size() - 2] == '\\')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    Rule rule;
    rule.base = dir;
    if (line[0] == '!') {
      rule.negate = true;
      line.erase(0, 1);
    } else if (line[0] == '\\' && line.size() > 1 && (line[1] == '#' || line[1] == '!')) {
      line.erase(0, 1);
    }
    if (!line.empty() && line.back() == '/') {
      rule.dir_only = true;
      line.pop_back();
    }
    // A slash anywhere but at the end anchors the pattern to the .gitignore's directory.
    rule.anchored = line.find('/') != std::string::npos;
    if (!line.empty() && line[0] == '/') line.erase(0, 1);
    if (line.empty()) continue;
    rule.pattern = line;
    rules_.push_back(std::move(rule));
  }
}

bool GitIgnore::Ignored(const std::string& path, bool is_dir) const {
  bool ignored = false;
  for (const Rule& rule : rules_) {
    if (rule.dir_only && !is_dir) continue;
    std::string_view rel(path);
    if (!rule.base.empty()) {
      if (rel.size() <= rule.base.size() || rel.compare(0, rule.base.size(), rule.base) != 0 ||
          rel[rule.base.size()] != '/') {
        continue;  // the rule's .gitignore is not above this path
      }
      rel.remove_prefix(rule.base.size() + 1);
    }
    bool hit;
    if (rule.anchored) {
      hit = Match(rule.pattern, rel);
    } else {
      size_t slash = rel.rfind('/');
      hit = Match(rule.pattern, slash == std::string_view::npos ? rel : rel.substr(slash + 1));
    }
    if (hit) ignored = !rule.negate;
  }
  return ignored;
}

}  // namespace scale::summarize
