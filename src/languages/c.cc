// The C worker: function definitions (K&R ones too) and named struct/enum/union definitions at
// top level (also inside #if/#ifdef); in headers also prototypes and typedefs.
#include "languages/text_util.h"
#include "languages/worker.h"

namespace scale::languages::detail {

namespace {

// Follows a declarator to the identifier it declares, remembering whether that identifier is
// directly the name of a function declarator (`int *f(void)`, `void (*signal(int))(int)`) rather
// than of a pointer to one (`int (*fp)(int)`).
TSNode DeclaredName(TSNode declarator, bool* is_function) {
  *is_function = false;
  TSNode node = declarator;
  for (int guard = 0; guard < 64 && !ts_node_is_null(node); ++guard) {
    if (Is(node, "identifier") || Is(node, "type_identifier") || Is(node, "field_identifier")) return node;
    TSNode inner;
    if (Is(node, "parenthesized_declarator")) {
      inner = ts_node_named_child_count(node) > 0 ? ts_node_named_child(node, 0) : TSNode{};
    } else {
      inner = Field(node, "declarator");
    }
    *is_function = Is(node, "function_declarator");
    node = inner;
  }
  return TSNode{};
}

bool IsTypeSpecifier(TSNode node) {
  return Is(node, "struct_specifier") || Is(node, "enum_specifier") || Is(node, "union_specifier");
}

std::string TypeKind(TSNode specifier) {
  std::string_view type = ts_node_type(specifier);
  return std::string(type.substr(0, type.find('_')));  // "struct", "enum", "union"
}

struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;
  std::vector<CommentNode> comments;

  void Add(TSNode node, std::string kind, std::string name, TSNode body) {
    Routine r;
    r.kind = std::move(kind);
    r.name = std::move(name);
    r.start_byte = ts_node_start_byte(node);
    r.end_byte = ts_node_end_byte(node);
    r.start_line = StartLine(node);
    r.end_line = EndLine(node);
    r.body_begin = ts_node_is_null(body) ? r.end_byte : ts_node_start_byte(body);
    std::string_view head = text.substr(r.start_byte, r.body_begin - r.start_byte);
    if (!ts_node_is_null(body) && r.kind != "function") {
      // struct/enum/typedef: the whole thing with the member list elided, e.g. "typedef struct { ... } T;"
      r.signature = std::string(head) + "{ ... }" + std::string(text.substr(ts_node_end_byte(body), r.end_byte - ts_node_end_byte(body)));
    } else {
      r.signature = std::string(head);
    }
    while (!r.signature.empty() && (r.signature.back() == ' ' || r.signature.back() == '\n' || r.signature.back() == '\r' ||
                                    r.signature.back() == '\t')) {
      r.signature.pop_back();
    }
    AttachLeadingComment(file, r, comments, r.start_byte);
    out.Add(std::move(r), -1);
  }

  // `struct s { ... }` with a name and a member list, possibly as the type of a declaration.
  void TryTypeDefinition(TSNode node, TSNode specifier) {
    TSNode name = Field(specifier, "name");
    TSNode body = Field(specifier, "body");
    if (ts_node_is_null(name) || ts_node_is_null(body)) return;
    Add(node, TypeKind(specifier), std::string(Text(name, text)), body);
  }

  void Visit(TSNode node) {
    if (Is(node, "function_definition")) {
      bool is_function = false;
      TSNode name = DeclaredName(Field(node, "declarator"), &is_function);
      if (!ts_node_is_null(name)) Add(node, "function", std::string(Text(name, text)), Field(node, "body"));
    } else if (IsTypeSpecifier(node)) {
      TryTypeDefinition(node, node);
    } else if (Is(node, "declaration")) {
      TSNode type = Field(node, "type");
      if (IsTypeSpecifier(type) && !ts_node_is_null(Field(type, "body"))) {
        TryTypeDefinition(node, type);
      } else if (file.c_header) {
        TSNode declarator = Field(node, "declarator");  // the first one names the prototype
        bool is_function = false;
        TSNode name = DeclaredName(declarator, &is_function);
        if (!ts_node_is_null(name) && is_function) Add(node, "prototype", std::string(Text(name, text)), TSNode{});
      }
    } else if (Is(node, "type_definition") && file.c_header) {
      TSNode declarator = Field(node, "declarator");
      bool is_function = false;
      TSNode name = DeclaredName(declarator, &is_function);
      TSNode type = Field(node, "type");
      TSNode body = IsTypeSpecifier(type) ? Field(type, "body") : TSNode{};
      if (!ts_node_is_null(name)) Add(node, "typedef", std::string(Text(name, text)), body);
    } else if (Is(node, "preproc_if") || Is(node, "preproc_ifdef") || Is(node, "preproc_else") ||
               Is(node, "preproc_elif") || Is(node, "preproc_elifdef") || Is(node, "translation_unit") ||
               Is(node, "linkage_specification") || Is(node, "declaration_list")) {
      // Conditional compilation and the `extern "C" {` guard of headers do not make a definition
      // any less top level.
      for (TSNode child : NamedChildren(node)) Visit(child);
    }
  }
};

}  // namespace

void FindCRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  Finder finder{file, file.text, out, CollectComments(root, file.text)};
  finder.Visit(root);
}

}  // namespace scale::languages::detail
