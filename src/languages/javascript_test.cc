// Golden tests for the JavaScript worker (unit tests, no model): input + comments -> exact output.
#include <gtest/gtest.h>

#include "languages/language.h"
#include "languages/test_util.h"

namespace scale::languages {
namespace {

using testing::IdOf;
using testing::Names;
using testing::Patch;

ParsedFile Js(std::string text) { return Parse(Language::kJavaScript, std::move(text)); }

const char* kModule =
    "#!/usr/bin/env node\n"
    "import { x } from './x.js';\n"
    "\n"
    "// Helper one.\n"
    "// Still helper.\n"
    "export const add = (a, b) => a + b;\n"
    "\n"
    "/** Old doc. */\n"
    "export default class Widget extends Base {\n"
    "  static count = 0;\n"
    "  #secret = 1;\n"
    "  onClick = (e) => {\n"
    "    this.handle(e);\n"
    "  };\n"
    "  static {\n"
    "    Widget.count = 1;\n"
    "  }\n"
    "  get size() { return this.#secret; }\n"
    "  set size(v) { this.#secret = v; }\n"
    "  static create() { return new Widget(); }\n"
    "  #hidden() {}\n"
    "  *items() { yield 1; }\n"
    "  @logged\n"
    "  decorated() {}\n"
    "}\n"
    "\n"
    "function* gen() {\n"
    "  yield 1;\n"
    "}\n"
    "\n"
    "module.exports.helper = function () {};\n"
    "Widget.prototype.extra = async function named() {};\n"
    "\n"
    "const api = {\n"
    "  get(id) { return id; },\n"
    "  put: function (id) { return id; },\n"
    "  'del': async (id) => id,\n"
    "  nested: {\n"
    "    deep() {},\n"
    "  },\n"
    "};\n"
    "\n"
    "let a = 1, b = () => 2;\n"
    "await Promise.resolve(a);\n"
    "export function plain() {\n"
    "  const inner = function () {};\n"
    "  return inner;\n"
    "}\n";

TEST(JavaScript, FindsEveryBoundFunctionClassAndMember) {
  ParsedFile f = Js(kModule);
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{
                          "function add", "class Widget", "method Widget.onClick", "getter Widget.size",
                          "setter Widget.size", "method Widget.create", "method Widget.#hidden", "method Widget.items",
                          "method Widget.decorated", "generator gen", "function module.exports.helper",
                          "function Widget.prototype.extra", "method api.get", "method api.put", "method api.del",
                          "method api.nested.deep", "function plain", "function plain.inner"}));
  const Routine& add = f.routines[0];
  EXPECT_EQ(add.signature, "export const add = (a, b) =>");
  EXPECT_EQ(add.existing_comment, "Helper one.\nStill helper.");
  EXPECT_EQ(f.routines[1].existing_comment, "Old doc.");
  EXPECT_EQ(f.routines[1].start_line, 9);  // from `export`
  EXPECT_EQ(f.routines[8].signature, "@logged\n  decorated()");
  EXPECT_EQ(f.routines[1].children, (std::vector<int>{2, 3, 4, 5, 6, 7, 8}));
}

