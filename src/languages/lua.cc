// The Lua worker: `function f()`, `local function f()`, `function M.f()`, `function M:m()`
// (kind "method"), functions bound to one name (`f = function() end`, `local f = function() end`,
// `M.f = function() end`) and the fields of a table bound to a name (`local M = { f = function()
// end }`, qualified "M.f"). The comment is the LuaLS/LDoc run of `---`/`--` lines above (its
// `---@param`/`---@return` annotations included). Unbound function values (callbacks) are not
// routines. Qualified names join with dots: `function M.a:m()` is "M.a.m".
//
// Long-bracket comments (`--[[ ]]`, `--[==[ ]==]`) are block comments: the shared syntax knows
// only `--[[`, and CollectComments takes anything starting with `--` for a line comment, so this
// worker marks them as blocks itself and strips their brackets when reading an existing doc.
#include <algorithm>

#include "languages/spec.h"
#include "languages/text_util.h"
#include "languages/ts_util.h"

extern "C" const TSLanguage* tree_sitter_lua();

namespace scale::languages::detail {

const LanguageSpec& LuaSpec();

namespace {

constexpr CommentRole kDir = CommentRole::kDirective;
constexpr CommentRole kNext = CommentRole::kNextLineDirective;

// Matched at the start of the comment's first line (after `--`/`---`), longer markers first.
constexpr Marker kMarkers[] = {
    {"@diagnostic disable-next-line", kNext}, {"@diagnostic disable-line", kNext}, {"@diagnostic", kDir},
    {"@meta", kDir}, {"luacheck:", kDir}, {"-*-", kDir}, {"vim:", kDir}, {"vi:", kDir},
};

// Length of a long-bracket comment opening at `s` ("--[[" 4, "--[==[" 6), else 0.
size_t LongOpen(std::string_view s) {
  if (s.substr(0, 3) != "--[") return 0;
  size_t i = 3;
  while (i < s.size() && s[i] == '=') ++i;
  return i < s.size() && s[i] == '[' ? i + 1 : 0;
}

// A long-bracket comment's prose: "--[==[", its "]==]" and a "--" right before that removed.
std::string StripLongComment(std::string_view raw) {
  size_t open = LongOpen(raw);
  std::string close = "]" + std::string(open - 4, '=') + "]";
  std::string_view inner = raw.substr(open);
  if (inner.size() >= close.size() && inner.substr(inner.size() - close.size()) == close) {
    inner.remove_suffix(close.size());
  }
  while (!inner.empty() && (inner.back() == ' ' || inner.back() == '\t')) inner.remove_suffix(1);
  if (inner.size() >= 2 && inner.substr(inner.size() - 2) == "--") inner.remove_suffix(2);
  return Cleandoc(SplitLines(inner));
}

// A run of `--` lines' prose: "--", any further dashes and one space removed from each line, so
// that LuaLS's "--- Text" and "---@param a" lines line up as written.
std::string StripLineComments(std::string_view raw) {
  std::vector<std::string> lines = SplitLines(raw);
  for (std::string& line : lines) {
    size_t at = line.find_first_not_of(" \t");
    if (at == std::string::npos || line.compare(at, 2, "--") != 0) continue;
    at += 2;
    while (at < line.size() && line[at] == '-') ++at;
    if (at < line.size() && line[at] == ' ') ++at;
    line = line.substr(at);
  }
  return Cleandoc(lines);
}

CommentRole ClassifyLua(std::string_view raw, const CommentContext& context) {
  if (LongOpen(raw) > 0) {
    std::string first = StripLongComment(raw);
    first = first.substr(0, first.find('\n'));
    if (auto role = MatchDirective(LuaSpec().directives, first, true)) return *role;
    if (IsLicenceText(raw, context.file_header)) return CommentRole::kLicence;
    return CommentRole::kDoc;
  }
  return ClassifyByMarkers(LuaSpec(), raw, context);
}


// "M.a.b" of a dotted name; "" when it is not made of identifiers and dots only (`t[k]`, calls).
std::string DottedName(TSNode node, std::string_view text) {
  if (Is(node, "identifier")) return std::string(Text(node, text));
  if (Is(node, "dot_index_expression")) {
    std::string table = DottedName(Field(node, "table"), text);
    return table.empty() ? "" : table + "." + std::string(Text(Field(node, "field"), text));
  }
  return "";
}

struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;
  std::vector<CommentNode> comments;
  struct Item {
    TSNode node;
    int parent;
    std::string prefix;  // the name of the table whose fields these are ("" outside a bound table)
  };
  std::vector<Item> work;

