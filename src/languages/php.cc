// The PHP worker: functions (also the `if (!function_exists(...))` kind), classes, interfaces,
// traits, enums and their methods (any visibility, static, abstract, final), in PHP code
// anywhere in the file (`<?php ... ?>` between text). A PHPDoc `/** ... */` goes above the
// declaration, above its `#[Attributes]`. Closures, arrow functions and anonymous classes are not
// routines; nor is anything inside a function body.
#include <string>

#include "languages/spec.h"
#include "languages/text_util.h"
#include "languages/ts_util.h"

extern "C" const TSLanguage* tree_sitter_php();

namespace scale::languages::detail {

void PhpFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out);  // facts/php.cc

namespace {

constexpr CommentRole kDir = CommentRole::kDirective;
constexpr CommentRole kNext = CommentRole::kNextLineDirective;

// Matched at the start of the comment's first line, in order (longer markers first). PHP reads
// only the doc comment right above a declaration (ReflectionFunction::getDocComment), so the
// annotations PHPUnit and static analysers take from a doc of their own (`/** @codeCoverageIgnore
// */`, `/** @var Foo $x */` type hints) stay directly above the code: a new doc goes above them.
constexpr Marker kMarkers[] = {
    {"phpcs:ignoreFile", kDir}, {"phpcs:ignore", kNext}, {"phpcs:disable", kDir}, {"phpcs:enable", kDir},
    {"phpcs:set", kDir}, {"@phpcs:", kNext}, {"@codingStandardsIgnoreStart", kDir},
    {"@codingStandardsIgnoreEnd", kDir}, {"@codingStandardsIgnoreLine", kNext},
    {"@codeCoverageIgnoreStart", kDir}, {"@codeCoverageIgnoreEnd", kDir}, {"@codeCoverageIgnore", kNext},
    {"@phpstan-ignore", kNext}, {"@psalm-suppress", kNext}, {"@phan-suppress", kNext}, {"@noinspection", kNext},
    {"@var ", kNext}, {"@var\t", kNext}, {"@psalm-var", kNext}, {"@phpstan-var", kNext}, {"NOSONAR", kNext},
    {"@formatter:", kDir}, {"region ", kDir}, {"endregion", kDir}, {"-*-", kDir}, {"vim:", kDir},
};

std::string KindOf(std::string_view type) {
  if (type == "function_definition") return "function";
  if (type == "class_declaration") return "class";
  if (type == "interface_declaration") return "interface";
  if (type == "trait_declaration") return "trait";
  if (type == "enum_declaration") return "enum";
  if (type == "method_declaration") return "method";
  return "";
}

// Code that declares nothing scale documents: closures, arrow functions, anonymous classes.
bool IsOpaque(std::string_view type) {
  return type == "anonymous_function" || type == "arrow_function" || type == "anonymous_class" ||
         type == "anonymous_function_creation_expression" || type == "object_creation_expression";
}

struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;
  std::vector<CommentNode> comments;

  // A `/**` inside the declaration before its name (`#[A] /** x */ function f()`): a reader sees a
  // doc there already; a new one above would make two.
  bool HasDocAmongAttributes(size_t begin, size_t end) const {
    for (const CommentNode& c : comments) {
      if (c.begin >= begin && c.end <= end && text.substr(c.begin, 3) == "/**") return true;
    }
    return false;
  }

  void Add(TSNode node, std::string kind, int parent) {
    Routine r;
    r.kind = std::move(kind);
    r.name = std::string(Text(Field(node, "name"), text));
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
    TSNode name = Field(node, "name");
    if (r.skip_reason.empty() && HasDocAmongAttributes(r.start_byte, ts_node_start_byte(name))) {
      r.skip_reason = "a /** comment sits among its attributes and modifiers";
    }
    bool is_type = r.kind != "function" && r.kind != "method";
    int id = out.Add(std::move(r), parent);
    if (is_type && !ts_node_is_null(body)) Visit(body, id);  // members; function bodies are not searched
  }

  // Statements and member lists: routines where they are declared, blocks (namespaces, `if`,
  // `?>...<?php` interpolations) searched through.
  void Visit(TSNode node, int parent) {
    for (TSNode child : NamedChildren(node)) {
      std::string_view type = ts_node_type(child);
      std::string kind = KindOf(type);
      if (!kind.empty()) {
        Add(child, kind, parent);
      } else if (!IsOpaque(type) && !IsCommentNode(file.language.spec().comments, child)) {
        Visit(child, parent);
      }
    }
  }
};

void FindPhpRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  Finder finder{file, file.text, out, CollectComments(root, file.text, file.language.spec().comments)};
  finder.Visit(root, -1);
}

}  // namespace

const LanguageSpec& PhpSpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s;
    s.name = "php";
    s.extensions = {".php", ".phtml", ".php8", ".php7"};
    s.grammar = tree_sitter_php;
    s.comments.line_prefixes = {"//", "#"};
    // `<?php` (and text before it, and `declare(strict_types=1);`) opens the code, but the
    // licence block right after it is still the file's header.
    s.comments.header_node_types = {"php_tag", "text", "declare_statement"};
    s.atomic_tokens = {"string", "encapsed_string", "heredoc", "nowdoc"};
    s.directives = kMarkers;
    s.find_routines = FindPhpRoutines;
    s.facts = PhpFacts;
    return s;
  }();
  return spec;
}

}  // namespace scale::languages::detail
