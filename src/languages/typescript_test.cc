// Golden tests for the TypeScript and TSX workers (unit tests, no model): input + comments -> exact
// output, and the round trip over real TypeScript from npm packages with the TypeScript compiler's
// parser as the independent judge (testdata/ts_tokens.js).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <unistd.h>

#include "languages/language.h"
#include "languages/roundtrip_util.h"
#include "languages/test_util.h"

namespace scale::languages {
namespace {

using testing::IdOf;
using testing::Names;
using testing::Patch;
using testing::Replaced;

ParsedFile Ts(std::string text) { return Parse(LanguageNamed("typescript"), std::move(text)); }
ParsedFile Tsx(std::string text) { return Parse(LanguageNamed("tsx"), std::move(text)); }

// A new doc as RenderComment writes it: "/**", " * text", " */" at `indent`.
std::string Doc(const std::string& indent, const std::string& text) {
  return indent + "/**\n" + indent + " * " + text + "\n" + indent + " */\n";
}

const char* kModule =
    "import { Injectable } from '@angular/core';\n"
    "\n"
    "/**\n"
    " * Adds two numbers.\n"
    " * @param a - The first.\n"
    " */\n"
    "export function add(a: number, b: number): number {\n"
    "  return a + b;\n"
    "}\n"
    "\n"
    "export const mul = <T extends number>(a: T, b: T): number => a * b;\n"
    "\n"
    "export default abstract class Shape<T> implements Drawable {\n"
    "  private readonly id: string;\n"
    "  constructor(public name: string, private size?: number) {}\n"
    "  abstract area(): number;\n"
    "  protected abstract get label(): string;\n"
    "  public move?(dx: number): void;\n"
    "  @Input() value: string = '';\n"
    "  @HostListener('click', ['$event'])\n"
    "  @Other\n"
    "  onClick(e: Event): void {}\n"
    "  handler = (e: Event): void => {};\n"
    "  get size2(): number { return 1; }\n"
    "  static #make<U>(): U { return null!; }\n"
    "}\n"
    "\n"
    "@Injectable({ providedIn: 'root' })\n"
    "export class Service {\n"
    "  fetch<T>(url: string): Promise<T> { return null!; }\n"
    "}\n"
    "\n"
    "export interface Drawable<T = unknown> extends Base {\n"
    "  draw(ctx: CanvasRenderingContext2D): void;\n"
    "  readonly name: string;\n"
    "  onChange?: (v: string) => void;\n"
    "  update?(v: T): boolean;\n"
    "  (x: number): string;\n"
    "}\n"
    "\n"
    "export type Handler<T> = (event: T) => void;\n"
    "type Point = { x: number; m(): void };\n"
    "export enum Color { Red, Green = 'g' }\n"
    "const enum Dir { Up }\n"
    "\n"
    "export namespace Geometry {\n"
    "  export function area(s: Shape<number>): number { return s.area(); }\n"
    "  export namespace Inner.Deep {\n"
    "    export const f = () => 1;\n"
    "  }\n"
    "}\n"
    "function typed(opts: { cb(): void; m: () => void }): void {}\n";

TEST(TypeScript, FindsFunctionsClassesMembersInterfacesTypesEnumsAndNamespaces) {
  ParsedFile f = Ts(kModule);
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{
                          "function add", "function mul", "class Shape", "constructor Shape.constructor",
                          "method Shape.area", "getter Shape.label", "method Shape.move", "method Shape.onClick",
                          "method Shape.handler", "getter Shape.size2", "method Shape.#make", "class Service",
                          "method Service.fetch", "interface Drawable", "method Drawable.draw", "method Drawable.update",
                          "type Handler", "type Point", "enum Color", "enum Dir", "namespace Geometry",
                          "function Geometry.area", "namespace Geometry.Inner.Deep", "function Geometry.Inner.Deep.f",
                          "function typed"}));
  EXPECT_EQ(f.routines[0].existing_comment, "Adds two numbers.\n@param a - The first.");
  EXPECT_EQ(f.routines[1].signature, "export const mul = <T extends number>(a: T, b: T): number =>");
  EXPECT_EQ(f.routines[5].signature, "protected abstract get label(): string");
  EXPECT_EQ(f.routines[7].signature, "@HostListener('click', ['$event'])\n  @Other\n  onClick(e: Event): void");
  EXPECT_EQ(f.routines[11].signature, "@Injectable({ providedIn: 'root' })\nexport class Service");
  EXPECT_EQ(f.routines[16].signature, "export type Handler<T> =");
  for (const Routine& r : f.routines) EXPECT_EQ(r.skip_reason, "") << r.qualified_name;
}

