// The language-independent half of language.h: parsing into routines, patching, verifying and
// views. The per-language parts live in python.cc, c.cc and javascript.cc (worker.h).
#include "languages/language.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "languages/facts_util.h"
#include "languages/house_style.h"
#include "languages/spec.h"
#include "languages/text_util.h"
#include "languages/ts_util.h"
#include "languages/worker.h"
#include "util/json_text.h"

namespace scale::languages {

using namespace detail;

ParsedFile Parse(Language language, std::string text) { return Parse(language, std::move(text), ParseOptions{}); }

TreePtr detail::ParsePrepared(Language language, std::string_view text, const ParseOptions& options) {
  if (!language.spec().prepare) return ParseTree(language, text, options.max_bytes);
  return ParseTree(language, language.spec().prepare(text, options), options.max_bytes);
}

namespace {

ParsedFile ParseKeepingTree(Language language, std::string text, const ParseOptions& options, TreePtr* keep) {
  ParsedFile file;
  file.language = language;
  file.text = std::move(text);
  file.c_header = options.c_header && !language.spec().header_extensions.empty();
  file.macros = options.macros;
  DetectStyle(file);
  if (IsDocstringLanguage(language)) file.declared_encoding = DeclaredEncoding(file.text);
  TreePtr tree = ParsePrepared(language, file.text, options);
  TSNode root = ts_tree_root_node(tree.get());
  CollectErrors(root, file);
  Collector collector;
  language.spec().find_routines(root, file, collector);
  collector.Finish(file);
  if (language.spec().facts) {
    for (Routine& r : file.routines) language.spec().facts(RoutineNode(root, r), file.text, r, r.facts);
  }
  file.style = options.style ? *options.style : LearnDocStyle(file);
  if (keep) *keep = std::move(tree);
  return file;
}

}  // namespace

ParsedFile Parse(Language language, std::string text, const ParseOptions& options) {
  return ParseKeepingTree(language, std::move(text), options, nullptr);
}

DocStyle ConventionDocStyle(Language language) { return ConventionStyle(language.spec()); }

std::optional<std::string> DocStyleProblem(Language language, const DocStyle& style) {
  const LanguageSpec& spec = language.spec();
  const CommentSyntax& syntax = spec.comments;
  if (IsDocstringLanguage(language)) {
    if (style.sections != "" && style.sections != "google" && style.sections != "numpy" && style.sections != "sphinx") {
      return "sections must be google, numpy or sphinx, not '" + style.sections + "'";
    }
    return std::nullopt;
  }
  if (style.width < 40 || style.width > 200) return "width must be between 40 and 200";
  auto has_newline = [](const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; };
  if (has_newline(style.open) || has_newline(style.gutter) || has_newline(style.close)) return "a line break in the style";
  if (style.lines) {
    bool ok = std::any_of(syntax.line_prefixes.begin(), syntax.line_prefixes.end(),
                          [&](std::string_view p) { return style.gutter.substr(0, p.size()) == p; });
    if (!ok) return "the line prefix '" + style.gutter + "' does not start a line comment in " + LanguageName(language);
    DocStyle convention = ConventionStyle(spec);
    auto trimmed = [](std::string s) { return s.substr(0, s.find_last_not_of(' ') + 1); };
    if (!spec.doc.opening_follows_file && (!convention.lines || trimmed(style.gutter) != trimmed(convention.gutter))) {
      return std::string(LanguageName(language)) + " tools read only '" + trimmed(convention.gutter) + "' doc comments";
    }
    return std::nullopt;
  }
  if (syntax.block_open.empty()) return std::string(LanguageName(language)) + " has no block comments: use a line prefix";
  if (style.open.substr(0, syntax.block_open.size()) != syntax.block_open) {
    return "the opening '" + style.open + "' does not start a comment (" + std::string(syntax.block_open) + ")";
  }
  if (!spec.doc.opening_follows_file && style.open != ConventionStyle(spec).open) {
    return std::string(LanguageName(language)) + " tools read only '" + ConventionStyle(spec).open + "' doc comments";
  }
  std::string_view close = style.close;
  if (close.size() < syntax.block_close.size() || close.substr(close.size() - syntax.block_close.size()) != syntax.block_close) {
    return "the closing '" + style.close + "' does not end with " + std::string(syntax.block_close);
  }
  if (style.gutter.find(syntax.block_close) != std::string::npos || style.open.find(syntax.block_close) != std::string::npos) {
    return "the opening or gutter would end the comment";
  }
  return std::nullopt;
}

std::vector<int> InnermostFirst(const ParsedFile& file) {
  // Post-order: a routine right after its last descendant, siblings in source order, so that a
  // parent is processed as soon as everything it will be shown (its children's comments) exists.
  std::vector<int> order;
  order.reserve(file.routines.size());
  std::function<void(int)> visit = [&](int id) {
    for (int child : file.routines[static_cast<size_t>(id)].children) visit(child);
    order.push_back(id);
  };
  for (const Routine& r : file.routines) {
    if (r.parent < 0) visit(r.id);
  }
  return order;
}

namespace {

const Routine& At(const ParsedFile& file, int id) {
  if (id < 0 || static_cast<size_t>(id) >= file.routines.size()) {
    throw std::out_of_range("no routine " + std::to_string(id) + " in this file");
  }
  return file.routines[static_cast<size_t>(id)];
}

// The comment as it replaces an existing one: the first line's indentation and the last line end
// are outside the replaced bytes, so they are not repeated.
std::string Replacement(const ParsedFile& file, const Routine& r, const std::string& rendered) {
  std::string s = rendered.substr(std::min(r.indent.size(), rendered.size()));
  if (s.size() >= file.eol.size() && s.compare(s.size() - file.eol.size(), file.eol.size(), file.eol) == 0) {
    s.resize(s.size() - file.eol.size());
  }
  return s;
}

// A direct child as RoutineView shows it: header and comment, no body.
std::string ChildStub(const ParsedFile& file, const Routine& c, const std::string* comment) {
  std::string_view text = file.text;
  std::string out;
  std::string own_indent;
  IndentBefore(text, c.start_byte, &own_indent);
  if (IsDocstringLanguage(file.language)) {
    out = own_indent + c.signature + file.eol;
    if (comment) out += RenderDocstring(file, c, *comment);
    else out += c.indent + "..." + file.eol;
  } else {
    if (comment) out = RenderDocComment(file, c, *comment);
    out += own_indent + c.signature;
    if (c.body_begin < c.end_byte) out += text[c.body_begin] == '{' ? " { ... }" : " ...";
    out += file.eol;
  }
  return out;
}

}  // namespace

namespace {

// A Python file that declares another codec than UTF-8 gets ASCII comments only: latin-1, cp1252
// and the rest each lack some characters, and "ascii" lacks all of them.
bool AsciiOnly(const ParsedFile& file) {
  return !file.declared_encoding.empty() && !IsUtf8EncodingName(file.declared_encoding);
}

}  // namespace

std::optional<std::string> CommentTextProblem(const ParsedFile& file, std::string_view text) {
  if (!IsValidUtf8(text)) return "comment text is not valid UTF-8";
  if (AsciiOnly(file) && !IsAscii(AsciiPunctuation(text))) {
    return "comment has characters the file's declared encoding (" + file.declared_encoding + ") may not represent";
  }
  return std::nullopt;
}

std::string ConventionalCommentText(const ParsedFile& file, int id, std::string_view text) {
  return ConventionalCommentText(file.language, At(file, id), text);
}

std::string ConventionalCommentText(Language language, const Routine& routine, std::string_view text) {
  auto hook = language.spec().conventional_text;
  return hook ? hook(routine, text) : std::string(text);
}

std::string RenderComment(const ParsedFile& file, int id, std::string_view text) {
  const Routine& r = At(file, id);
  std::string ascii;
  if (AsciiOnly(file)) text = ascii = AsciiPunctuation(text);
  return IsDocstringLanguage(file.language) ? RenderDocstring(file, r, text) : RenderDocComment(file, r, text);
}

std::string RoutineView(const ParsedFile& file, int id, const std::map<int, std::string>& new_comments) {
  const Routine& r = At(file, id);
  std::string_view text = file.text;
  auto comment_of = [&](const Routine& x) -> const std::string* {
    auto it = new_comments.find(x.id);
    if (it != new_comments.end()) return &it->second;
    return x.has_comment ? &x.existing_comment : nullptr;
  };
  // C/JS: the routine's own comment sits above it and is part of what the model sees.
  bool comment_above = !IsDocstringLanguage(file.language);
  size_t begin = LineStart(text, comment_above && r.has_comment ? std::min(r.comment_begin, r.start_byte) : r.start_byte);
  std::string view;
  size_t pos = begin;
  for (int child_id : r.children) {
    const Routine& c = file.routines[static_cast<size_t>(child_id)];
    size_t child_begin = LineStart(text, comment_above && c.has_comment ? std::min(c.comment_begin, c.start_byte) : c.start_byte);
    if (child_begin < pos) child_begin = pos;  // shares a line with the previous child: keep bytes once
    view.append(text.substr(pos, child_begin - pos));
    std::string stub = ChildStub(file, c, comment_of(c));
    // The stub ends its line; the text after the child resumes with its own line end.
    size_t child_end = c.end_byte;
    if (text.substr(child_end, file.eol.size()) == file.eol) child_end += file.eol.size();
    else if (text.substr(child_end, 1) == "\n") child_end += 1;
    else stub.resize(stub.size() - file.eol.size());
    view += stub;
    pos = std::max(pos, child_end);
  }
  if (pos < r.end_byte) view.append(text.substr(pos, r.end_byte - pos));
  // Relative indentation: remove the routine's own indentation from every line that has it.
  size_t lead = 0;
  while (lead < view.size() && (view[lead] == ' ' || view[lead] == '\t')) ++lead;
  std::string indent = view.substr(0, lead);
  if (indent.empty()) return view;
  std::string out;
  for (size_t at = 0; at < view.size();) {
    size_t nl = view.find('\n', at);
    size_t end = nl == std::string::npos ? view.size() : nl + 1;
    std::string_view line(view.data() + at, end - at);
    if (line.substr(0, indent.size()) == indent) line.remove_prefix(indent.size());
    out.append(line);
    at = end;
  }
  return out;
}

std::string ApplyComments(const ParsedFile& file, const std::map<int, std::string>& comments) {
  struct Edit {
    size_t begin, end;
    std::string text;
  };
  std::vector<Edit> edits;
  for (const auto& [id, comment] : comments) {
    const Routine& r = At(file, id);
    if (!Patchable(r)) continue;
    std::string rendered = RenderComment(file, id, comment);
    if (r.has_comment) edits.push_back({r.comment_begin, r.comment_end, Replacement(file, r, rendered)});
    else edits.push_back({r.comment_begin, r.comment_begin, std::move(rendered)});
  }
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  std::string out;
  out.reserve(file.text.size() + 256 * edits.size());
  size_t pos = 0;
  for (const Edit& e : edits) {
    if (e.begin < pos) continue;  // overlapping edits cannot happen for distinct routines; be safe
    out.append(file.text, pos, e.begin - pos);
    out += e.text;
    pos = e.end;
  }
  out.append(file.text, pos, std::string::npos);
  return out;
}

namespace {

std::vector<std::string> Tokens(Language language, std::string_view text, TSNode root, bool with_depth) {
  std::vector<std::string> out;
  const LanguageSpec& spec = language.spec();
  if (spec.append_tokens) {
    spec.append_tokens(root, text, with_depth, out);
  } else {
    AppendTokens(root, text, spec.atomic_tokens, [&](TSNode n) { return IsCommentNode(spec.comments, n); }, with_depth, out);
  }
  return out;
}

}  // namespace

std::vector<std::string> CodeTokens(Language language, std::string_view text) {
  TreePtr tree = ParsePrepared(language, text, ParseOptions{});
  return Tokens(language, text, ts_tree_root_node(tree.get()), false);
}

namespace {

using Ranges = std::vector<std::pair<size_t, size_t>>;

// Every comment's text (Python: also every docstring) outside `skip`, in source order.
std::vector<std::string_view> CommentsOutside(const ParsedFile& file, TSNode root, const Ranges& skip) {
  std::string_view text = file.text;
  Ranges spans;
  for (const CommentNode& c : CollectComments(root, text, file.language.spec().comments)) spans.emplace_back(c.begin, c.end);
  if (IsDocstringLanguage(file.language)) {
    for (TSNode doc : DocstringStatements(root, text)) {
      TSNode value = DocstringValue(doc);
      spans.emplace_back(ts_node_start_byte(value), ts_node_end_byte(value));
    }
  }
  std::sort(spans.begin(), spans.end());
  std::vector<std::string_view> out;
  for (const auto& span : spans) {
    size_t b = span.first, e = span.second;  // (clang 14 cannot capture structured bindings)
    bool skipped = std::any_of(skip.begin(), skip.end(), [&](const auto& r) { return b >= r.first && e <= r.second; });
    if (!skipped) out.push_back(text.substr(b, e - b));
  }
  return out;
}

// What the language itself would refuse in `after` that it accepted in `original`.
std::string LanguageProblem(const ParsedFile& original, const ParsedFile& after, const std::vector<int>& ids) {
  if (after.error_nodes > original.error_nodes) {
    return "patched file has new syntax errors (" + std::to_string(after.error_nodes) + " error nodes, was " +
           std::to_string(original.error_nodes) + ")";
  }
  if (IsValidUtf8(original.text) && !IsValidUtf8(after.text)) return "patched file is not valid UTF-8";
  if (after.declared_encoding != original.declared_encoding) {
    return "declared encoding changed from '" + original.declared_encoding + "' to '" + after.declared_encoding + "'";
  }
  if (!AsciiOnly(after)) return "";
  for (int id : ids) {
    if (static_cast<size_t>(id) >= after.routines.size()) continue;  // reported by the routine checks
    const Routine& now = after.routines[static_cast<size_t>(id)];
    if (now.has_comment && !IsAscii(std::string_view(after.text).substr(now.comment_begin, now.comment_end - now.comment_begin))) {
      return "comment of " + now.qualified_name + " is not ASCII, but the file declares " + after.declared_encoding;
    }
  }
  return "";
}

std::string TokenProblem(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  if (before == after) return "";
  size_t i = 0;
  while (i < before.size() && i < after.size() && before[i] == after[i]) ++i;
  auto show = [](const std::vector<std::string>& t, size_t k) { return k < t.size() ? "'" + t[k] + "'" : "end of file"; };
  return "code changed: token " + std::to_string(i) + " was " + show(before, i) + ", now " + show(after, i);
}

// Whether patched routine `id` has exactly one comment, in the right place.
std::string RoutineProblem(const ParsedFile& original, const ParsedFile& after, int id) {
  const Routine& was = At(original, id);
  const Routine& now = after.routines[static_cast<size_t>(id)];
  std::string who = was.qualified_name + " (line " + std::to_string(was.start_line) + ")";
  if (now.name != was.name || now.kind != was.kind) return "routine " + who + " not found at its place after patching";
  if (!now.has_comment) return "routine " + who + " has no comment in the right place";
  int expected = was.comment_count + (was.has_comment ? 0 : 1);
  if (now.comment_count != expected) {
    return "routine " + who + " has " + std::to_string(now.comment_count) + " comments where " +
           std::to_string(expected) + " belong (doubled or misplaced comment)";
  }
  if (!IsDocstringLanguage(original.language)) {
    // What stands between the comment and the routine (blank lines, directives) is as it was; a
    // new comment sits right where it was inserted.
    std::string_view a = original.text, b = after.text;
    std::string expected_between = was.has_comment ? std::string(a.substr(was.comment_end, was.start_byte - was.comment_end))
                                                   : original.eol + std::string(a.substr(was.comment_begin, was.start_byte - was.comment_begin));
    if (now.comment_end > now.start_byte || b.substr(now.comment_end, now.start_byte - now.comment_end) != expected_between) {
      return "routine " + who + " has its comment in the wrong place";
    }
  }
  return "";
}

}  // namespace

Verification Verify(const ParsedFile& original, const std::string& patched, const std::vector<int>& patched_ids) {
  Verification v;
  ParseOptions options;
  options.c_header = original.c_header;
  options.macros = original.macros;
  options.max_bytes = std::max(options.max_bytes, patched.size());
  ParsedFile after;
  TreePtr t1, t2;
  std::vector<std::string> before_tokens, after_tokens;
  try {
    after = ParseKeepingTree(original.language, patched, options, &t2);
    t1 = ParsePrepared(original.language, original.text, options);
    before_tokens = Tokens(original.language, original.text, ts_tree_root_node(t1.get()), true);
    after_tokens = Tokens(original.language, after.text, ts_tree_root_node(t2.get()), true);
  } catch (const std::exception& e) {
    v.problem = std::string("patched file does not parse: ") + e.what();
    return v;
  }
  v.problem = LanguageProblem(original, after, patched_ids);
  if (v.problem.empty()) v.problem = TokenProblem(before_tokens, after_tokens);
  if (v.problem.empty() && after.routines.size() != original.routines.size()) {
    v.problem = "routines changed: " + std::to_string(original.routines.size()) + " before, " +
                std::to_string(after.routines.size()) + " after";
  }
  Ranges replaced_before, replaced_after;
  for (int id : patched_ids) {
    if (!v.problem.empty()) break;
    v.problem = RoutineProblem(original, after, id);
    const Routine& was = At(original, id);
    const Routine& now = after.routines[static_cast<size_t>(id)];
    if (was.has_comment) replaced_before.emplace_back(was.comment_begin, was.comment_end);
    replaced_after.emplace_back(now.comment_begin, now.comment_end);
  }
  if (v.problem.empty() && CommentsOutside(original, ts_tree_root_node(t1.get()), replaced_before) !=
                               CommentsOutside(after, ts_tree_root_node(t2.get()), replaced_after)) {
    v.problem = "a comment other than the patched routines' own changed (directive, licence or other comment)";
  }
  v.ok = v.problem.empty();
  return v;
}

VerifiedPatch ApplyAndVerify(const ParsedFile& file, const std::map<int, std::string>& comments) {
  VerifiedPatch result;
  std::vector<int> candidates;
  for (const auto& [id, text] : comments) {
    const Routine& r = At(file, id);
    std::optional<std::string> text_problem = CommentTextProblem(file, text);
    if (r.in_error_region) result.dropped[id] = "overlaps a syntax error";
    else if (!r.skip_reason.empty()) result.dropped[id] = r.skip_reason;
    else if (text_problem) result.dropped[id] = *text_problem;
    else candidates.push_back(id);
  }
  auto subset = [&](const std::vector<int>& ids) {
    std::map<int, std::string> some;
    for (int id : ids) some[id] = comments.at(id);
    return some;
  };
  std::vector<int> accepted;
  auto try_with = [&](const std::vector<int>& group, Verification* v) {
    std::vector<int> ids = accepted;
    ids.insert(ids.end(), group.begin(), group.end());
    std::sort(ids.begin(), ids.end());
    *v = Verify(file, ApplyComments(file, subset(ids)), ids);
    if (v->ok) accepted = ids;
    return v->ok;
  };
  // Depth-first halving: O(k log n) verifications for k routines that cannot be proven.
  std::vector<std::vector<int>> work;
  if (!candidates.empty()) work.push_back(candidates);
  while (!work.empty()) {
    std::vector<int> group = std::move(work.back());
    work.pop_back();
    Verification v;
    if (try_with(group, &v)) continue;
    if (group.size() == 1) {
      result.dropped[group[0]] = v.problem;
      continue;
    }
    size_t half = group.size() / 2;
    work.emplace_back(group.begin() + static_cast<std::ptrdiff_t>(half), group.end());
    work.emplace_back(group.begin(), group.begin() + static_cast<std::ptrdiff_t>(half));
  }
  result.applied = accepted;
  result.text = accepted.empty() ? file.text : ApplyComments(file, subset(accepted));
  return result;
}

}  // namespace scale::languages
