// The Go worker: top-level funcs, methods (qualified by their receiver type, `T.M`), type specs
// (single ones and each spec of a grouped `type ( ... )`: structs, interfaces, other defined
// types, aliases) and the methods of interface types (children of the interface). The doc is a
// run of `// ` lines directly above the declaration (Go's doc comment convention: no blank line,
// starting with the declared name); directives (`//go:noinline`, `//export`, `//nolint`, ...)
// stay directly above the code, the doc above them. docs/languages/go.md has the rules.
#include <cctype>

#include "languages/spec.h"
#include "languages/text_util.h"
#include "languages/ts_util.h"

extern "C" const TSLanguage* tree_sitter_go();

namespace scale::languages::detail {

void GoFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out);  // facts/go.cc

namespace {

constexpr CommentRole kDir = CommentRole::kDirective;
constexpr CommentRole kNext = CommentRole::kNextLineDirective;

// Matched at the start of the comment's first line (syntax removed, so "//go:x" reads "go:x"),
// in order (longer markers first). Directives that govern the declaration below stay directly
// above it, the doc goes above them (gofmt's own layout: doc, then directives).
constexpr Marker kGoMarkers[] = {
    {"go:build", kDir}, {"+build", kDir}, {"go:generate", kNext}, {"go:", kNext},  // noinline, linkname, embed...
    {"export ", kNext}, {"extern ", kNext},  // cgo's exported functions, gccgo's imported ones
    {"line ", kNext}, {"nolint", kNext}, {"lint:file-ignore", kDir}, {"lint:ignore", kNext},
    {"revive:", kDir}, {"sys ", kDir}, {"sysnb ", kDir}, {"sys\t", kDir}, {"sysnb\t", kDir},  // mksyscall input
    {"Code generated", kDir}, {"DO NOT EDIT", kDir}, {"+k8s:", kNext}, {"+kubebuilder:", kNext},
    {"+genclient", kNext}, {"+gen", kNext}, {"+groupName", kDir}, {"+optional", kNext}, {"+required", kNext},
    {"easyjson:", kNext}, {"gopherjs:", kNext}, {"#region", kDir}, {"#endregion", kDir},
    {"-*-", kDir}, {"vim:", kDir},
};

struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;
  std::vector<CommentNode> comments;

  // `node` is where the comment goes (a `type` keyword, a spec in a group, a func); `body` the
  // part a view elides ({ ... }), or null.
  int Add(TSNode node, std::string kind, std::string name, TSNode body, int parent, std::string prefix) {
    Routine r;
    r.kind = std::move(kind);
    r.name = std::move(name);
    r.start_byte = ts_node_start_byte(node);
    r.end_byte = ts_node_end_byte(node);
    r.start_line = StartLine(node);
    r.end_line = EndLine(node);
    r.body_begin = ts_node_is_null(body) ? r.end_byte : ts_node_start_byte(body);
    r.signature = std::string(text.substr(r.start_byte, r.body_begin - r.start_byte));
    while (!r.signature.empty() && std::string_view(" \t\r\n").find(r.signature.back()) != std::string_view::npos) {
      r.signature.pop_back();
    }
    AttachLeadingComment(file, r, comments, r.start_byte);
    // Go attaches a doc comment only when it ends on the line right above (go/ast's rule): a
    // comment a blank line away is about something else, so a new doc goes directly above.
    DetachCommentAcrossBlankLine(file, r);
    return out.Add(std::move(r), parent, std::move(prefix));
  }

  // The receiver's type name: `(s *Stack[T])` -> "Stack".
  std::string ReceiverType(TSNode receiver) {
    TSNode param{};
    for (TSNode p : NamedChildren(receiver)) {
      if (Is(p, "parameter_declaration")) param = p;
    }
    TSNode type = ts_node_is_null(param) ? TSNode{} : Field(param, "type");
    for (int guard = 0; guard < 8 && !ts_node_is_null(type); ++guard) {
      if (Is(type, "type_identifier")) return std::string(Text(type, text));
      if (Is(type, "generic_type")) type = Field(type, "type");
      else if (ts_node_named_child_count(type) > 0) type = ts_node_named_child(type, 0);  // pointer, parentheses
      else break;
    }
    return "";
  }

