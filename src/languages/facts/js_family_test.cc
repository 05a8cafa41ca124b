// Golden tests for the JavaScript / TypeScript / TSX fact reader (facts/js_family.cc): each
// routine's facts as one line.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "languages/facts/facts_test_util.h"
#include "languages/language.h"

namespace scale::languages {
namespace {

using facts_test::Describe;
using facts_test::Named;

std::string FactsOf(std::string_view language, const std::string& text, std::string_view name) {
  ParsedFile file = Parse(LanguageNamed(language), text);
  return Describe(Named(file, name).facts);
}

TEST(JsFamilyFacts, JavaScriptFunctions) {
  const std::string text =
      "function add(a, b = 1, ...rest) {\n"
      "  return a + b + rest.length;\n"
      "}\n"
      "export default function (el) {\n"
      "  el.hidden = true;\n"
      "  return;\n"
      "}\n"
      "function* ids(start) {\n"
      "  yield start;\n"
      "  return 'done';\n"
      "}\n"
      "async function save(doc) {\n"
      "  await db.put(doc);\n"
      "}\n"
      "async function load(id) {\n"
      "  return await db.get(id);\n"
      "}\n"
      "function nothing() {\n"
      "  return undefined;\n"
      "}\n";
  ParsedFile file = Parse(LanguageNamed("javascript"), text);
  EXPECT_EQ(Describe(Named(file, "add").facts), "(a, b?, *rest) returns=yes gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "default").facts), "(el) returns=no gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "ids").facts), "(start) returns=? gen=yes raises=no");
  EXPECT_EQ(Describe(Named(file, "save").facts), "(doc) returns=? gen=no raises=no async");
  EXPECT_EQ(Describe(Named(file, "load").facts), "(id) returns=yes gen=no raises=no async");
  EXPECT_EQ(Describe(Named(file, "nothing").facts), "() returns=no gen=no raises=no");
}

TEST(JsFamilyFacts, BoundFunctionsAndArrows) {
  const std::string text =
      "const double = x => x * 2;\n"
      "const log = (message) => console.log(message);\n"
      "let reset = async () => { await store.clear(); };\n"
      "var legacy = function named(a, b) { return a || b; };\n"
      "module.exports.parse = function (src, opts) {\n"
      "  if (!src) throw new TypeError('src');\n"
      "  return tokens(src, opts);\n"
      "};\n"
      "const api = {\n"
      "  get(id) { return db.get(id); },\n"
      "  put: function (id, value) { db.put(id, value); },\n"
      "};\n";
  ParsedFile file = Parse(LanguageNamed("javascript"), text);
  EXPECT_EQ(Describe(Named(file, "double").facts), "(x) returns=yes gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "log").facts), "(message) returns=? gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "reset").facts), "() returns=? gen=no raises=no async");
  EXPECT_EQ(Describe(Named(file, "legacy").facts), "(a, b) returns=yes gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "module.exports.parse").facts),
            "(src, opts) returns=yes gen=no raises=yes raised=TypeError");
  EXPECT_EQ(Describe(Named(file, "api.get").facts), "(id) returns=yes gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "api.put").facts), "(id, value) returns=no gen=no raises=no");
}

TEST(JsFamilyFacts, ClassMembers) {
  const std::string text =
      "class Counter extends Base {\n"
      "  handler = (event) => { this.count += event.n; };\n"
      "  constructor(start = 0) {\n"
      "    super();\n"
      "    if (start < 0) throw new RangeError('start');\n"
      "    this.count = start;\n"
      "  }\n"
      "  get value() { return this.count; }\n"
      "  set step(n) { this.n = n; }\n"
      "  static of(...values) { return new Counter(values.length); }\n"
      "  *[Symbol.iterator]() { yield this.count; }\n"
      "  async #flush() { await this.sink.write(this.count); }\n"
      "}\n";
  ParsedFile file = Parse(LanguageNamed("javascript"), text);
  EXPECT_EQ(Describe(Named(file, "Counter").facts), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Describe(Named(file, "Counter.handler").facts), "(event) returns=no gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "Counter.constructor").facts),
            "(start?) returns=no gen=no raises=yes raised=RangeError ctor");
  EXPECT_EQ(Describe(Named(file, "Counter.value").facts), "() returns=yes gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "Counter.step").facts), "(n) returns=no gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "Counter.of").facts), "(*values) returns=yes gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "Counter.[Symbol.iterator]").facts), "() returns=? gen=yes raises=no");
  EXPECT_EQ(Describe(Named(file, "Counter.#flush").facts), "() returns=? gen=no raises=no async");
}