TEST(TypeScript, CommentsGoAboveExportDecoratorsAndModifiersReplacingOldOnes) {
  ParsedFile f = Ts(kModule);
  std::string out = Patch(f, {{"add", "Adds."},
                              {"Shape", "A shape."},
                              {"Shape.constructor", "Makes one."},
                              {"Shape.area", "The area."},
                              {"Shape.label", "The label."},
                              {"Shape.move", "Moves."},
                              {"Shape.onClick", "On click."},
                              {"Service", "The service."},
                              {"Drawable.update", "Updates."},
                              {"Handler", "Handles."},
                              {"Color", "Colours."},
                              {"Geometry.Inner.Deep.f", "One."}});
  EXPECT_EQ(out, Replaced(kModule, {{"/**\n * Adds two numbers.\n * @param a - The first.\n */\n", Doc("", "Adds.")},
                                    {"export default abstract", Doc("", "A shape.") + "export default abstract"},
                                    {"  constructor(", Doc("  ", "Makes one.") + "  constructor("},
                                    {"  abstract area", Doc("  ", "The area.") + "  abstract area"},
                                    {"  protected abstract", Doc("  ", "The label.") + "  protected abstract"},
                                    {"  public move?", Doc("  ", "Moves.") + "  public move?"},
                                    {"  @HostListener", Doc("  ", "On click.") + "  @HostListener"},
                                    {"@Injectable({", Doc("", "The service.") + "@Injectable({"},
                                    {"  update?(", Doc("  ", "Updates.") + "  update?("},
                                    {"export type Handler", Doc("", "Handles.") + "export type Handler"},
                                    {"export enum", Doc("", "Colours.") + "export enum"},
                                    {"    export const f", Doc("    ", "One.") + "    export const f"}}));
}

// Overloads are one routine: the first signature carries the doc (editors show the signatures'
// docs for a call, never the implementation's; TypeDoc shows it for the function) and spans the
// group, so the model sees every signature and the implementation; routines inside the
// implementation are its children.
TEST(TypeScript, OverloadsAreOneRoutineDocumentedOnTheFirstSignature) {
  const char* src =
      "/** Parses. */\n"
      "export function parse(x: string): number;\n"
      "/** Kept: a doc on a later overload is not the routine's. */\n"
      "export function parse(x: number): number;\n"
      "export function parse(x: any): number {\n"
      "  const inner = (y: number) => y;\n"
      "  return inner(Number(x));\n"
      "}\n"
      "\n"
      "class Vec {\n"
      "  scale(f: number): this;\n"
      "  scale(f: Vec): this;\n"
      "  scale(f: any): this { return this; }\n"
      "  other(): void {}\n"
      "}\n";
  ParsedFile f = Ts(src);
  ASSERT_EQ(Names(f), (std::vector<std::string>{"function parse", "function parse.inner", "class Vec", "method Vec.scale",
                                                "method Vec.other"}));
  EXPECT_EQ(f.routines[0].existing_comment, "Parses.");
  EXPECT_EQ(f.routines[0].signature, "export function parse(x: string): number;");
  EXPECT_EQ(f.routines[0].end_line, 8);  // through the implementation
  EXPECT_EQ(f.routines[3].end_line, 13);
  EXPECT_EQ(RoutineView(f, 0, {}),
            "/** Parses. */\n"
            "export function parse(x: string): number;\n"
            "/** Kept: a doc on a later overload is not the routine's. */\n"
            "export function parse(x: number): number;\n"
            "export function parse(x: any): number {\n"
            "  const inner = (y: number) => ...\n"
            "  return inner(Number(x));\n"
            "}");
  EXPECT_EQ(Patch(f, {{"parse", "Parses a number."}, {"parse.inner", "Same."}, {"Vec.scale", "Scales."}}),
            Replaced(src, {{"/** Parses. */\n", Doc("", "Parses a number.")},
                           {"  const inner", Doc("  ", "Same.") + "  const inner"},
                           {"  scale(f: number)", Doc("  ", "Scales.") + "  scale(f: number)"}}));
  // Two methods of one name that both have bodies are no overloads.
  ParsedFile g = Ts("class A {\n  m() {}\n  m() {}\n}\n");
  EXPECT_EQ(Names(g), (std::vector<std::string>{"class A", "method A.m", "method A.m"}));
}

