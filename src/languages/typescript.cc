// The TypeScript worker (.ts .mts .cts, .d.ts included) and its TSX dialect (.tsx). The grammar is
// a superset of JavaScript's, and so is the worker: js_family.cc finds the routines of all three
// (TypeScript adds signatures, interfaces with their method signatures, type aliases, enums,
// namespaces, `declare`, abstract members, overloads) and classifies comments with the same
// directive markers (`/// <reference ...>` lines included). New docs are TSDoc `/** ... */`
// blocks, with no types in @param/@returns: the code has them.
#include "languages/js_family.h"
#include "languages/spec.h"

extern "C" const TSLanguage* tree_sitter_typescript();
extern "C" const TSLanguage* tree_sitter_tsx();

namespace scale::languages::detail {

const LanguageSpec& TypeScriptSpec();
const LanguageSpec& TsxSpec();

void JsFamilyFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out);  // facts/js_family.cc

namespace {

CommentRole ClassifyTypeScript(std::string_view raw, const CommentContext& context) {
  return ClassifyJsFamily(TypeScriptSpec(), raw, context);
}

CommentRole ClassifyTsx(std::string_view raw, const CommentContext& context) {
  return ClassifyJsFamily(TsxSpec(), raw, context);
}

LanguageSpec Common() {
  LanguageSpec s;
  // Template literal types (`${A}-${B}`) hold no escapes that could pass for characters.
  s.atomic_tokens = {"string", "template_string", "regex"};
  s.directives = JsFamilyMarkers();
  s.find_routines = FindJsFamilyRoutines;
  s.facts = JsFamilyFacts;
  return s;
}

}  // namespace

const LanguageSpec& TypeScriptSpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s = Common();
    s.name = "typescript";
    s.aliases = {"ts", "mts", "cts"};
    s.extensions = {".ts", ".mts", ".cts"};
    s.grammar = tree_sitter_typescript;
    s.classify = ClassifyTypeScript;
    return s;
  }();
  return spec;
}

const LanguageSpec& TsxSpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s = Common();
    s.name = "tsx";
    s.extensions = {".tsx"};
    s.grammar = tree_sitter_tsx;
    s.classify = ClassifyTsx;
    return s;
  }();
  return spec;
}

}  // namespace scale::languages::detail
