#include "languages/text_util.h"

#include <algorithm>
#include <map>

#include "languages/ts_util.h"

namespace scale::languages::detail {

size_t BomLength(std::string_view text) { return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; }

size_t LineStart(std::string_view text, size_t pos) {
  pos = std::min(pos, text.size());
  size_t nl = pos == 0 ? std::string_view::npos : text.rfind('\n', pos - 1);
  size_t start = nl == std::string_view::npos ? 0 : nl + 1;
  // The BOM is not indentation: a routine on line 1 of a BOM file starts "its own line".
  return start == 0 ? std::min(BomLength(text), pos) : start;
}

size_t LineEnd(std::string_view text, size_t pos) {
  size_t nl = text.find('\n', std::min(pos, text.size()));
  return nl == std::string_view::npos ? text.size() : nl;
}

bool IsSpaces(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\f'; });
}

bool IndentBefore(std::string_view text, size_t pos, std::string* indent) {
  size_t start = LineStart(text, pos);
  std::string_view prefix = text.substr(start, pos - start);
  if (!IsSpaces(prefix)) {
    if (indent) indent->clear();
    return false;
  }
  if (indent) indent->assign(prefix);
  return true;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (true) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return lines;
}

void DetectStyle(ParsedFile& file) {
  std::string_view text = file.text;
  size_t crlf = 0, lf = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    if (i > 0 && text[i - 1] == '\r') ++crlf; else ++lf;
  }
  file.eol = crlf > lf ? "\r\n" : "\n";

  size_t tab_lines = 0, space_lines = 0;
  std::map<size_t, size_t> steps;  // increase of indentation between consecutive code lines
  size_t previous = 0;
  for (const std::string& line : SplitLines(text)) {
    size_t lead = line.find_first_not_of(" \t");
    if (lead == std::string::npos) continue;  // blank
    if (line[0] == '\t') ++tab_lines;
    else if (line[0] == ' ') ++space_lines;
    if (line.find('\t') < lead) {
      previous = 0;
      continue;
    }
    if (lead > previous && lead - previous <= 8) ++steps[lead - previous];
    previous = lead;
  }
  if (tab_lines > space_lines) {
    file.indent_unit = "\t";
    return;
  }
  size_t best = 4, best_count = 0;
  for (auto& [step, count] : steps) {
    if (count > best_count) best = step, best_count = count;
  }
  file.indent_unit = std::string(best, ' ');
}

namespace {

size_t Columns(std::string_view s) {
  size_t cols = 0;
  for (char c : s) {
    if (c == '\t') cols += 4;
    else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++cols;  // count UTF-8 code points
  }
  return cols;
}

void WrapLine(const std::string& line, size_t width, std::vector<std::string>& out) {
  if (Columns(line) <= width) {
    out.push_back(line);
    return;
  }
  size_t lead_len = line.find_first_not_of(" \t");
  std::string lead = line.substr(0, lead_len);
  std::string current = lead;
  size_t pos = lead_len;
  while (pos < line.size()) {
    size_t space = line.find(' ', pos);
    std::string word = line.substr(pos, space == std::string::npos ? std::string::npos : space - pos);
    pos = space == std::string::npos ? line.size() : space + 1;
    if (word.empty()) continue;
    if (current.size() > lead.size() && Columns(current) + 1 + Columns(word) > width) {
      out.push_back(current);
      current = lead;
    }
    if (current.size() > lead.size()) current += ' ';
    current += word;
  }
  if (current.size() > lead.size()) out.push_back(current);
}

}  // namespace

size_t WrapWidth(std::string_view indent, size_t decoration) {
  size_t used = Columns(indent) + decoration;
  return used + 40 > 80 ? 40 : 80 - used;
}

std::vector<std::string> ProseLines(std::string_view text, size_t width) {
  std::vector<std::string> lines = SplitLines(text);
  for (auto& line : lines) {
    size_t end = line.find_last_not_of(" \t\r");
    line.resize(end == std::string::npos ? 0 : end + 1);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  size_t first = 0;
  while (first < lines.size() && lines[first].empty()) ++first;
  std::vector<std::string> out;
  for (size_t i = first; i < lines.size(); ++i) WrapLine(lines[i], width, out);
  return out;
}

std::string Cleandoc(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  size_t common = std::string::npos;
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t lead = lines[i].find_first_not_of(" \t");
    if (lead != std::string::npos) common = std::min(common, lead);
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (i == 0) {
      size_t lead = line.find_first_not_of(" \t");
      line = lead == std::string::npos ? "" : line.substr(lead);
    } else if (common != std::string::npos) {
      line = line.size() > common ? line.substr(common) : "";
    }
    size_t end = line.find_last_not_of(" \t\r");
    line.resize(end == std::string::npos ? 0 : end + 1);
    out.push_back(std::move(line));
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  size_t first = 0;
  while (first < out.size() && out[first].empty()) ++first;
  std::string joined;
  for (size_t i = first; i < out.size(); ++i) {
    if (i > first) joined += '\n';
    joined += out[i];
  }
  return joined;
}

std::vector<CommentNode> CollectComments(TSNode root, std::string_view text) {
  std::vector<CommentNode> out;
  // Iterative walk: deep trees (long else-if chains) must not exhaust the stack.
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  bool done = false;
  while (!done) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    if (Is(node, "comment")) {
      size_t b = ts_node_start_byte(node), e = ts_node_end_byte(node);
      out.push_back({b, e, text.substr(b, 2) == "//"});
    } else if (ts_tree_cursor_goto_first_child(&cursor)) {
      continue;
    }
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        done = true;
        break;
      }
    }
  }
  ts_tree_cursor_delete(&cursor);
  std::sort(out.begin(), out.end(), [](const CommentNode& a, const CommentNode& b) { return a.begin < b.begin; });
  return out;
}

