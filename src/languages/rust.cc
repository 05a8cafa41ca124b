// The Rust worker: fns (nested ones too), methods of `impl` blocks (qualified by the implemented
// type, `Type.method`) and of traits (children of the trait), structs, enums, unions, traits, type
// aliases, `macro_rules!` macros and inline modules (`mod m { }`, qualifying what is inside). The
// doc is `/// ` lines above the item's attributes (`#[derive]`, `#[cfg]` stay next to the item).
// `//!` inner docs belong to the enclosing module and are never touched. docs/languages/rust.md
// has the rules.
#include <algorithm>

#include "languages/spec.h"
#include "languages/text_util.h"
#include "languages/ts_util.h"

extern "C" const TSLanguage* tree_sitter_rust();

namespace scale::languages::detail {

void RustFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out);  // facts/rust.cc

const LanguageSpec& RustSpec();

namespace {

constexpr CommentRole kDir = CommentRole::kDirective;
constexpr CommentRole kNext = CommentRole::kNextLineDirective;

// Matched at the start of the comment's first line, in order (longer markers first).
constexpr Marker kRustMarkers[] = {
    // clippy's undocumented_unsafe_blocks wants the justification directly above the unsafe code.
    {"SAFETY:", kNext}, {"Safety:", kNext}, {"@generated", kDir}, {"Code generated", kDir},
    {"ignore-tidy", kDir}, {"tidy-alphabetical", kDir}, {"rustfmt-", kDir}, {"region:", kDir},
    {"endregion", kDir}, {"#region", kDir}, {"#endregion", kDir}, {"grcov-excl", kDir}, {"-*-", kDir},
    {"vim:", kDir},
};

// `//!` and `/*!` document the enclosing module or crate: never an item's doc. As directives they
// never join a run of `///` lines either, so an item below them keeps its own doc.
CommentRole ClassifyRust(std::string_view raw, const CommentContext& context) {
  if (raw.substr(0, 3) == "//!" || raw.substr(0, 3) == "/*!") return kDir;
  return ClassifyByMarkers(RustSpec(), raw, context);
}

// An outer doc comment (`/// x`, `/** x */`), which rustdoc attaches even across blank lines and
// attributes; `////` and `/***` are plain comments.
bool IsOuterDoc(std::string_view raw) {
  if (raw.substr(0, 3) == "///") return raw.substr(0, 4) != "////";
  return raw.substr(0, 3) == "/**" && raw.substr(0, 4) != "/***" && raw.substr(0, 4) != "/**/";
}

bool IsComment(TSNode node) { return Is(node, "line_comment") || Is(node, "block_comment"); }

struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;
  std::vector<CommentNode> comments;
  struct Item {
    TSNode node;
    int parent;
    std::string prefix;  // an impl block's type
    bool in_impl;        // fns directly inside are methods
  };
  std::vector<Item> work;

  // Where the doc goes: above the attributes right before the item, unless an outer doc already
  // sits among them (`#[derive(..)] /// doc struct S;`): then right below that doc.
  TSNode Anchor(TSNode item) {
    TSNode anchor = item;
    std::vector<TSNode> before;  // attributes and comments directly before the item, nearest first
    for (TSNode p = ts_node_prev_named_sibling(item); !ts_node_is_null(p) && (Is(p, "attribute_item") || IsComment(p));
         p = ts_node_prev_named_sibling(p)) {
      before.push_back(p);
    }
    for (TSNode p : before) {
      if (Is(p, "attribute_item")) anchor = p;
      if (IsComment(p) && IsOuterDoc(Text(p, text))) break;  // the doc found: anchor below it
    }
    // A trailing comment run above the first attribute is not "among" them: anchor stays there.
    return anchor;
  }