TEST(JavaScript, CommentsGoAboveExportDecoratorsAndKeysReplacingOldOnes) {
  ParsedFile f = Js(kModule);
  std::string out = Patch(f, {{"add", "Adds."},
                              {"Widget", "A widget."},
                              {"Widget.onClick", "Click handler."},
                              {"Widget.#hidden", "Private."},
                              {"Widget.decorated", "Logged."},
                              {"gen", "Yields one."},
                              {"module.exports.helper", "Helps."},
                              {"api.put", "Stores."},
                              {"api.nested.deep", "Deep."},
                              {"plain.inner", "Inner."}});
  EXPECT_EQ(out,
            "#!/usr/bin/env node\n"
            "import { x } from './x.js';\n"
            "\n"
            "/**\n * Adds.\n */\n"
            "export const add = (a, b) => a + b;\n"
            "\n"
            "/**\n * A widget.\n */\n"
            "export default class Widget extends Base {\n"
            "  static count = 0;\n"
            "  #secret = 1;\n"
            "  /**\n   * Click handler.\n   */\n"
            "  onClick = (e) => {\n"
            "    this.handle(e);\n"
            "  };\n"
            "  static {\n"
            "    Widget.count = 1;\n"
            "  }\n"
            "  get size() { return this.#secret; }\n"
            "  set size(v) { this.#secret = v; }\n"
            "  static create() { return new Widget(); }\n"
            "  /**\n   * Private.\n   */\n"
            "  #hidden() {}\n"
            "  *items() { yield 1; }\n"
            "  /**\n   * Logged.\n   */\n"
            "  @logged\n"
            "  decorated() {}\n"
            "}\n"
            "\n"
            "/**\n * Yields one.\n */\n"
            "function* gen() {\n"
            "  yield 1;\n"
            "}\n"
            "\n"
            "/**\n * Helps.\n */\n"
            "module.exports.helper = function () {};\n"
            "Widget.prototype.extra = async function named() {};\n"
            "\n"
            "const api = {\n"
            "  get(id) { return id; },\n"
            "  /**\n   * Stores.\n   */\n"
            "  put: function (id) { return id; },\n"
            "  'del': async (id) => id,\n"
            "  nested: {\n"
            "    /**\n     * Deep.\n     */\n"
            "    deep() {},\n"
            "  },\n"
            "};\n"
            "\n"
            "let a = 1, b = () => 2;\n"
            "await Promise.resolve(a);\n"
            "export function plain() {\n"
            "  /**\n   * Inner.\n   */\n"
            "  const inner = function () {};\n"
            "  return inner;\n"
            "}\n");
}

TEST(JavaScript, MembersSharingALineWithCodeAreSkippedWithAReason) {
  ParsedFile f = Js("const o = { a() {}, b: () => 1 };\n");
  ASSERT_EQ(Names(f), (std::vector<std::string>{"method o.a", "method o.b"}));
  for (const Routine& r : f.routines) EXPECT_EQ(r.skip_reason, "shares its line with code before it");
}

TEST(JavaScript, RoutineViewOfAClassShowsFieldsAndMemberSignaturesWithComments) {
  ParsedFile f = Js(
      "class Store {\n"
      "  items = [];\n"
      "  // Adds one.\n"
      "  add(item) {\n"
      "    const check = (x) => {\n"
      "      return x;\n"
      "    };\n"
      "    this.items.push(check(item));\n"
      "  }\n"
      "  get size() { return this.items.length; }\n"
      "}\n");
  EXPECT_EQ(RoutineView(f, IdOf(f, "Store"), {{IdOf(f, "Store.size"), "How many."}}),
            "class Store {\n"
            "  items = [];\n"
            "  /**\n   * Adds one.\n   */\n"
            "  add(item) { ... }\n"
            "  /**\n   * How many.\n   */\n"
            "  get size() { ... }\n"
            "}");
  EXPECT_EQ(RoutineView(f, IdOf(f, "Store.add"), {}),
            "// Adds one.\n"
            "add(item) {\n"
            "  const check = (x) => { ... }\n"
            "  this.items.push(check(item));\n"
            "}");
}

TEST(JavaScript, VerifyCatchesAChangedTokenAndADoubledComment) {
  ParsedFile f = Js("const f = () => 1;\n");
  EXPECT_TRUE(Verify(f, "/**\n * D.\n */\nconst f = () => 1;\n", {0}).ok);
  EXPECT_FALSE(Verify(f, "/**\n * D.\n */\nconst f = () => 2;\n", {0}).ok);
  EXPECT_FALSE(Verify(f, "// D.\n/**\n * D.\n */\nconst f = () => 1;\n", {0}).ok);
  EXPECT_FALSE(Verify(f, "const f = () => 1;\n", {0}).ok);
}

TEST(JavaScript, CrlfAndTabsAreKept) {
  ParsedFile f = Js("class A {\r\n\tm() {\r\n\t\treturn 1;\r\n\t}\r\n}\r\n");
  EXPECT_EQ(Patch(f, {{"A.m", "Returns 1."}}),
            "class A {\r\n\t/**\r\n\t * Returns 1.\r\n\t */\r\n\tm() {\r\n\t\treturn 1;\r\n\t}\r\n}\r\n");
}

}  // namespace
}  // namespace scale::languages
