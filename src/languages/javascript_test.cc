// Golden tests for the JavaScript worker (unit tests, no model): input + comments -> exact output.
#include <gtest/gtest.h>

#include "languages/language.h"
#include "languages/test_util.h"

namespace scale::languages {
namespace {

using testing::IdOf;
using testing::Names;
using testing::Patch;

ParsedFile Js(std::string text) { return Parse(LanguageNamed("javascript"), std::move(text)); }

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
  EXPECT_EQ(out, testing::Replaced(kModule, {{"// Helper one.\n// Still helper.\n", "/**\n * Adds.\n */\n"},
                                    {"/** Old doc. */\n", "/**\n * A widget.\n */\n"},
                                    {"  onClick = (e)", "  /**\n   * Click handler.\n   */\n  onClick = (e)"},
                                    {"  #hidden() {}", "  /**\n   * Private.\n   */\n  #hidden() {}"},
                                    {"  @logged\n", "  /**\n   * Logged.\n   */\n  @logged\n"},
                                    {"function* gen()", "/**\n * Yields one.\n */\nfunction* gen()"},
                                    {"module.exports.helper", "/**\n * Helps.\n */\nmodule.exports.helper"},
                                    {"  put: function", "  /**\n   * Stores.\n   */\n  put: function"},
                                    {"    deep() {}", "    /**\n     * Deep.\n     */\n    deep() {}"},
                                    {"  const inner", "  /**\n   * Inner.\n   */\n  const inner"}}));
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

// Issue 11 item 5: tool directives are kept byte for byte. The ones for the next line stay right
// above the function, so the doc goes above them; a file-wide or region directive and a licence
// banner stay above the new doc.
TEST(JavaScript, DirectivesAndLicencesAreKeptAndTheDocGoesAroundThem) {
  const char* src =
      "/*! mylib v1.0 | MIT */\n"
      "function first() {}\n"
      "\n"
      "// eslint-disable-next-line no-unused-vars\n"
      "function a(x) {}\n"
      "\n"
      "// @ts-ignore\n"
      "export const b = () => 1;\n"
      "\n"
      "/* @ngInject */\n"
      "function Ctrl($scope) {}\n"
      "\n"
      "/* istanbul ignore next */\n"
      "// prettier-ignore\n"
      "function c() {}\n"
      "\n"
      "// #region helpers\n"
      "function d() {}\n"
      "// #endregion\n"
      "\n"
      "/** Old doc of e. */\n"
      "// @ts-expect-error\n"
      "function e() {}\n"
      "\n"
      "class K {\n"
      "  // eslint-disable-next-line class-methods-use-this\n"
      "  m() {}\n"
      "}\n";
  ParsedFile f = Js(src);
  ASSERT_EQ(Names(f), (std::vector<std::string>{"function first", "function a", "function b", "function Ctrl",
                                                "function c", "function d", "function e", "class K", "method K.m"}));
  for (const Routine& r : f.routines) {
    if (r.name != "e") {
      EXPECT_FALSE(r.has_comment) << r.name;
    }
  }
  EXPECT_EQ(f.routines[6].existing_comment, "Old doc of e.");
  EXPECT_EQ(Patch(f, {{"first", "F."}, {"a", "A."}, {"b", "B."}, {"Ctrl", "C."}, {"c", "Cc."}, {"d", "D."}, {"e", "E."},
                      {"K.m", "M."}}),
            "/*! mylib v1.0 | MIT */\n"
            "/**\n * F.\n */\n"
            "function first() {}\n"
            "\n"
            "/**\n * A.\n */\n"
            "// eslint-disable-next-line no-unused-vars\n"
            "function a(x) {}\n"
            "\n"
            "/**\n * B.\n */\n"
            "// @ts-ignore\n"
            "export const b = () => 1;\n"
            "\n"
            "/**\n * C.\n */\n"
            "/* @ngInject */\n"
            "function Ctrl($scope) {}\n"
            "\n"
            "/**\n * Cc.\n */\n"
            "/* istanbul ignore next */\n"
            "// prettier-ignore\n"
            "function c() {}\n"
            "\n"
            "// #region helpers\n"
            "/**\n * D.\n */\n"
            "function d() {}\n"
            "// #endregion\n"
            "\n"
            "/**\n * E.\n */\n"
            "// @ts-expect-error\n"
            "function e() {}\n"
            "\n"
            "class K {\n"
            "  /**\n   * M.\n   */\n"
            "  // eslint-disable-next-line class-methods-use-this\n"
            "  m() {}\n"
            "}\n");
  // A file-wide directive header above the first function stays above its new doc.
  ParsedFile g = Js("/* eslint-disable no-console */\n/* global window */\nfunction f() {}\n");
  EXPECT_FALSE(g.routines[0].has_comment);
  EXPECT_EQ(Patch(g, {{"f", "Logs."}}), "/* eslint-disable no-console */\n/* global window */\n/**\n * Logs.\n */\nfunction f() {}\n");
  // A JSDoc that holds @ngInject is a directive as a whole: never replaced.
  ParsedFile h = Js("/**\n * The controller.\n * @ngInject\n */\nfunction Ctrl($http) {}\n");
  EXPECT_FALSE(h.routines[0].has_comment);
}

// Issue 11 item 17 in JavaScript: a JSDoc one blank line above a member that starts its block.
TEST(JavaScript, ADocOneBlankLineAboveAloneIsTheRoutinesButABannerIsNot) {
  ParsedFile f = Js(
      "class A {\n  /** Does m. */\n\n  m() {}\n}\n\n// ------------------------------------\n// Exports\n"
      "// ------------------------------------\n\nexport function run() {}\n");
  ASSERT_EQ(Names(f), (std::vector<std::string>{"class A", "method A.m", "function run"}));
  EXPECT_EQ(f.routines[1].existing_comment, "Does m.");
  EXPECT_FALSE(f.routines[2].has_comment);
  std::string out = Patch(f, {{"A.m", "New m."}, {"run", "Runs."}});
  EXPECT_EQ(out,
            "class A {\n  /**\n   * New m.\n   */\n\n  m() {}\n}\n\n// ------------------------------------\n// Exports\n"
            "// ------------------------------------\n\n/**\n * Runs.\n */\nexport function run() {}\n");
}

TEST(JavaScript, ClassifyCommentKnowsTheToolsDirectives) {
  auto role = [](const char* c, bool header = false) { return ClassifyComment(LanguageNamed("javascript"), c, {header, ""}); };
  EXPECT_EQ(role("// eslint-disable-next-line"), CommentRole::kNextLineDirective);
  EXPECT_EQ(role("/* eslint-disable */"), CommentRole::kDirective);
  EXPECT_EQ(role("/*eslint quotes: [2, \"double\"]*/"), CommentRole::kDirective);
  EXPECT_EQ(role("// eslint is great"), CommentRole::kDoc);  // config comments are /* */ only
  EXPECT_EQ(role("/* global foo, bar */"), CommentRole::kDirective);
  EXPECT_EQ(role("/* jshint node: true */"), CommentRole::kDirective);
  EXPECT_EQ(role("// @ts-ignore"), CommentRole::kNextLineDirective);
  EXPECT_EQ(role("// @ts-expect-error: wrong types"), CommentRole::kNextLineDirective);
  EXPECT_EQ(role("// @ts-nocheck"), CommentRole::kDirective);
  EXPECT_EQ(role("// prettier-ignore"), CommentRole::kNextLineDirective);
  EXPECT_EQ(role("/* istanbul ignore next */"), CommentRole::kNextLineDirective);
  EXPECT_EQ(role("/* c8 ignore next */"), CommentRole::kNextLineDirective);
  EXPECT_EQ(role("/* c8 ignore start */"), CommentRole::kDirective);
  EXPECT_EQ(role("/*#__PURE__*/"), CommentRole::kNextLineDirective);
  EXPECT_EQ(role("/** @jsx h */"), CommentRole::kDirective);
  EXPECT_EQ(role("// @flow"), CommentRole::kDirective);
  EXPECT_EQ(role("//#region"), CommentRole::kDirective);
  EXPECT_EQ(role("/* @ngInject */"), CommentRole::kNextLineDirective);
  EXPECT_EQ(role("/*! jQuery v3.7 | (c) OpenJS Foundation */"), CommentRole::kLicence);
  EXPECT_EQ(role("/** @license MIT */"), CommentRole::kLicence);
  EXPECT_EQ(role("/** @fileoverview The widget module. */"), CommentRole::kLicence);
  EXPECT_EQ(role("/**\n * Adds two numbers.\n * @param {number} a\n */"), CommentRole::kDoc);
}

TEST(JavaScript, CrlfAndTabsAreKept) {
  ParsedFile f = Js("class A {\r\n\tm() {\r\n\t\treturn 1;\r\n\t}\r\n}\r\n");
  EXPECT_EQ(Patch(f, {{"A.m", "Returns 1."}}),
            "class A {\r\n\t/**\r\n\t * Returns 1.\r\n\t */\r\n\tm() {\r\n\t\treturn 1;\r\n\t}\r\n}\r\n");
}

// The JavaScript grammar parses JSX (.jsx, also plain .js in React projects): components are
// routines like any function, handlers inside the markup are callbacks, not routines.
TEST(JavaScript, JsxComponentsInAJsxFile) {
  const char* src =
      "import React from 'react';\n"
      "\n"
      "// Old doc.\n"
      "export const Greeting = ({ name }) => (\n"
      "  <p className=\"greeting\" onClick={() => alert(name)}>\n"
      "    Hello, {name}!\n"
      "  </p>\n"
      ");\n"
      "\n"
      "export default function App() {\n"
      "  const onSave = () => save();\n"
      "  return <Greeting name=\"you\" onSave={onSave} />;\n"
      "}\n"
      "\n"
      "class Clock extends React.Component {\n"
      "  constructor(props) { super(props); }\n"
      "  render() { return <time>{this.props.now}</time>; }\n"
      "}\n";
  ASSERT_EQ(LanguageForPath("App.jsx"), LanguageNamed("javascript"));
  ParsedFile f = Parse(*LanguageForPath("App.jsx"), src);
  EXPECT_FALSE(f.has_syntax_errors);
  ASSERT_EQ(Names(f), (std::vector<std::string>{"function Greeting", "function App", "function App.onSave", "class Clock",
                                                "constructor Clock.constructor", "method Clock.render"}));
  EXPECT_EQ(f.routines[0].existing_comment, "Old doc.");
  EXPECT_EQ(Patch(f, {{"Greeting", "Greets."}, {"App", "The app."}, {"App.onSave", "Saves."}, {"Clock.render", "Renders."}}),
            testing::Replaced(src, {{"// Old doc.\n", "/**\n * Greets.\n */\n"},
                                    {"export default", "/**\n * The app.\n */\nexport default"},
                                    {"  const onSave", "  /**\n   * Saves.\n   */\n  const onSave"},
                                    {"  render()", "  /**\n   * Renders.\n   */\n  render()"}}));
}

}  // namespace
}  // namespace scale::languages
