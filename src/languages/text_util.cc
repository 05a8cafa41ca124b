#include "languages/text_util.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include "languages/house_style.h"
#include "languages/spec.h"
#include "languages/ts_util.h"
#include "util/text.h"

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

size_t WrapWidth(std::string_view indent, size_t decoration, size_t width) {
  size_t used = Columns(indent) + decoration;
  return used + 40 > width ? 40 : width - used;
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

std::string AsciiPunctuation(std::string_view text) {
  static const std::pair<std::string_view, std::string_view> kMap[] = {
      {"\u2019", "'"},  {"\u2018", "'"},  {"\u201A", "'"},  {"\u201B", "'"}, {"\u2032", "'"},
      {"\u201C", "\""}, {"\u201D", "\""}, {"\u201E", "\""}, {"\u2033", "\""},
      {"\u2013", "-"},  {"\u2012", "-"},  {"\u2010", "-"},  {"\u2011", "-"}, {"\u2212", "-"},
      {"\u2014", "--"}, {"\u2015", "--"}, {"\u2026", "..."},
      {"\u00A0", " "},  {"\u202F", " "},  {"\u2009", " "},  {"\u2007", " "}, {"\u200A", " "},
      {"\u200B", ""},   {"\uFEFF", ""},
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (static_cast<unsigned char>(text[i]) >= 0x80) {
      for (const auto& [from, to] : kMap) {
        if (text.substr(i, from.size()) == from) {
          out += to;
          i += from.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

namespace {

// Where the file's code begins: comments before it are the file's header.
size_t FirstCodeByte(TSNode root, const CommentSyntax& syntax) {
  for (TSNode child : NamedChildren(root)) {
    std::string_view type = ts_node_type(child);
    bool header = std::find(syntax.header_node_types.begin(), syntax.header_node_types.end(), type) !=
                  syntax.header_node_types.end();
    if (!IsCommentNode(syntax, child) && !header) return ts_node_start_byte(child);
  }
  return SIZE_MAX;
}

bool StartsWithAny(std::string_view text, const std::vector<std::string_view>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view p) { return text.substr(0, p.size()) == p; });
}

}  // namespace

std::vector<CommentNode> CollectComments(TSNode root, std::string_view text, const CommentSyntax& syntax) {
  std::vector<CommentNode> out;
  size_t code_begin = FirstCodeByte(root, syntax);
  // Iterative walk: deep trees (long else-if chains) must not exhaust the stack.
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  bool done = false;
  while (!done) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    if (IsCommentNode(syntax, node)) {
      size_t b = ts_node_start_byte(node), e = ts_node_end_byte(node);
      // A grammar may end a line comment after its line break: the comment is the line's text.
      while (e > b && (text[e - 1] == '\n' || text[e - 1] == '\r')) --e;
      out.push_back({b, e, StartsWithAny(text.substr(b), syntax.line_prefixes), b < code_begin});
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

// The comment ending the last non-blank line above `line_start`, provided at most `max_blank`
// blank lines lie between (their number goes to *blank) and it starts its own line; nullptr when
// that line is code, a trailing comment, or there is none.
const CommentNode* CommentEndingAbove(std::string_view text, const std::vector<CommentNode>& comments,
                                      size_t line_start, int max_blank, int* blank) {
  *blank = 0;
  for (size_t pos = line_start;;) {
    if (pos == 0 || pos <= BomLength(text)) return nullptr;
    size_t prev_start = LineStart(text, pos - 1);
    std::string_view prev = text.substr(prev_start, pos - prev_start);
    size_t last = prev.find_last_not_of(" \t\r\n\f");
    if (last == std::string_view::npos) {
      if (++*blank > max_blank) return nullptr;
      pos = prev_start;
      continue;
    }
    size_t end = prev_start + last + 1;
    auto it = std::lower_bound(comments.begin(), comments.end(), end,
                               [](const CommentNode& c, size_t e) { return c.end < e; });
    if (it == comments.end() || it->end != end) return nullptr;
    if (!IndentBefore(text, it->begin, nullptr)) return nullptr;
    return &*it;
  }
}

bool IsDirective(CommentRole role) {
  return role == CommentRole::kDirective || role == CommentRole::kNextLineDirective;
}

CommentRole RoleOf(const ParsedFile& file, size_t begin, size_t end, bool header) {
  CommentContext context;
  context.file_header = header;
  return ClassifyComment(file.language, std::string_view(file.text).substr(begin, end - begin), context);
}

// A line of decoration: ten or more of `*=-#~_+/` and nothing else but blanks.
bool IsDecorationLine(std::string_view line) {
  size_t marks = 0;
  for (char c : line) {
    if (std::string_view("*=-#~_+/").find(c) != std::string_view::npos) ++marks;
    else if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return marks >= 10;
}

// A section banner: its first or last line is a line of decoration (`/*******`, `// ------`).
// Lines inside may underline things (libyaml marks grammar symbols with `*****`), so only the
// frame counts.
bool IsBanner(std::string_view raw) {
  size_t first_end = raw.find('\n');
  size_t last_begin = raw.rfind('\n');
  return IsDecorationLine(raw.substr(0, first_end)) ||
         (last_begin != std::string_view::npos && IsDecorationLine(raw.substr(last_begin + 1)));
}

// Nothing but a blank line, or the opening or end of a block (`{`, `}`: a comment cannot be about
// a closing brace), above the comment's first line.
bool StandsAlone(std::string_view text, size_t begin) {
  size_t line = LineStart(text, begin);
  if (line <= BomLength(text)) return true;
  size_t prev_start = LineStart(text, line - 1);
  std::string_view prev = text.substr(prev_start, line - prev_start);
  size_t last = prev.find_last_not_of(" \t\r\n\f");
  return last == std::string_view::npos || prev[last] == '{' || prev[last] == '}';
}

// Whether stack[j] is the routine's own comment (the blocks below it are directives).
bool IsRoutinesComment(std::string_view text, const std::vector<CommentBlock>& stack, size_t j) {
  const CommentBlock& b = stack[j];
  if (b.role != CommentRole::kDoc) return false;
  if (b.blank_lines_below == 0) return true;
  // Separated by a blank line: only a comment standing alone right over the routine itself, and
  // neither the file's header nor a section banner.
  return j == 0 && !b.header && !IsBanner(text.substr(b.begin, b.end - b.begin)) && StandsAlone(text, b.begin);
}

}  // namespace

std::vector<CommentBlock> CommentStack(const ParsedFile& file, const std::vector<CommentNode>& comments,
                                       size_t line_start) {
  std::string_view text = file.text;
  std::vector<CommentBlock> stack;
  int blank = 0;
  for (size_t pos = line_start; const CommentNode* c = CommentEndingAbove(text, comments, pos, 1, &blank);) {
    CommentBlock b{c->begin, c->end, RoleOf(file, c->begin, c->end, c->header), c->header, blank};
    if (c->line && !IsDirective(b.role)) {
      // A run of // lines is one block; a directive line never joins it (it must stay as it is).
      int gap = 0;
      const CommentNode* above = c;
      while ((above = CommentEndingAbove(text, comments, LineStart(text, b.begin), 0, &gap)) && above->line &&
             !IsDirective(RoleOf(file, above->begin, above->end, above->header))) {
        b.begin = above->begin;
        b.header = above->header;
      }
      b.role = RoleOf(file, b.begin, b.end, b.header);
    }
    stack.push_back(b);
    pos = LineStart(text, b.begin);
  }
  return stack;
}

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
  std::vector<CommentBlock> stack = CommentStack(file, comments, LineStart(text, anchor));
  // Next-line directives stay right above the code they govern: a new comment goes above them.
  size_t insert_at = LineStart(text, anchor);
  size_t i = 0;
  for (; i < stack.size() && stack[i].role == CommentRole::kNextLineDirective && stack[i].blank_lines_below == 0; ++i) {
    insert_at = LineStart(text, stack[i].begin);
  }
  r.comment_begin = r.comment_end = insert_at;
  // An existing doc may sit above any directives attached to the routine.
  size_t j = i;
  while (j < stack.size() && IsDirective(stack[j].role) && stack[j].blank_lines_below == 0) ++j;
  if (j < stack.size() && IsRoutinesComment(text, stack, j)) {
    r.has_comment = true;
    r.comment_begin = stack[j].begin;
    r.comment_end = stack[j].end;
    r.existing_comment =
        StripCommentSyntax(text.substr(r.comment_begin, r.comment_end - r.comment_begin), file.language.spec().comments);
  }
  for (const CommentBlock& b : stack) r.comment_count += b.role == CommentRole::kDoc ? 1 : 0;
}

void DetachCommentAcrossBlankLine(const ParsedFile& file, Routine& r) {
  if (!r.has_comment) return;
  std::string_view text = file.text;
  std::string_view between = text.substr(r.comment_end, r.start_byte - r.comment_end);
  // Whole lines strictly between the comment's line and the declaration's (directives or blank).
  size_t at = between.find('\n');
  bool blank = false;
  while (at != std::string_view::npos) {
    size_t next = between.find('\n', at + 1);
    if (next == std::string_view::npos) break;
    blank = blank || between.substr(at + 1, next - at - 1).find_first_not_of(" \t\r\f") == std::string_view::npos;
    at = next;
  }
  if (!blank) return;
  r.has_comment = false;
  r.existing_comment.clear();
  r.comment_begin = r.comment_end = LineStart(text, r.start_byte);
}

void SkipIfANewLineDocWouldJoin(const ParsedFile& file, const std::vector<CommentNode>& comments, Routine& r) {
  if (r.has_comment || !r.skip_reason.empty()) return;
  std::vector<CommentBlock> stack = CommentStack(file, comments, LineStart(file.text, r.start_byte));
  size_t i = 0;
  while (i < stack.size() && stack[i].role == CommentRole::kNextLineDirective && stack[i].blank_lines_below == 0) ++i;
  if (i == stack.size() || stack[i].blank_lines_below > 0 || IsDirective(stack[i].role)) return;
  size_t end = stack[i].end;
  auto last = std::lower_bound(comments.begin(), comments.end(), end, [](const CommentNode& c, size_t e) { return c.end < e; });
  if (last == comments.end() || last->end != end || !last->line) return;  // a block comment above: new lines stay apart
  std::string_view prefix = file.language.spec().doc.prefix;
  prefix = prefix.substr(0, prefix.find_last_not_of(' ') + 1);
  r.skip_reason = std::string("a ") + CommentRoleName(stack[i].role) + " comment right above: a new " +
                  std::string(prefix) + " doc would join it";
}

namespace {

// Whether the line above `pos` ends in a line comment: a run of line comments written right below
// it would join it and no longer be a comment of its own.
bool LineCommentAbove(const ParsedFile& file, size_t pos) {
  std::string_view text = file.text;
  size_t line = LineStart(text, pos);
  if (line <= BomLength(text)) return false;
  size_t prev = LineStart(text, line - 1);
  std::string_view above = text.substr(prev, line - prev);
  size_t first = above.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  const auto& prefixes = file.language.spec().comments.line_prefixes;
  return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view p) { return above.substr(first, p.size()) == p; });
}

}  // namespace

std::string RenderDocComment(const ParsedFile& file, const Routine& r, std::string_view text) {
  // A learned line style falls back to the block convention where its run would merge with a line
  // comment above (C/C++ only: where lines are the convention, AttachLeadingComment decides).
  DocStyle fallback;
  bool merges = file.style.lines && !ConventionStyle(file.language.spec()).lines && LineCommentAbove(file, r.comment_begin);
  if (merges) {
    fallback = ConventionStyle(file.language.spec());
    fallback.width = file.style.width;
  }
  const DocStyle& style = merges ? fallback : file.style;
  const DocSyntax& doc = file.language.spec().doc;
  const std::string& eol = file.eol;
  const std::string& lead = style.gutter;
  std::string bare = lead.substr(0, lead.find_last_not_of(' ') + 1);  // the lead of a blank line
  std::string out = style.lines ? "" : r.indent + style.open + eol;
  for (std::string line : ProseLines(text, WrapWidth(r.indent, lead.size(), static_cast<size_t>(style.width)))) {
    if (!style.lines && !doc.escape_from.empty()) {
      for (size_t at = line.find(doc.escape_from); at != std::string::npos;
           at = line.find(doc.escape_from, at + doc.escape_to.size())) {
        line.replace(at, doc.escape_from.size(), doc.escape_to);
      }
    }
    out += r.indent + (line.empty() ? bare : lead + line) + eol;
  }
  if (!style.lines) out += r.indent + style.close + eol;
  return out;
}

std::string StripCommentSyntax(std::string_view raw, const CommentSyntax& syntax) {
  std::vector<std::string> lines = SplitLines(raw);
  if (lines.empty()) return "";
  std::string_view open = syntax.block_open, close = syntax.block_close;
  if (!open.empty() && raw.substr(0, open.size()) == open) {
    // Undo RenderDocComment's escape so that reading back what we wrote gives the text again.
    for (auto& line : lines) {
      for (size_t at = line.find("*\\/"); at != std::string::npos; at = line.find("*\\/", at + 1)) line.erase(at + 1, 1);
    }
    // "/**" and "/*!" open a doc as "/*" does; the frame's repeated characters are syntax too.
    char repeat = open.back() == '*' ? '*' : '\0';
    std::string& first = lines.front();
    size_t skip = open.size();
    while (skip < first.size() && (first[skip] == repeat || (skip == open.size() && first[skip] == '!'))) ++skip;
    first = first.substr(skip);
    std::string& last = lines.back();
    size_t close_at = last.rfind(close);
    if (!close.empty() && close_at != std::string::npos && last.find_first_not_of(" \t\r", close_at + close.size()) == std::string::npos) {
      last.resize(close_at);
      while (repeat && !last.empty() && last.back() == repeat) last.pop_back();
    }
    // " * text" continuation lines lose their star when every non-blank one has it.
    bool starred = lines.size() > 1;
    for (size_t i = 1; i < lines.size(); ++i) {
      size_t lead = lines[i].find_first_not_of(" \t");
      if (lead != std::string::npos && lines[i][lead] != '*') starred = false;
    }
    // The gutter is the run of stars every such line has: " * " as most write it, "** " as SQLite does.
    size_t stars = SIZE_MAX;
    for (size_t i = 1; starred && i < lines.size(); ++i) {
      size_t lead = lines[i].find_first_not_of(" \t");
      if (lead == std::string::npos) continue;
      size_t run = lines[i].find_first_not_of('*', lead);
      run = (run == std::string::npos ? lines[i].size() : run) - lead;
      if (i + 1 == lines.size() && run == lines[i].size() - lead) continue;  // the closing line's own stars
      stars = std::min(stars, run);
    }
    if (stars == SIZE_MAX) stars = 1;
    for (size_t i = 1; starred && i < lines.size(); ++i) {
      size_t lead = lines[i].find_first_not_of(" \t");
      if (lead == std::string::npos) continue;
      lines[i] = lines[i].substr(std::min(lines[i].size(), lead + stars));
      if (!lines[i].empty() && lines[i][0] == ' ') lines[i].erase(0, 1);
    }
    return Cleandoc(lines);
  }
  for (auto& line : lines) {
    size_t at = line.find_first_not_of(" \t");
    if (at == std::string::npos) continue;
    for (std::string_view prefix : syntax.line_prefixes) {
      if (std::string_view(line).substr(at, prefix.size()) != prefix) continue;
      // "///", "//!", "##", "---": the prefix's last character repeated, or a bang, is syntax too.
      size_t skip = at + prefix.size();
      while (skip < line.size() && (line[skip] == prefix.back() || line[skip] == '!')) ++skip;
      line = " " + line.substr(skip);
      break;
    }
  }
  lines.insert(lines.begin(), "");
  return Cleandoc(lines);
}

}  // namespace scale::languages::detail
