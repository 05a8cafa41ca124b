// LearnDocStyle (house_style.h): the shape of a file's doc comments, read back from the routines'
// existing docs. Only shapes that scale can write and read back again are learned: an opening
// alone on its line, one gutter for every text line, a closing line with no text; or a run of line
// comments with one prefix. Anything else leaves the convention in place.
#include "languages/house_style.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "languages/spec.h"
#include "languages/text_util.h"

namespace scale::languages::detail {

namespace {

struct Shape {
  bool lines = false;
  std::string open, gutter, close;
  auto Key() const { return std::tie(lines, open, gutter, close); }
};

std::string_view WithoutIndent(std::string_view line, std::string_view indent) {
  if (line.substr(0, indent.size()) == indent) line.remove_prefix(indent.size());
  return line;
}

std::string RightTrimmed(std::string_view s) {
  size_t end = s.find_last_not_of(" \t\r");
  return std::string(end == std::string_view::npos ? std::string_view() : s.substr(0, end + 1));
}

std::optional<Shape> BlockShape(const std::vector<std::string>& lines, std::string_view indent, const CommentSyntax& syntax) {
  if (lines.size() < 3) return std::nullopt;  // a one-line `/** x */` says nothing about gutters
  std::string first = RightTrimmed(lines.front());
  std::string_view open = syntax.block_open;
  if (first.size() > open.size() + 1) return std::nullopt;  // text on the opening line
  if (first.size() == open.size() + 1 && first.back() != '*') return std::nullopt;  // `/*!` and the like
  Shape shape;
  shape.open = first;
  shape.close = RightTrimmed(WithoutIndent(lines.back(), indent));
  std::string_view close = shape.close;
  std::string_view close_mark = syntax.block_close;
  if (close.size() < close_mark.size() || close.substr(close.size() - close_mark.size()) != close_mark ||
      close.substr(0, close.size() - close_mark.size()).find_first_not_of(" *") != std::string_view::npos) {
    return std::nullopt;  // text on the closing line
  }
  std::optional<std::string> gutter;
  for (size_t i = 1; i + 1 < lines.size(); ++i) {
    std::string_view line = WithoutIndent(lines[i], indent);
    if (RightTrimmed(line).empty()) continue;
    size_t text = line.find_first_not_of(" *");
    if (text == std::string_view::npos) {  // a gutter with no text: a blank line of the doc
      if (gutter && RightTrimmed(*gutter) != RightTrimmed(line)) return std::nullopt;
      continue;
    }
    std::string here(line.substr(0, text));
    if (!gutter) gutter = here;
    else if (*gutter != here) return std::nullopt;
  }
  if (!gutter || gutter->find(close_mark) != std::string::npos) return std::nullopt;
  shape.gutter = *gutter;
  return shape;
}

std::optional<Shape> LineShape(const std::vector<std::string>& lines, std::string_view indent, const CommentSyntax& syntax) {
  std::string_view first = WithoutIndent(lines.front(), indent);
  for (std::string_view prefix : syntax.line_prefixes) {
    if (first.substr(0, prefix.size()) != prefix) continue;
    size_t end = prefix.size();
    while (end < first.size() && first[end] == prefix.back()) ++end;
    if (end < first.size() && first[end] == '!') ++end;  // Doxygen's `//!`
    if (end >= first.size() || first[end] != ' ') return std::nullopt;  // "//text": no gutter to learn
    ++end;
    Shape shape;
    shape.lines = true;
    shape.gutter = std::string(first.substr(0, end));
    std::string bare = RightTrimmed(shape.gutter);
    for (const std::string& raw : lines) {
      std::string_view line = WithoutIndent(raw, indent);
      bool blank = RightTrimmed(line) == bare;
      if (!blank && line.substr(0, shape.gutter.size()) != shape.gutter) return std::nullopt;
      // "////" under a "///" gutter is another prefix, not text.
      if (!blank && line.size() > shape.gutter.size() && shape.gutter.back() != ' ' &&
          line[shape.gutter.size()] == prefix.back()) {
        return std::nullopt;
      }
    }
    return shape;
  }
  return std::nullopt;
}

// Python docstrings: which of the three common section styles they use.
std::string Sections(std::string_view doc) {
  if (doc.find("\n----------") != std::string_view::npos || doc.find("-------\n") != std::string_view::npos) {
    return "numpy";
  }
  if (doc.find(":param ") != std::string_view::npos || doc.find(":returns:") != std::string_view::npos ||
      doc.find(":return:") != std::string_view::npos || doc.find(":raises ") != std::string_view::npos) {
    return "sphinx";
  }
  for (std::string_view head : {"Args:", "Arguments:", "Returns:", "Raises:", "Yields:", "Attributes:"}) {
    if (doc.find(head) != std::string_view::npos) return "google";
  }
  return "";
}

// The column a file's docs reach, to the nearest ten, when that is past the usual 80 (up to 120:
// beyond that it is a stray long line, not a limit). Never below 80, and rounded: comments scale
// wrote reach the width plus at most a few escaped characters, so they can never change what is
// learned, and a second run writes the same bytes.
int LearnedWidth(const std::vector<int>& longest) {
  int width = longest.empty() ? 0 : *std::max_element(longest.begin(), longest.end());
  int rounded = (width + 5) / 10 * 10;
  return rounded > 80 && rounded <= 120 ? rounded : 80;
}

// One doc is an accident as often as a style: a shape is learned from two docs that agree.
constexpr int kMinVotes = 2;

template <typename T>
std::optional<T> Majority(const std::vector<T>& votes) {
  // Most votes wins; a tie goes to the one seen first (so the result depends on the text only).
  std::optional<T> best;
  int best_count = kMinVotes - 1;
  for (const T& v : votes) {
    int count = static_cast<int>(std::count(votes.begin(), votes.end(), v));
    if (count > best_count) {
      best = v;
      best_count = count;
    }
  }
  return best;
}

}  // namespace

DocStyle ConventionStyle(const LanguageSpec& spec) {
  DocStyle style;
  const DocSyntax& doc = spec.doc;
  style.lines = doc.kind == DocSyntax::kLines;
  if (doc.kind == DocSyntax::kLines) {
    style.open = style.close = "";
    style.gutter = std::string(doc.prefix);
  } else if (doc.kind == DocSyntax::kBlock) {
    style.open = std::string(doc.open);
    style.gutter = std::string(doc.gutter);
    style.close = std::string(doc.close);
  } else {
    style.open = style.close = "\"\"\"";
    style.gutter = "";
  }
  return style;
}

DocStyle LearnDocStyle(const ParsedFile& file) {
  const LanguageSpec& spec = file.language.spec();
  DocStyle style = ConventionStyle(spec);
  std::string_view text = file.text;
  std::vector<Shape> shapes;
  std::vector<std::string> sections;
  std::vector<int> longest;
  for (const Routine& r : file.routines) {
    if (!r.has_comment || r.comment_end <= r.comment_begin) continue;
    size_t begin = LineStart(text, r.comment_begin);
    std::string_view raw = text.substr(begin, r.comment_end - begin);
    std::vector<std::string> lines = SplitLines(raw);
    if (lines.empty()) continue;
    int width = 0;
    for (const std::string& line : lines) {
      // A line of one word (a long name, a URL) was not wrapped at any width: it says nothing of one.
      std::string trimmed = RightTrimmed(line);
      size_t words = trimmed.find_first_not_of(" \t*/#-!\"'");
      if (words == std::string::npos || trimmed.find(' ', words) == std::string::npos) continue;
      width = std::max(width, static_cast<int>(trimmed.size()));
    }
    longest.push_back(width);
    if (spec.doc.kind == DocSyntax::kDocstring) {
      if (std::string s = Sections(r.existing_comment); !s.empty()) sections.push_back(s);
      continue;
    }
    // The routine's indent is the comment's: strip it so that shapes compare across nesting levels.
    std::string_view body = raw.substr(r.comment_begin - begin);
    std::vector<std::string> own = SplitLines(body);
    if (own.empty()) continue;
    for (size_t i = 1; i < own.size(); ++i) own[i] = std::string(WithoutIndent(own[i], r.indent));
    std::optional<Shape> shape;
    const CommentSyntax& syntax = spec.comments;
    if (!syntax.block_open.empty() && body.substr(0, syntax.block_open.size()) == syntax.block_open) {
      shape = BlockShape(own, "", syntax);
    } else {
      shape = LineShape(own, "", syntax);
    }
    if (shape) shapes.push_back(*shape);
  }
  style.width = LearnedWidth(longest);
  if (auto s = Majority(sections)) style.sections = *s;
  std::vector<std::tuple<bool, std::string, std::string, std::string>> keys;
  for (const Shape& s : shapes) keys.emplace_back(s.lines, s.open, s.gutter, s.close);
  std::optional<std::tuple<bool, std::string, std::string, std::string>> winner = Majority(keys);
  if (winner) {
    auto [lines, open, gutter, close] = *winner;
    bool same_kind = lines == style.lines;
    bool same_opening = lines ? RightTrimmed(gutter) == RightTrimmed(style.gutter) : open == style.open;
    if (spec.doc.opening_follows_file || (same_kind && same_opening)) {
      style.lines = lines;
      style.open = open;
      style.gutter = gutter;
      style.close = close;
    }
  }
  style.samples = static_cast<int>(longest.size());
  if (style.samples > 0) style.origin = "file";
  return style;
}

}  // namespace scale::languages::detail
