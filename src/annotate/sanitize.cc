#include "annotate/sanitize.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <vector>

#include "util/text.h"

namespace scale::annotate {
namespace {

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

void TrimBlankEdges(std::vector<std::string>& lines) {
  while (!lines.empty() && IsBlank(lines.back())) lines.pop_back();
  size_t first = 0;
  while (first < lines.size() && IsBlank(lines[first])) ++first;
  lines.erase(lines.begin(), lines.begin() + static_cast<long>(first));
}

// Prefer what is inside a fenced block: "Here you go:\n```\ntext\n```" means text.
std::vector<std::string> StripFences(std::vector<std::string> lines) {
  auto is_fence = [](const std::string& l) { return StartsWith(Trim(l), "```"); };
  auto open = std::find_if(lines.begin(), lines.end(), is_fence);
  if (open == lines.end()) return lines;
  auto close = std::find_if(open + 1, lines.end(), is_fence);
  if (close == lines.end()) {
    lines.erase(open);
    return lines;
  }
  std::vector<std::string> inside(open + 1, close);
  TrimBlankEdges(inside);
  if (!inside.empty()) return inside;
  lines.erase(close);
  lines.erase(open);
  return lines;
}

// libstdc++'s std::regex backtracks recursively, about one stack frame per character, so a long
// line of model output (50K characters) overflows the stack. Model text therefore reaches a regex
// only as a bounded window: every pattern below is anchored at the start and decides within
// kRegexWindow characters, and whole-line matches treat a longer line as not matching.
constexpr size_t kRegexWindow = 256;

std::string Window(const std::string& s) { return s.size() <= kRegexWindow ? s : s.substr(0, kRegexWindow); }
bool MatchLine(const std::string& s, const std::regex& re) { return s.size() <= kRegexWindow && std::regex_match(s, re); }

const std::regex& LabelRe() {
  // "Docstring:", "**Updated comment:**", "### JSDoc", "Comment -" ... a label with nothing or the
  // comment itself after it.
  static const std::regex re(
      R"(^\s*(#+\s*)?(\*\*)?\s*(the\s+)?(updated\s+|new\s+|improved\s+|revised\s+|final\s+)?)"
      R"((python\s+)?(docstring|doc\s*comment|comment\s+text|comment|jsdoc(\s+comment)?|doxygen(\s+comment)?|answer|output|summary|response)\s*)"
      R"((\*\*)?\s*[:\-]?\s*(\*\*)?\s*)",
      std::regex::icase);
  return re;
}

const std::regex& PreambleRe() {
  static const std::regex re(
      R"(^\s*(sure|certainly|of course|okay|ok|here\s+is|here's|here\s+are|below\s+is|the\s+following\s+is)\b.*)",
      std::regex::icase);
  return re;
}

void StripLabels(std::vector<std::string>& lines) {
  for (int round = 0; round < 3 && !lines.empty(); ++round) {
    TrimBlankEdges(lines);
    if (lines.empty()) return;
    std::string& first = lines.front();
    std::smatch m;
    std::string trimmed = Trim(first);
    std::string window = Window(trimmed);
    if (trimmed.size() < 160 && std::regex_search(window, m, PreambleRe())) {
      // "Here is the docstring:" (alone, or with the comment after the colon).
      size_t colon = trimmed.find(':');
      if (colon != std::string::npos && colon + 1 < trimmed.size()) {
        first = Trim(trimmed.substr(colon + 1));
        continue;
      }
      if (lines.size() > 1) {
        lines.erase(lines.begin());
        continue;
      }
    }
    if (std::regex_search(window, m, LabelRe()) && m.position(0) == 0) {
      // Only a label when followed by ':' / '-' or nothing: "Comment the code" is prose.
      std::string matched = m.str(0);
      bool has_colon = matched.find(':') != std::string::npos || matched.find('-') != std::string::npos;
      std::string rest = trimmed.substr(matched.size());
      if (has_colon || rest.empty()) {
        if (rest.empty()) lines.erase(lines.begin());
        else first = rest;
        continue;
      }
    }
    return;
  }
}

// Few-shot continuation: a raw model that goes on with "EXAMPLE 4" or another "Routine:" has
// finished its comment.
void CutContinuation(std::vector<std::string>& lines) {
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string t = Trim(lines[i]);
    if (StartsWith(t, "Routine:") || StartsWith(t, "EXAMPLE ") || StartsWith(t, "STYLE GUIDE") ||
        StartsWith(t, "Write the comment for")) {
      lines.resize(i);
      return;
    }
  }
}

void StripDelimiters(std::vector<std::string>& lines) {
  TrimBlankEdges(lines);
  if (lines.empty()) return;
  // Python string delimiters, with an optional r/u/b prefix.
  static const std::regex open_re(R"(^\s*[rRuUbB]?("""|'''))");
  std::smatch m;
  std::string window = Window(lines.front());
  if (std::regex_search(window, m, open_re)) {
    std::string quote = m.str(1);
    lines.front() = lines.front().substr(m.length(0));
    std::string& last = lines.back();
    std::string t = Trim(last);
    if (EndsWith(t, quote)) last = t.substr(0, t.size() - 3);
    TrimBlankEdges(lines);
    if (lines.empty()) return;
  }
  // Block comments.
  std::string first = Trim(lines.front());
  if (StartsWith(first, "/*")) {
    size_t skip = StartsWith(first, "/**") || StartsWith(first, "/*!") ? 3 : 2;
    lines.front() = first.substr(skip);
    std::string t = Trim(lines.back());
    if (EndsWith(t, "*/")) lines.back() = t.substr(0, t.size() - 2);
    // " * text" continuation lines.
    bool starred = true;
    for (size_t i = 1; i < lines.size(); ++i) {
      std::string l = Trim(lines[i]);
      if (!l.empty() && l[0] != '*') starred = false;
    }
    if (starred) {
      for (size_t i = 1; i < lines.size(); ++i) {
        std::string l = Trim(lines[i]);
        if (!l.empty() && l[0] == '*') {
          // Keep relative indentation after "* ".
          size_t star = lines[i].find('*');
          std::string after = lines[i].substr(star + 1);
          if (!after.empty() && after[0] == ' ') after.erase(0, 1);
          lines[i] = after;
        } else {
          lines[i] = "";
        }
      }
    }
    TrimBlankEdges(lines);
    if (lines.empty()) return;
  }
  // Line comments on every non-blank line: "//", "///", "//!", "#".
  for (std::string prefix : {"//", "#"}) {
    bool all = true;
    for (const auto& l : lines) {
      if (!IsBlank(l) && !StartsWith(Trim(l), prefix)) all = false;
    }
    if (!all) continue;
    for (auto& l : lines) {
      if (IsBlank(l)) continue;
      size_t at = l.find(prefix) + prefix.size();
      while (at < l.size() && (l[at] == '/' || l[at] == '!' || l[at] == '#')) ++at;
      if (at < l.size() && l[at] == ' ') ++at;
      l = l.substr(at);
    }
    break;
  }
}

void StripQuotes(std::vector<std::string>& lines) {
  TrimBlankEdges(lines);
  if (lines.empty()) return;
  std::string joined = Join(lines, "\n");
  for (char q : {'"', '\'', '`'}) {
    long count = std::count(joined.begin(), joined.end(), q);
    if (joined.size() >= 2 && joined.front() == q && joined.back() == q && count == 2) {
      lines = SplitLines(std::string_view(joined).substr(1, joined.size() - 2));
      return;
    }
    // A lone opening or closing double quote is debris of a delimiter the model half-wrote.
    if (q == '"' && count == 1 && (joined.front() == q || joined.back() == q)) {
      joined = joined.front() == q ? joined.substr(1) : joined.substr(0, joined.size() - 1);
      lines = SplitLines(joined);
      TrimBlankEdges(lines);
      return;
    }
  }
}

// inspect.cleandoc: the first line loses its leading space, the rest their common indentation.
void Dedent(std::vector<std::string>& lines) {
  for (auto& l : lines) {
    for (auto& c : l) if (c == '\t') c = ' ';  // tabs would render differently per file
    while (!l.empty() && (l.back() == ' ')) l.pop_back();
  }
  if (lines.empty()) return;
  lines[0] = Trim(lines[0]);
  size_t common = std::string::npos;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    common = std::min(common, lines[i].find_first_not_of(' '));
  }
  if (common != std::string::npos && common > 0) {
    for (size_t i = 1; i < lines.size(); ++i) {
      if (!lines[i].empty()) lines[i] = lines[i].substr(common);
    }
  }
  // At most one blank line in a row.
  std::vector<std::string> out;
  for (auto& l : lines) {
    if (l.empty() && !out.empty() && out.back().empty()) continue;
    out.push_back(std::move(l));
  }
  lines = std::move(out);
  TrimBlankEdges(lines);
}

std::string CutToLastSentence(const std::string& text) {
  for (size_t i = text.size(); i-- > 0;) {
    char c = text[i];
    if ((c == '.' || c == '!' || c == '?') && (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n')) {
      return text.substr(0, i + 1);
    }
  }
  return text;
}

std::vector<std::string> Clean(std::string_view answer) {
  std::vector<std::string> lines = SplitLines(answer);
  lines = StripFences(std::move(lines));
  StripLabels(lines);
  CutContinuation(lines);
  StripDelimiters(lines);
  StripLabels(lines);  // a label may sit inside the delimiters: """Docstring: ..."""
  StripQuotes(lines);
  Dedent(lines);
  return lines;
}

bool IsCodeLine(const std::string& raw, languages::Language language) {
  std::string l = Trim(raw);
  if (l.empty() || StartsWith(l, ">>>") || StartsWith(l, "...")) return false;
  static const std::regex common_re(
      R"(^((async\s+)?def\s+\w+\s*\(|class\s+\w+\s*[\(:{]|function\s*\w*\s*\(|import\s+[\w{*]|from\s+[\w.]+\s+import\b|#include\b|#define\b|return\b\s*[^A-Z]|(const|let|var)\s+\w+\s*=))");
  std::string window = Window(l);
  if (std::regex_search(window, common_re)) return true;
  if (language == languages::LanguageNamed("python")) {
    static const std::regex py_re(R"(^((if|elif|while|for|with|try|except|else|finally)\b.*:|\w+(\.\w+)*(\[.*\])?\s*[+\-*/]?=\s*\S.*|raise\s+\w+\(.*|yield\b.*|pass|self\.\w+.*)$)");
    return MatchLine(l, py_re);
  }
  if (l == "}" || l == "{" || l == "};") return true;
  char last = l.back();
  if (last == ';' || last == '{') return true;
  static const std::regex c_re(R"(^(if|while|for|switch)\s*\(.*)");
  return MatchLine(l, c_re);
}

}  // namespace

bool LooksLikeCode(std::string_view text, languages::Language language) {
  std::vector<std::string> lines = SplitLines(text);
  size_t prose = 0, code = 0;
  for (const auto& l : lines) {
    if (IsBlank(l) || StartsWith(Trim(l), ">>>") || StartsWith(Trim(l), "...")) continue;
    (IsCodeLine(l, language) ? code : prose)++;
  }
  if (code == 0) return false;
  // A comment may quote a line of code; an answer that is mostly code is code.
  if (code * 2 >= code + prose) return true;
  for (const auto& l : lines) {
    if (IsBlank(l)) continue;
    static const std::regex header_re(R"(^\s*((async\s+)?def\s+\w+\s*\(.*|class\s+\w+.*:|function\s+\w+\s*\(.*))");
    return MatchLine(l, header_re);  // the first non-blank line decides
  }
  return false;
}

CleanComment SanitizeComment(std::string_view answer, languages::Language language, std::string_view signature,
                             bool truncated) {
  CleanComment result;
  std::vector<std::string> lines = Clean(answer);
  std::string text = Join(lines, "\n");
  if (truncated) {
    text = CutToLastSentence(text);
    std::vector<std::string> again = SplitLines(text);
    Dedent(again);
    text = Join(again, "\n");
  }
  if (Trim(text).empty()) {
    result.problem = "empty answer";
    return result;
  }
  // An answer that copies the routine's header line is the routine, not a comment about it.
  std::string header;
  for (const auto& line : SplitLines(signature)) {
    header = Trim(line);
    if (!header.empty() && header[0] != '@') break;  // decorators are quoted in prose too
  }
  if (header.size() >= 12 && text.find(header) != std::string::npos) {
    result.problem = "answer repeats the routine's code";
    return result;
  }
  if (LooksLikeCode(text, language)) {
    result.problem = "answer is code, not a comment";
    return result;
  }
  result.ok = true;
  result.text = std::move(text);
  return result;
}

std::string SanitizeProse(std::string_view answer) {
  std::vector<std::string> lines = Clean(answer);
  return Join(lines, "\n");
}

}  // namespace scale::annotate
