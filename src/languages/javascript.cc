// The JavaScript worker (.js .mjs .cjs .jsx; the grammar parses JSX): function declarations,
// generators, classes, methods (static, get/set, #private), functions bound to names
// (const/let/var, `x.y = function`, class fields, object literal members, export default). The
// comment goes above the statement that binds the name, i.e. above `export`, `const`, the
// decorators of a method, or the object key. The finder and the directive markers are shared
// with TypeScript (js_family.h).
#include "languages/js_family.h"
#include "languages/spec.h"

extern "C" const TSLanguage* tree_sitter_javascript();

namespace scale::languages::detail {

const LanguageSpec& JavaScriptSpec();

void JsFamilyFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out);  // facts/js_family.cc

namespace {

CommentRole ClassifyJavaScript(std::string_view raw, const CommentContext& context) {
  return ClassifyJsFamily(JavaScriptSpec(), raw, context);
}

}  // namespace

const LanguageSpec& JavaScriptSpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s;
    s.name = "javascript";
    s.aliases = {"js", "mjs", "cjs", "jsx"};
    s.extensions = {".js", ".mjs", ".cjs", ".jsx"};
    s.grammar = tree_sitter_javascript;
    s.atomic_tokens = {"string", "template_string", "regex"};
    s.directives = JsFamilyMarkers();
    s.find_routines = FindJsFamilyRoutines;
    s.facts = JsFamilyFacts;
    s.classify = ClassifyJavaScript;
    return s;
  }();
  return spec;
}

}  // namespace scale::languages::detail