// A declaration file: ambient functions, classes, modules and namespaces; `declare global` members
// are global.
TEST(TypeScript, DeclarationFilesAmbientModulesAndNamespaces) {
  const char* src =
      "/// <reference types=\"node\" />\n"
      "declare module 'express' {\n"
      "  interface Request { user?: string; }\n"
      "  export function json(): void;\n"
      "}\n"
      "declare module 'no-types';\n"
      "declare global {\n"
      "  interface Window { app: unknown; }\n"
      "  function gtag(...args: unknown[]): void;\n"
      "}\n"
      "declare function ambient(x: number): string;\n"
      "export declare class Lib {\n"
      "  constructor(x: number);\n"
      "  static create(): Lib;\n"
      "}\n"
      "declare const VERSION: string;\n"
      "declare namespace NodeJS {\n"
      "  interface Process { env: Record<string, string>; }\n"
      "}\n";
  ParsedFile f = Parse(LanguageNamed("typescript"), src, ParseOptionsForPath("index.d.ts"));
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"module express", "interface express.Request", "function express.json",
                                                "interface Window", "function gtag", "function ambient", "class Lib",
                                                "constructor Lib.constructor", "method Lib.create", "namespace NodeJS",
                                                "interface NodeJS.Process"}));
  EXPECT_EQ(f.routines[5].signature, "declare function ambient(x: number): string;");
  EXPECT_FALSE(f.routines[0].has_comment);  // a triple-slash directive is never a doc
  std::string out = Patch(f, {{"express", "Express."}, {"ambient", "Ambient."}, {"Lib.create", "Creates."}});
  // The reference directive stays first; the new doc goes below it, next to the code.
  EXPECT_EQ(out, Replaced(src, {{"declare module 'express'", Doc("", "Express.") + "declare module 'express'"},
                                {"declare function", Doc("", "Ambient.") + "declare function"},
                                {"  static create", Doc("  ", "Creates.") + "  static create"}}));
}

TEST(TypeScript, DirectivesAreKeptAndTheDocGoesAroundThem) {
  const char* src =
      "/// <reference path=\"./globals.d.ts\" />\n"
      "function first(): void {}\n"
      "\n"
      "// @ts-ignore\n"
      "export const b = (): number => 1;\n"
      "\n"
      "/** Old doc of c. */\n"
      "// @ts-expect-error: untyped\n"
      "// eslint-disable-next-line @typescript-eslint/no-explicit-any\n"
      "function c(x: any) {}\n"
      "\n"
      "// tslint:disable-next-line:no-any\n"
      "function d(x: any) {}\n"
      "\n"
      "/* prettier-ignore */\n"
      "function e(): void {}\n";
  ParsedFile f = Ts(src);
  ASSERT_EQ(Names(f), (std::vector<std::string>{"function first", "function b", "function c", "function d", "function e"}));
  EXPECT_EQ(f.routines[2].existing_comment, "Old doc of c.");
  EXPECT_EQ(Patch(f, {{"first", "F."}, {"b", "B."}, {"c", "C."}, {"d", "D."}, {"e", "E."}}),
            Replaced(src, {{"function first", Doc("", "F.") + "function first"},
                           {"// @ts-ignore\n", Doc("", "B.") + "// @ts-ignore\n"},
                           {"/** Old doc of c. */\n", Doc("", "C.")},
                           {"// tslint:", Doc("", "D.") + "// tslint:"},
                           {"/* prettier-ignore */\n", Doc("", "E.") + "/* prettier-ignore */\n"}}));
}