  // Adds `def` (a function_declaration or function_definition) as a routine whose comment goes
  // above `anchor`, qualified "prefix.name".
  void Add(TSNode anchor, TSNode def, const std::string& kind, const std::string& dotted, int parent) {
    size_t dot = dotted.rfind('.');
    Routine r;
    r.kind = kind;
    r.name = dot == std::string::npos ? dotted : dotted.substr(dot + 1);
    r.start_byte = ts_node_start_byte(anchor);
    r.end_byte = std::max(ts_node_end_byte(anchor), ts_node_end_byte(def));
    r.start_line = StartLine(anchor);
    r.end_line = EndLine(def);
    TSNode body = Field(def, "body");
    r.body_begin = ts_node_is_null(body) ? r.end_byte : ts_node_start_byte(body);
    TSNode params = Field(def, "parameters");
    size_t head_end = ts_node_is_null(params) ? r.body_begin : ts_node_end_byte(params);
    r.signature = std::string(text.substr(r.start_byte, head_end - r.start_byte));
    AttachLeadingComment(file, r, comments, r.start_byte);
    SkipIfANewLineDocWouldJoin(file, comments, r);
    if (r.has_comment) {
      std::string_view raw = text.substr(r.comment_begin, r.comment_end - r.comment_begin);
      r.existing_comment = LongOpen(raw) ? StripLongComment(raw) : StripLineComments(raw);
    }
    int id = out.Add(std::move(r), parent, dot == std::string::npos ? "" : dotted.substr(0, dot));
    work.push_back({def, id, ""});
  }

  // `function a.b:m()`: "a.b.m", a method.
  void Declaration(TSNode decl, int parent) {
    TSNode name = Field(decl, "name");
    if (Is(name, "method_index_expression")) {
      std::string table = DottedName(Field(name, "table"), text);
      if (!table.empty()) return Add(decl, decl, "method", table + "." + std::string(Text(Field(name, "method"), text)), parent);
    } else {
      std::string dotted = DottedName(name, text);
      if (!dotted.empty()) return Add(decl, decl, "function", dotted, parent);
    }
    work.push_back({decl, parent, ""});
  }

  // `x = value` / `local x = value` with one name and one value: a function is a routine, a table
  // constructor's fields are qualified by the name.
  void Assignment(TSNode anchor, TSNode assign, int parent, const std::string& prefix) {
    std::vector<TSNode> names, values;
    for (TSNode part : NamedChildren(assign)) {
      if (Is(part, "variable_list") || Is(part, "expression_list")) {
        for (TSNode n : NamedChildren(part)) (Is(part, "variable_list") ? names : values).push_back(n);
      }
    }
    std::string dotted = names.size() == 1 && values.size() == 1 ? DottedName(names[0], text) : "";
    if (!dotted.empty() && !prefix.empty()) dotted = prefix + "." + dotted;
    if (!dotted.empty() && Is(values[0], "function_definition")) return Add(anchor, values[0], "function", dotted, parent);
    if (!dotted.empty() && Is(values[0], "table_constructor")) return work.push_back({values[0], parent, dotted});
    work.push_back({assign, parent, ""});
  }

  void Visit(TSNode child, const Item& at) {
    if (Is(child, "function_declaration")) {
      Declaration(child, at.parent);
    } else if (Is(child, "assignment_statement")) {
      Assignment(child, child, at.parent, "");
    } else if (Is(child, "variable_declaration") && ts_node_named_child_count(child) == 1 &&
               Is(ts_node_named_child(child, 0), "assignment_statement")) {
      Assignment(child, ts_node_named_child(child, 0), at.parent, "");
    } else if (Is(child, "field") && !at.prefix.empty() && Is(Field(child, "name"), "identifier")) {
      TSNode value = Field(child, "value");
      std::string dotted = at.prefix + "." + std::string(Text(Field(child, "name"), text));
      if (Is(value, "function_definition")) return Add(child, value, "function", dotted, at.parent);
      if (Is(value, "table_constructor")) return work.push_back({value, at.parent, dotted});
      work.push_back({child, at.parent, ""});
    } else if (!Is(child, "comment") && ts_node_named_child_count(child) > 0) {
      work.push_back({child, at.parent, ""});
    }
  }

  void Run(TSNode root) {
    work.push_back({root, -1, ""});
    while (!work.empty()) {
      Item item = std::move(work.back());
      work.pop_back();
      size_t mark = work.size();
      for (TSNode child : NamedChildren(item.node)) Visit(child, item);
      std::reverse(work.begin() + static_cast<std::ptrdiff_t>(mark), work.end());
    }
  }
};

void FindLuaRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  std::vector<CommentNode> comments = CollectComments(root, file.text, file.language.spec().comments);
  for (CommentNode& c : comments) c.line = LongOpen(std::string_view(file.text).substr(c.begin)) == 0;
  Finder finder{file, file.text, out, std::move(comments), {}};
  finder.Run(root);
}

}  // namespace

void LuaFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out);  // facts/lua.cc

const LanguageSpec& LuaSpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s;
    s.name = "lua";
    s.extensions = {".lua"};
    s.grammar = tree_sitter_lua;
    s.comments.line_prefixes = {"--"};
    s.comments.block_open = "--[[";
    s.comments.block_close = "]]";
    s.doc.kind = DocSyntax::kLines;
    s.doc.prefix = "--- ";
    s.atomic_tokens = {"string"};
    s.directives = kMarkers;
    s.find_routines = FindLuaRoutines;
    s.facts = LuaFacts;
    s.classify = ClassifyLua;
    return s;
  }();
  return spec;
}

}  // namespace scale::languages::detail
