// The Java worker: classes, interfaces, records, enums and annotation types, their methods,
// constructors (compact ones too) and annotation elements, nested types as children of their
// type. A Javadoc comment goes above the whole declaration, i.e. above its annotations
// (`/** ... */`, then `@Override`, then `public`), as Java style writes it.
#include <string>

#include "languages/spec.h"
#include "languages/text_util.h"
#include "languages/ts_util.h"

extern "C" const TSLanguage* tree_sitter_java();

namespace scale::languages::detail {

namespace {

constexpr CommentRole kDir = CommentRole::kDirective;
constexpr CommentRole kNext = CommentRole::kNextLineDirective;

// Matched at the start of the comment's first line, in order (longer markers first). Checkstyle's
// suppression comments, Sonar/PMD's, IntelliJ's `//noinspection` (the next statement only),
// Eclipse/IntelliJ formatter and fold markers, Spotless.
constexpr Marker kMarkers[] = {
    {"CHECKSTYLE IGNORE", kNext}, {"CHECKSTYLE:", kDir}, {"CHECKSTYLE.", kDir}, {"checkstyle:", kDir},
    {"@checkstyle", kNext}, {"NOSONAR", kNext}, {"NOPMD", kNext}, {"noinspection", kNext},
    {"@formatter:", kDir}, {"formatter:", kDir}, {"spotless:", kDir}, {"$NON-NLS-", kNext},
    {"$FALL-THROUGH$", kNext}, {"<editor-fold", kDir}, {"</editor-fold", kDir}, {"region ", kDir},
    {"endregion", kDir}, {"-*-", kDir}, {"vim:", kDir},
};

// Declarations that are routines, and the kind each one reports.
std::string KindOf(TSNode node) {
  std::string_view type = ts_node_type(node);
  if (type == "class_declaration") return "class";
  if (type == "interface_declaration") return "interface";
  if (type == "record_declaration") return "record";
  if (type == "enum_declaration") return "enum";
  if (type == "annotation_type_declaration") return "annotation";
  if (type == "method_declaration" || type == "annotation_type_element_declaration") return "method";
  if (type == "constructor_declaration" || type == "compact_constructor_declaration") return "constructor";
  return "";
}

// Member lists whose declarations are members of the enclosing type. Anonymous classes
// (`new T() { ... }`) and enum constant bodies are not searched: Javadoc ignores them.
bool IsMemberList(TSNode node) {
  return Is(node, "class_body") || Is(node, "interface_body") || Is(node, "enum_body") ||
         Is(node, "enum_body_declarations") || Is(node, "annotation_type_body");
}

struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;
  std::vector<CommentNode> comments;

  // A `/**` comment inside the declaration before its name (`@Deprecated /** x */ public void f()`)
  // is where javac reads nothing and a reader sees a doc: commenting above would make two.
  bool HasDocAmongModifiers(size_t begin, size_t end) const {
    for (const CommentNode& c : comments) {
      if (c.begin >= begin && c.end <= end && text.substr(c.begin, 3) == "/**") return true;
    }
    return false;
  }

  void Add(TSNode node, std::string kind, int parent) {
    Routine r;
    r.kind = std::move(kind);
    TSNode name = Field(node, "name");
    r.name = ts_node_is_null(name) ? "" : std::string(Text(name, text));
    r.start_byte = ts_node_start_byte(node);
    r.end_byte = ts_node_end_byte(node);
    r.start_line = StartLine(node);
    r.end_line = EndLine(node);
    TSNode body = Field(node, "body");
    r.body_begin = ts_node_is_null(body) ? r.end_byte : ts_node_start_byte(body);
    r.signature = std::string(text.substr(r.start_byte, r.body_begin - r.start_byte));
    while (!r.signature.empty() && std::string_view(" \t\r\n").find(r.signature.back()) != std::string_view::npos) {
      r.signature.pop_back();
    }
    AttachLeadingComment(file, r, comments, r.start_byte);
    size_t name_begin = ts_node_is_null(name) ? r.body_begin : ts_node_start_byte(name);
    if (r.skip_reason.empty() && HasDocAmongModifiers(r.start_byte, name_begin)) {
      r.skip_reason = "a /** comment sits among its annotations and modifiers";
    }
    int id = out.Add(std::move(r), parent);
    if (!ts_node_is_null(body)) Visit(body, id);
  }

  // The declarations directly in `node` (the program or a member list), then their members.
  void Visit(TSNode node, int parent) {
    for (TSNode child : NamedChildren(node)) {
      std::string kind = KindOf(child);
      if (!kind.empty()) {
        Add(child, kind, parent);
      } else if (IsMemberList(child)) {
        Visit(child, parent);  // enum_body -> enum_body_declarations
      }
    }
  }
};

void FindJavaRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  Finder finder{file, file.text, out, CollectComments(root, file.text, file.language.spec().comments)};
  finder.Visit(root, -1);
}

}  // namespace

void JavaFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out);  // facts/java.cc

const LanguageSpec& JavaSpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s;
    s.name = "java";
    s.extensions = {".java"};
    s.grammar = tree_sitter_java;
    s.comments.node_types = {"line_comment", "block_comment"};
    s.atomic_tokens = {"string_literal", "character_literal"};
    s.directives = kMarkers;
    s.find_routines = FindJavaRoutines;
    s.facts = JavaFacts;
    return s;
  }();
  return spec;
}

}  // namespace scale::languages::detail