TEST(TypeScript, ClassifyCommentKnowsTripleSlashAndTheJavaScriptDirectives) {
  for (const char* language : {"typescript", "tsx"}) {
    auto role = [&](const char* c) { return ClassifyComment(LanguageNamed(language), c, {false, ""}); };
    EXPECT_EQ(role("/// <reference types=\"node\" />"), CommentRole::kDirective);
    EXPECT_EQ(role("/// <reference path=\"a.d.ts\" />"), CommentRole::kDirective);
    EXPECT_EQ(role("/// <reference lib=\"es2015\" />"), CommentRole::kDirective);
    EXPECT_EQ(role("/// <amd-module name=\"x\" />"), CommentRole::kDirective);
    EXPECT_EQ(role("/// Adds <b>two</b> numbers."), CommentRole::kDoc);
    EXPECT_EQ(role("// @ts-ignore"), CommentRole::kNextLineDirective);
    EXPECT_EQ(role("// @ts-expect-error"), CommentRole::kNextLineDirective);
    EXPECT_EQ(role("// @ts-nocheck"), CommentRole::kDirective);
    EXPECT_EQ(role("// eslint-disable-next-line"), CommentRole::kNextLineDirective);
    EXPECT_EQ(role("/* eslint-disable */"), CommentRole::kDirective);
    EXPECT_EQ(role("// prettier-ignore"), CommentRole::kNextLineDirective);
    EXPECT_EQ(role("// tslint:disable-next-line"), CommentRole::kNextLineDirective);
    EXPECT_EQ(role("/* tslint:disable */"), CommentRole::kDirective);
    EXPECT_EQ(role("// biome-ignore lint: reason"), CommentRole::kNextLineDirective);
    EXPECT_EQ(role("// deno-lint-ignore no-explicit-any"), CommentRole::kNextLineDirective);
    EXPECT_EQ(role("/* istanbul ignore next */"), CommentRole::kNextLineDirective);
    EXPECT_EQ(role("/** @jsxImportSource preact */"), CommentRole::kDirective);
    EXPECT_EQ(role("/*#__PURE__*/"), CommentRole::kNextLineDirective);
    EXPECT_EQ(role("/** @license MIT */"), CommentRole::kLicence);
    EXPECT_EQ(role("/*! lib v1 | MIT */"), CommentRole::kLicence);
    EXPECT_EQ(role("/**\n * Adds.\n * @param a - The first.\n */"), CommentRole::kDoc);
  }
}

TEST(TypeScript, CrlfTabsAndABomAreKept) {
  ParsedFile f = Ts("\xEF\xBB\xBFnamespace N {\r\n\texport class A {\r\n\t\tm(): number {\r\n\t\t\treturn 1;\r\n\t\t}\r\n\t}\r\n}\r\n");
  EXPECT_EQ(Names(f), (std::vector<std::string>{"namespace N", "class N.A", "method N.A.m"}));
  EXPECT_EQ(Patch(f, {{"N", "Space."}, {"N.A.m", "Returns 1."}}),
            "\xEF\xBB\xBF/**\r\n * Space.\r\n */\r\nnamespace N {\r\n\texport class A {\r\n"
            "\t\t/**\r\n\t\t * Returns 1.\r\n\t\t */\r\n\t\tm(): number {\r\n\t\t\treturn 1;\r\n\t\t}\r\n\t}\r\n}\r\n");
}

TEST(TypeScript, VerifyCatchesAChangedTypeAndADoubledComment) {
  ParsedFile f = Ts("const f = (a: number): number => a;\n");
  EXPECT_TRUE(Verify(f, "/**\n * D.\n */\nconst f = (a: number): number => a;\n", {0}).ok);
  EXPECT_FALSE(Verify(f, "/**\n * D.\n */\nconst f = (a: string): number => a;\n", {0}).ok);
  EXPECT_FALSE(Verify(f, "// D.\n/**\n * D.\n */\nconst f = (a: number): number => a;\n", {0}).ok);
}

// A function under `satisfies`, `as` or parentheses is bound all the same.
TEST(TypeScript, FunctionsUnderSatisfiesAndAsAreBound) {
  const char* src =
      "export const load = (async ({ params }) => {\n"
      "  return params;\n"
      "}) satisfies PageLoad;\n"
      "const f = ((x: number) => x) as unknown as Fn;\n";
  ParsedFile f = Ts(src);
  ASSERT_EQ(Names(f), (std::vector<std::string>{"function load", "function f"}));
  EXPECT_EQ(Patch(f, {{"load", "Loads."}, {"f", "Same."}}),
            Replaced(src, {{"export const load", Doc("", "Loads.") + "export const load"},
                           {"const f =", Doc("", "Same.") + "const f ="}}));
}