TEST(JsFamilyFacts, DestructuredParameters) {
  const std::string text =
      "function draw({ x, y: top, size = 1, ...opts }, [first, , last = 0] = [], ...[a, b]) {\n"
      "  paint(x, top, size, opts, first, last, a, b);\n"
      "}\n";
  EXPECT_EQ(FactsOf("javascript", text, "draw"),
            "({x,top,size,opts}, {first,last}?, *{a,b}) returns=no gen=no raises=no");
}

TEST(JsFamilyFacts, NestedRoutinesDoNotCount) {
  const std::string text =
      "function outer(items) {\n"
      "  function key(item) { return item.id; }\n"
      "  const fail = () => { throw new Error('x'); };\n"
      "  class Local { run() { return 1; } }\n"
      "  items.sort((a, b) => key(a) - key(b));\n"
      "  items.forEach(function (i) { if (!i) throw new TypeError(); return i; });\n"
      "}\n";
  ParsedFile file = Parse(LanguageNamed("javascript"), text);
  EXPECT_EQ(Describe(Named(file, "outer").facts), "(items) returns=no gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "outer.key").facts), "(item) returns=yes gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "outer.fail").facts), "() returns=no gen=no raises=yes raised=Error");
}

TEST(JsFamilyFacts, ThrownNames) {
  const std::string text =
      "function check(v) {\n"
      "  try { v(); } catch (err) { throw err; }\n"
      "  if (v === 1) throw new errors.NotFound(v);\n"
      "  if (v === 2) throw TypeError('two');\n"
      "  if (v === 3) throw makeError(v);\n"
      "  throw new errors.NotFound('again');\n"
      "}\n";
  EXPECT_EQ(FactsOf("javascript", text, "check"),
            "(v) returns=no gen=no raises=yes raised=errors.NotFound raised=TypeError");
}

TEST(JsFamilyFacts, TypeScriptDeclaredResults) {
  const std::string text =
      "function log(msg: string): void { console.log(msg); }\n"
      "async function flush(): Promise<void> { await sink.flush(); }\n"
      "async function load(id: string): Promise<User> { return db.get(id); }\n"
      "function fail(msg: string): never { throw new Error(msg); }\n"
      "function assertString(x: unknown): asserts x is string {\n"
      "  if (typeof x !== 'string') throw new TypeError('x');\n"
      "}\n"
      "function isString(x: unknown): x is string { return typeof x === 'string'; }\n"
      "export declare function measure(text: string, font?: Font): number;\n"
      "function first<T, K extends keyof T>(items: T[], key?: K): T | undefined { return items[0]; }\n";
  ParsedFile file = Parse(LanguageNamed("typescript"), text);
  EXPECT_EQ(Describe(Named(file, "log").facts), "(msg) returns=no gen=no raises=no type=void");
  EXPECT_EQ(Describe(Named(file, "flush").facts), "() returns=no gen=no raises=no async type=Promise<void>");
  EXPECT_EQ(Describe(Named(file, "load").facts), "(id) returns=yes gen=no raises=no async type=Promise<User>");
  EXPECT_EQ(Describe(Named(file, "fail").facts), "(msg) returns=no gen=no raises=yes raised=Error type=never");
  EXPECT_EQ(Describe(Named(file, "assertString").facts),
            "(x) returns=no gen=no raises=yes raised=TypeError type=asserts x is string");
  EXPECT_EQ(Describe(Named(file, "isString").facts), "(x) returns=yes gen=no raises=no type=x is string");
  EXPECT_EQ(Describe(Named(file, "measure").facts), "(text, font?) returns=yes gen=? raises=? type=number");
  EXPECT_EQ(Describe(Named(file, "first").facts),
            "(items, key?) tparam=T tparam=K returns=yes gen=no raises=no type=T | undefined");
}