  // `#[doc = "..."]` among the item's attributes is a doc already (a `///` above would add a
  // second); `#[doc(hidden)]` and `#[doc(alias = ..)]` are not.
  bool HasDocAttribute(TSNode item) {
    for (TSNode p = ts_node_prev_named_sibling(item); !ts_node_is_null(p) && (Is(p, "attribute_item") || IsComment(p));
         p = ts_node_prev_named_sibling(p)) {
      if (!Is(p, "attribute_item")) continue;
      std::string compact;
      for (char c : Text(p, text)) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact += c;
      }
      if (compact.rfind("#[doc=", 0) == 0) return true;
    }
    return false;
  }

  // Rustdoc takes a `///` doc across a blank line; a plain comment a blank line away is about
  // something else, so a new doc goes directly above the item.
  void RequireAdjacentPlain(Routine& r) {
    if (!r.has_comment || IsOuterDoc(text.substr(r.comment_begin, r.comment_end - r.comment_begin))) return;
    DetachCommentAcrossBlankLine(file, r);
  }

  int Add(TSNode item, std::string kind, TSNode name, TSNode body, int parent, const std::string& prefix) {
    TSNode anchor = Anchor(item);
    Routine r;
    r.kind = std::move(kind);
    r.name = std::string(Text(name, text));
    r.start_byte = ts_node_start_byte(anchor);
    r.end_byte = ts_node_end_byte(item);
    r.start_line = StartLine(anchor);
    r.end_line = EndLine(item);
    r.body_begin = ts_node_is_null(body) ? r.end_byte : ts_node_start_byte(body);
    r.signature = std::string(text.substr(r.start_byte, r.body_begin - r.start_byte));
    while (!r.signature.empty() && std::string_view(" \t\r\n").find(r.signature.back()) != std::string_view::npos) {
      r.signature.pop_back();
    }
    AttachLeadingComment(file, r, comments, r.start_byte);
    RequireAdjacentPlain(r);
    if (r.skip_reason.empty() && HasDocAttribute(item)) r.skip_reason = "documented by a #[doc = ...] attribute";
    return out.Add(std::move(r), parent, prefix);
  }

  // The type an impl block is for, as a name: `impl<T> Display for &Wrapper<T>` -> "Wrapper".
  std::string TypeName(TSNode type) {
    for (int guard = 0; guard < 8 && !ts_node_is_null(type); ++guard) {
      if (Is(type, "type_identifier") || Is(type, "primitive_type")) return std::string(Text(type, text));
      if (Is(type, "scoped_type_identifier")) {
        type = Field(type, "name");
      } else if (Is(type, "generic_type") || Is(type, "reference_type") || Is(type, "pointer_type")) {
        type = Field(type, "type");
      } else {
        break;
      }
    }
    std::string raw;
    for (char c : Text(type, text)) {
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') raw += c;
    }
    return raw;
  }

  // The `{`, `(` or `[` opening a macro_rules! body.
  TSNode MacroBody(TSNode node) {
    for (TSNode c : Children(node)) {
      if (!ts_node_is_named(c) && std::string_view("{([").find(ts_node_type(c)[0]) != std::string_view::npos) return c;
    }
    return TSNode{};
  }

  void Visit(TSNode node, const Item& at) {
    std::string_view type = ts_node_type(node);
    TSNode name = Field(node, "name");
    TSNode body = Field(node, "body");
    if (type == "function_item" || type == "function_signature_item") {
      int id = Add(node, at.in_impl ? "method" : "function", name, body, at.parent, at.prefix);
      if (!ts_node_is_null(body)) work.push_back({body, id, "", false});
    } else if (type == "struct_item" || type == "union_item" || type == "enum_item") {
      TSNode braces = Is(body, "ordered_field_declaration_list") ? TSNode{} : body;  // `struct P(u8);` is all signature
      Add(node, std::string(type.substr(0, type.find('_'))), name, braces, at.parent, at.prefix);
    } else if (type == "type_item") {
      Add(node, "type", name, TSNode{}, at.parent, at.prefix);
    } else if (type == "macro_definition") {
      Add(node, "macro", name, MacroBody(node), at.parent, at.prefix);
    } else if (type == "trait_item" || (type == "mod_item" && !ts_node_is_null(body))) {
      int id = Add(node, type == "trait_item" ? "trait" : "module", name, body, at.parent, at.prefix);
      work.push_back({body, id, "", type == "trait_item"});
    } else if (type == "impl_item") {
      std::string prefix = TypeName(Field(node, "type"));
      if (!at.prefix.empty()) prefix = at.prefix + "." + prefix;
      if (!ts_node_is_null(body)) work.push_back({body, at.parent, prefix, true});
    } else if (type == "foreign_mod_item") {
      if (!ts_node_is_null(body)) work.push_back({body, at.parent, at.prefix, false});
    } else if (type != "attribute_item" && type != "inner_attribute_item" && type != "macro_invocation" &&
               !IsComment(node) && ts_node_named_child_count(node) > 0) {
      work.push_back({node, at.parent, at.prefix, false});  // items nested in blocks and expressions
    }
  }

  void Run(TSNode root) {
    work.push_back({root, -1, "", false});
    while (!work.empty()) {
      Item item = std::move(work.back());
      work.pop_back();
      size_t mark = work.size();
      for (TSNode child : NamedChildren(item.node)) Visit(child, item);
      std::reverse(work.begin() + static_cast<std::ptrdiff_t>(mark), work.end());
    }
  }
};

void FindRustRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  Finder finder{file, file.text, out, CollectComments(root, file.text, file.language.spec().comments), {}};
  finder.Run(root);
}

}  // namespace

const LanguageSpec& RustSpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s;
    s.name = "rust";
    s.aliases = {"rs"};
    s.extensions = {".rs"};
    s.grammar = tree_sitter_rust;
    s.comments.node_types = {"line_comment", "block_comment"};
    s.comments.header_node_types = {"shebang"};
    s.doc.kind = DocSyntax::kLines;
    s.doc.prefix = "/// ";
    s.atomic_tokens = {"string_literal", "raw_string_literal", "char_literal"};
    s.directives = kRustMarkers;
    s.find_routines = FindRustRoutines;
    s.facts = RustFacts;
    s.classify = ClassifyRust;
    return s;
  }();
  return spec;
}

}  // namespace scale::languages::detail