const char* kComponents =
    "import React, { useState } from 'react';\n"
    "\n"
    "interface ButtonProps {\n"
    "  label: string;\n"
    "  onClick?: () => void;\n"
    "}\n"
    "\n"
    "/** Old button doc. */\n"
    "export const Button = ({ label, onClick }: ButtonProps) => (\n"
    "  <button className=\"btn\" onClick={() => onClick?.()}>\n"
    "    {label}\n"
    "  </button>\n"
    ");\n"
    "\n"
    "export default function Counter({ start = 0 }: { start?: number }): JSX.Element {\n"
    "  const [n, setN] = useState<number>(start);\n"
    "  const increment = () => setN(n + 1);\n"
    "  return <div onClick={increment}>{n}</div>;\n"
    "}\n"
    "\n"
    "export class Panel extends React.Component<{ title: string }> {\n"
    "  render() {\n"
    "    return <section><h1>{this.props.title}</h1></section>;\n"
    "  }\n"
    "}\n";

TEST(Tsx, ComponentsHooksAndClassComponents) {
  ParsedFile f = Tsx(kComponents);
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"interface ButtonProps", "function Button", "function Counter",
                                                "function Counter.increment", "class Panel", "method Panel.render"}));
  EXPECT_EQ(f.routines[1].existing_comment, "Old button doc.");
  std::string out = Patch(f, {{"ButtonProps", "Button props."},
                              {"Button", "A button."},
                              {"Counter", "A counter."},
                              {"Counter.increment", "Counts."},
                              {"Panel.render", "Renders."}});
  EXPECT_EQ(out, Replaced(kComponents, {{"interface ButtonProps", Doc("", "Button props.") + "interface ButtonProps"},
                                        {"/** Old button doc. */\n", Doc("", "A button.")},
                                        {"export default function", Doc("", "A counter.") + "export default function"},
                                        {"  const increment", Doc("  ", "Counts.") + "  const increment"},
                                        {"  render()", Doc("  ", "Renders.") + "  render()"}}));
  // The TypeScript grammar proper does not parse JSX: a .tsx file needs the TSX one.
  EXPECT_TRUE(Ts(kComponents).has_syntax_errors);
  EXPECT_EQ(LanguageForPath("src/App.tsx"), LanguageNamed("tsx"));
  EXPECT_EQ(LanguageForPath("types/index.d.ts"), LanguageNamed("typescript"));
  EXPECT_EQ(LanguageForPath("x.mts"), LanguageNamed("typescript"));
}

#ifdef SCALE_TS_CORPUS
namespace fs = std::filesystem;