TEST(JsFamilyFacts, TypeScriptClassMembers) {
  const std::string text =
      "export abstract class Repo<T extends Entity> {\n"
      "  constructor(private readonly db: Db, public name = 'repo') {}\n"
      "  @Memoize({ key: (k) => k })\n"
      "  find<K extends keyof T>(this: Repo<T>, key: K, value?: T[K]): T | undefined {\n"
      "    return this.db.find(key, value);\n"
      "  }\n"
      "  abstract save(item: T): Promise<void>;\n"
      "  protected abstract count(): number;\n"
      "  set limit(n: number) { this.n = n; }\n"
      "  onChange = (e: Event): void => { this.emit(e); };\n"
      "}\n"
      "interface Store {\n"
      "  get(key: string): string | null;\n"
      "  clear(): void;\n"
      "}\n"
      "type Handler = (e: Event) => void;\n";
  ParsedFile file = Parse(LanguageNamed("typescript"), text);
  EXPECT_EQ(Describe(Named(file, "Repo").facts), "no-params tparam=T returns=? gen=? raises=?");
  EXPECT_EQ(Describe(Named(file, "Repo.constructor").facts), "(db, name?) returns=no gen=no raises=no ctor");
  EXPECT_EQ(Describe(Named(file, "Repo.find").facts),
            "(key, value?) recv=this tparam=K returns=yes gen=no raises=no type=T | undefined");
  EXPECT_EQ(Describe(Named(file, "Repo.save").facts), "(item) returns=no gen=? raises=? type=Promise<void>");
  EXPECT_EQ(Describe(Named(file, "Repo.count").facts), "() returns=yes gen=? raises=? type=number");
  EXPECT_EQ(Describe(Named(file, "Repo.limit").facts), "(n) returns=no gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "Repo.onChange").facts), "(e) returns=no gen=no raises=no type=void");
  EXPECT_EQ(Describe(Named(file, "Store").facts), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Describe(Named(file, "Store.get").facts), "(key) returns=yes gen=? raises=? type=string | null");
  EXPECT_EQ(Describe(Named(file, "Store.clear").facts), "() returns=no gen=? raises=? type=void");
  EXPECT_EQ(Describe(Named(file, "Handler").facts), "no-params returns=? gen=? raises=?");
}

TEST(JsFamilyFacts, OverloadsUnionTheirSignatures) {
  const std::string text =
      "export function parse(input: string): Node;\n"
      "export function parse(input: Buffer, options?: Options): Node;\n"
      "export function parse(input: string | Buffer, options: Options = {}, trace = false): Node {\n"
      "  if (!input) throw new ParseError('empty');\n"
      "  return build(input, options, trace);\n"
      "}\n"
      "function pick(a: string): string;\n"
      "function pick(a: number);\n"
      "function pick(a: any) { log(a); }\n"
      "function emit(name: string): void;\n"
      "function emit(name: string, payload: object): void;\n"
      "function emit(name: string, payload?: object) { bus.send(name, payload); }\n"
      "declare function on(event: 'a', cb: () => void): this;\n"
      "declare function on(event: 'b', listener: Listener): this;\n"
      "class Box {\n"
      "  constructor(size: number);\n"
      "  constructor(width: number, height: number);\n"
      "  constructor(a: number, b?: number) { this.a = a; }\n"
      "  get(key: string): string;\n"
      "  get(key: number): number;\n"
      "  get(key: any): any { return this.m[key]; }\n"
      "}\n";
  ParsedFile file = Parse(LanguageNamed("typescript"), text);
  EXPECT_EQ(Describe(Named(file, "parse").facts),
            "(input, options?, trace?) returns=yes gen=no raises=yes raised=ParseError type=Node");
  EXPECT_EQ(Describe(Named(file, "pick").facts), "(a) returns=? gen=no raises=no type=string");
  EXPECT_EQ(Describe(Named(file, "emit").facts), "(name, payload?) returns=no gen=no raises=no type=void");
  EXPECT_EQ(Describe(Named(file, "on").facts), "(event, cb?, listener?) returns=yes gen=? raises=? type=this");
  EXPECT_EQ(Describe(Named(file, "Box.constructor").facts), "(size?, width?, height?, a?, b?) returns=no gen=no raises=no ctor");
  EXPECT_EQ(Describe(Named(file, "Box.get").facts), "(key) returns=yes gen=no raises=no type=string");
}

TEST(JsFamilyFacts, TsxComponent) {
  const std::string text =
      "export const Button = ({ label, onClick }: Props): JSX.Element => (\r\n"
      "\t<button onClick={onClick}>{label}</button>\r\n"
      ");\r\n"
      "export function List({ items }: { items: string[] }) {\r\n"
      "\treturn <ul>{items.map((i) => <li>{i}</li>)}</ul>;\r\n"
      "}\r\n";
  ParsedFile file = Parse(LanguageNamed("tsx"), text);
  EXPECT_EQ(Describe(Named(file, "Button").facts), "({label,onClick}) returns=yes gen=no raises=no type=JSX.Element");
  EXPECT_EQ(Describe(Named(file, "List").facts), "({items}) returns=yes gen=no raises=no");
}

}  // namespace
}  // namespace scale::languages