  // A type spec or alias; `anchor` is the `type` declaration when it holds only this spec.
  void TypeSpec(TSNode anchor, TSNode spec) {
    TSNode name = Field(spec, "name");
    if (ts_node_is_null(name)) return;
    TSNode type = Field(spec, "type");
    std::string kind = Is(spec, "type_alias") ? "alias"
                       : Is(type, "struct_type") ? "struct"
                       : Is(type, "interface_type") ? "interface"
                                                    : "type";
    TSNode body{};
    if (kind == "struct") {
      for (TSNode c : NamedChildren(type)) {
        if (Is(c, "field_declaration_list")) body = c;
      }
    } else if (kind == "interface") {
      for (TSNode c : Children(type)) {
        if (Is(c, "{")) body = c;  // the view shows "type I interface { ... }"
      }
    }
    int id = Add(anchor, kind, std::string(Text(name, text)), body, -1, "");
    if (kind != "interface") return;
    for (TSNode m : NamedChildren(type)) {
      TSNode method_name = Field(m, "name");
      if (Is(m, "method_elem") && !ts_node_is_null(method_name)) {
        Add(m, "method", std::string(Text(method_name, text)), TSNode{}, id, "");
      }
    }
  }

  void Visit(TSNode node) {
    if (Is(node, "function_declaration")) {
      Add(node, "function", std::string(Text(Field(node, "name"), text)), Field(node, "body"), -1, "");
    } else if (Is(node, "method_declaration")) {
      Add(node, "method", std::string(Text(Field(node, "name"), text)), Field(node, "body"), -1,
          ReceiverType(Field(node, "receiver")));
    } else if (Is(node, "type_declaration")) {
      std::vector<TSNode> specs;
      for (TSNode c : NamedChildren(node)) {
        if (Is(c, "type_spec") || Is(c, "type_alias")) specs.push_back(c);
      }
      // `type T ...` alone takes its comment above `type`; in `type ( ... )` each spec has its own.
      bool grouped = HasAnonymousChild(node, "(");
      for (TSNode spec : specs) TypeSpec(grouped ? spec : node, spec);
    }
  }
};

void FindGoRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  Finder finder{file, file.text, out, CollectComments(root, file.text, file.language.spec().comments)};
  // Only top-level declarations: go/doc documents nothing declared inside a function.
  for (TSNode child : NamedChildren(root)) finder.Visit(child);
}

bool IsIdentifierByte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// Whether `text` starts with `word` as a whole word.
bool StartsWithWord(std::string_view text, std::string_view word) {
  return text.substr(0, word.size()) == word && (text.size() == word.size() || !IsIdentifierByte(text[word.size()]));
}

}  // namespace

// Go's doc convention: the first sentence starts with the declared name ("Parse parses ...",
// "A Reader reads ...", "Deprecated: ..." notes aside). Text that does not gets the name put in
// front, its first word lower-cased when it is a capitalised ordinary word ("Returns the sum."
// -> "Sum returns the sum."), left as it is when it is an acronym or a code name ("HTTP ...",
// "`x` ..."). Called by the pipeline (see docs/languages/go.md); the renderer writes text as given.
std::string GoDocText(std::string_view name, std::string_view text) {
  size_t lead = text.find_first_not_of(" \t\r\n");
  if (name.empty() || lead == std::string_view::npos) return std::string(text);
  std::string_view body = text.substr(lead);
  for (std::string_view article : {"A ", "An ", "The "}) {
    if (body.substr(0, article.size()) == article && StartsWithWord(body.substr(article.size()), name)) {
      return std::string(text);
    }
  }
  if (StartsWithWord(body, name) || body.substr(0, 11) == "Deprecated:") return std::string(text);
  std::string rest(body);
  bool capitalised_word = rest.size() > 1 && std::isupper(static_cast<unsigned char>(rest[0])) &&
                          std::islower(static_cast<unsigned char>(rest[1]));
  if (capitalised_word) rest[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(rest[0])));
  return std::string(text.substr(0, lead)) + std::string(name) + " " + rest;
}

const LanguageSpec& GoSpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s;
    s.name = "go";
    s.aliases = {"golang"};
    s.extensions = {".go"};
    s.grammar = tree_sitter_go;
    s.doc.kind = DocSyntax::kLines;
    s.doc.prefix = "// ";
    s.atomic_tokens = {"interpreted_string_literal", "raw_string_literal", "rune_literal"};
    s.directives = kGoMarkers;
    s.find_routines = FindGoRoutines;
    s.facts = GoFacts;
    s.conventional_text = [](const Routine& r, std::string_view text) { return GoDocText(r.name, text); };
    return s;
  }();
  return spec;
}

}  // namespace scale::languages::detail