namespace {

// The comment whose last byte ends the line before `line_start` (after trailing blanks), provided
// it starts its own line; nullptr when that line is blank, code, or a trailing comment.
const CommentNode* CommentEndingLineAbove(std::string_view text, const std::vector<CommentNode>& comments,
                                          size_t line_start) {
  if (line_start == 0 || line_start <= BomLength(text)) return nullptr;
  size_t prev_start = LineStart(text, line_start - 1);
  std::string_view prev = text.substr(prev_start, line_start - prev_start);
  size_t last = prev.find_last_not_of(" \t\r\n\f");
  if (last == std::string_view::npos) return nullptr;
  size_t end = prev_start + last + 1;
  auto it = std::lower_bound(comments.begin(), comments.end(), end,
                             [](const CommentNode& c, size_t e) { return c.end < e; });
  if (it == comments.end() || it->end != end) return nullptr;
  if (!IndentBefore(text, it->begin, nullptr)) return nullptr;
  return &*it;
}

}  // namespace

void AttachLeadingComment(const ParsedFile& file, Routine& r, const std::vector<CommentNode>& comments,
                          size_t anchor) {
  std::string_view text = file.text;
  r.comment_begin = r.comment_end = anchor;
  r.has_comment = false;
  r.comment_count = 0;
  if (!IndentBefore(text, anchor, &r.indent)) {
    r.skip_reason = "shares its line with code before it";
    return;
  }
  size_t line_start = LineStart(text, anchor);
  r.comment_begin = r.comment_end = line_start;
  size_t pos = line_start;
  while (const CommentNode* c = CommentEndingLineAbove(text, comments, pos)) {
    size_t begin = c->begin, end = c->end;
    if (c->line) {  // a run of // lines is one comment
      const CommentNode* above = c;
      while ((above = CommentEndingLineAbove(text, comments, LineStart(text, begin))) && above->line) {
        begin = above->begin;
      }
    }
    if (r.comment_count == 0) {
      r.has_comment = true;
      r.comment_begin = begin;
      r.comment_end = end;
      r.existing_comment = StripCommentSyntax(text.substr(begin, end - begin));
    }
    ++r.comment_count;
    pos = LineStart(text, begin);
  }
}

std::string RenderBlockComment(const ParsedFile& file, const Routine& r, std::string_view text) {
  const std::string& eol = file.eol;
  std::string out = r.indent + "/**" + eol;
  for (std::string line : ProseLines(text, WrapWidth(r.indent, 3))) {
    for (size_t at = line.find("*/"); at != std::string::npos; at = line.find("*/", at + 3)) line.replace(at, 2, "*\\/");
    out += r.indent + (line.empty() ? " *" : " * " + line) + eol;
  }
  out += r.indent + " */" + eol;
  return out;
}

std::string StripCommentSyntax(std::string_view raw) {
  std::vector<std::string> lines = SplitLines(raw);
  // Undo RenderBlockComment's escape so that reading back what we wrote gives the text again.
  for (auto& line : lines) {
    for (size_t at = line.find("*\\/"); at != std::string::npos; at = line.find("*\\/", at + 1)) line.erase(at + 1, 1);
  }
  if (raw.substr(0, 2) == "/*") {
    std::string& first = lines.front();
    size_t skip = 2;
    while (skip < first.size() && first[skip] == '*') ++skip;
    first = first.substr(skip);
    std::string& last = lines.back();
    if (last.size() >= 2 && last.compare(last.size() - 2, 2, "*/") == 0) {
      last.resize(last.size() - 2);
      while (!last.empty() && last.back() == '*') last.pop_back();
    }
    // " * text" continuation lines lose their star when every non-blank one has it.
    bool starred = lines.size() > 1;
    for (size_t i = 1; i < lines.size(); ++i) {
      size_t lead = lines[i].find_first_not_of(" \t");
      if (lead != std::string::npos && lines[i][lead] != '*') starred = false;
    }
    for (size_t i = 1; starred && i < lines.size(); ++i) {
      size_t lead = lines[i].find_first_not_of(" \t");
      if (lead == std::string::npos) continue;
      lines[i] = lines[i].substr(lead + 1);
      if (!lines[i].empty() && lines[i][0] == ' ') lines[i].erase(0, 1);
    }
    return Cleandoc(lines);
  }
  for (auto& line : lines) {
    size_t at = line.find("//");
    if (at == std::string::npos) continue;
    size_t skip = at + 2;
    while (skip < line.size() && (line[skip] == '/' || line[skip] == '!')) ++skip;
    line = " " + line.substr(skip);
  }
  if (!lines.empty()) lines.insert(lines.begin(), "");
  return Cleandoc(lines);
}

}  // namespace scale::languages::detail