// The TypeScript compiler's parser judges every patched file (testdata/ts_tokens.js): RunAll saves
// each pair, one node process compares them all afterwards.
TEST(TypeScript, RoundTripOverNpmPackagesJudgedByTheTypeScriptCompiler) {
  const fs::path modules = SCALE_TS_CORPUS;
  if (modules.empty()) GTEST_SKIP() << "cmake/corpus.cmake could not install deps/corpus at configure time";
  ASSERT_TRUE(fs::exists(modules / "typescript/lib/typescript.js")) << "the TypeScript corpus in " << modules << " has gone";
  std::vector<std::pair<fs::path, Language>> files;
  testing::Gather(modules / "typescript/lib", {".ts"}, LanguageNamed("typescript"), files, 1 << 20);
  testing::Gather(modules / "@types/node", {".ts"}, LanguageNamed("typescript"), files, 1 << 20);
  for (const char* src : {"rxjs/src", "immer/src", "@tanstack/query-core/src", "@tanstack/react-query/src"}) {
    testing::Gather(modules / src, {".ts"}, LanguageNamed("typescript"), files, 1 << 20);
    testing::Gather(modules / src, {".tsx"}, LanguageNamed("tsx"), files, 1 << 20);
  }
  ASSERT_GT(files.size(), 400u) << "the TypeScript corpus in " << modules << " looks incomplete";
  fs::path dir = fs::temp_directory_path() / ("scale-ts-judge-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::mutex mu;
  std::ofstream list(dir / "pairs.tsv");
  int n = 0;
  testing::RunAll("typescript", files, [&](const fs::path& path, const std::string& original, const std::string& patched) {
    std::lock_guard<std::mutex> lock(mu);
    std::string base = (dir / std::to_string(n++)).string();
    std::ofstream(base + ".a", std::ios::binary) << original;
    std::ofstream(base + ".b", std::ios::binary) << patched;
    list << base << ".a\t" << base << ".b\t" << path.string() << "\n";
    return std::string();
  });
  list.close();
  std::string command = std::string(SCALE_NODE) + " " + SCALE_TS_JUDGE + " " + (modules / "typescript").string() + " " +
                        (dir / "pairs.tsv").string() + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr) << command;
  std::string output;
  char buffer[4096];
  while (size_t got = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
  int status = pclose(pipe);
  std::printf("[typescript judge] %s", output.substr(output.size() > 4000 ? output.size() - 4000 : 0).c_str());
  EXPECT_EQ(status, 0) << output.substr(0, 4000);
  EXPECT_NE(output.find("ok " + std::to_string(n)), std::string::npos) << output.substr(0, 4000);
  fs::remove_all(dir);
}

// Broken TypeScript: corpus files cut short, with a span deleted or a stray bracket inserted (fixed
// seed). Nothing may throw; what ApplyAndVerify applies must verify and lie outside error regions.
TEST(TypeScript, MutatedFilesStillPatchTheCleanParts) {
  const fs::path modules = SCALE_TS_CORPUS;
  if (modules.empty()) GTEST_SKIP() << "cmake/corpus.cmake could not install deps/corpus at configure time";
  std::vector<std::pair<fs::path, Language>> files;
  testing::Gather(modules / "rxjs/src", {".ts"}, LanguageNamed("typescript"), files, 64 << 10);
  testing::Gather(modules / "@tanstack/react-query/src", {".tsx"}, LanguageNamed("tsx"), files, 64 << 10);
  std::mt19937 rng(20261202);
  int applied = 0, dropped = 0;
  for (size_t i = 0; i < files.size(); i += 5) {
    std::ifstream in(files[i].first, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.size() < 16) continue;
    for (int kind = 0; kind < 3; ++kind) {
      std::string s = text;
      size_t at = rng() % s.size();
      if (kind == 0) s.resize(at);
      else if (kind == 1) s.erase(at, rng() % 40);
      else s.insert(at, 1, "({[<\"'`:;}]>)"[rng() % 13]);
      ParsedFile f = Parse(files[i].second, s);
      std::map<int, std::string> comments;
      for (const Routine& r : f.routines) comments[r.id] = testing::CommentFor(r);
      VerifiedPatch vp = ApplyAndVerify(f, comments);
      applied += static_cast<int>(vp.applied.size());
      dropped += static_cast<int>(vp.dropped.size());
      for (int id : vp.applied) ASSERT_FALSE(f.routines[static_cast<size_t>(id)].in_error_region) << files[i].first;
      Verification v = Verify(f, vp.text, vp.applied);
      ASSERT_TRUE(v.ok) << files[i].first << " (mutation " << kind << "): " << v.problem;
      for (const Routine& r : f.routines) RoutineView(f, r.id, {});
    }
  }
  std::printf("[typescript mutated] %d routines patched+verified, %d left\n", applied, dropped);
  EXPECT_GT(applied, 0);
  EXPECT_GT(dropped, 0);
}
#else
TEST(TypeScript, MutatedFilesStillPatchTheCleanParts) {
  GTEST_SKIP() << "no SCALE_TS_CORPUS: cmake/corpus.cmake installs no TypeScript packages (see docs/languages/typescript.md)";
}
TEST(TypeScript, RoundTripOverNpmPackagesJudgedByTheTypeScriptCompiler) {
  GTEST_SKIP() << "no SCALE_TS_CORPUS: cmake/corpus.cmake installs no TypeScript packages (see docs/languages/typescript.md)";
}
#endif

}  // namespace
}  // namespace scale::languages
