// Golden facts of C routines (facts/c.cc): parameters of ANSI and K&R definitions and of header
// prototypes, declared results; C never raises nor yields.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/facts/facts_test_util.h"
#include "languages/language.h"

namespace scale::languages {
namespace {

using facts_test::Named;

ParsedFile C(std::string text, bool header = false) {
  ParseOptions options;
  options.c_header = header;
  return Parse(LanguageNamed("c"), std::move(text), options);
}

std::vector<std::string> Names(const RoutineFacts& f) {
  std::vector<std::string> out;
  for (const Parameter& p : f.parameters) out.push_back(p.name + (p.kind == Parameter::kVariadic ? " (variadic)" : ""));
  return out;
}

using V = std::vector<std::string>;

const char* kSource =
    "#include <stdio.h>\n"
    "LUA_API int lua_gettop (lua_State *L) {\n  return 0;\n}\n"
    "static const char **names(int n, const char *const *in) { return 0; }\n"
    "int old(a, b)\n  int a;\n  char *b;\n{\n  return a;\n}\n"
    "char *kr_ptr(s) char *s; { return s; }\n"
    "void (*set_handler(int sig, void (*func)(int)))(int) { return func; }\n"
    "int logf_(int level, const char *fmt, ...) { return 0; }\n"
    "struct point { int x; int y; };\n";

TEST(CFacts, PlainFunctionWithValue) {
  ParsedFile f = C("static inline int add(int a, const int *b) {\n  return a + *b;\n}\n");
  const RoutineFacts& facts = Named(f, "add").facts;
  EXPECT_TRUE(facts.has_parameters);
  EXPECT_TRUE(facts.parameters_complete);
  EXPECT_EQ(Names(facts), (V{"a", "b"}));
  EXPECT_EQ(facts.returns_value, Known::kYes);
  EXPECT_EQ(facts.return_type, "int");
  EXPECT_EQ(facts.raises, Known::kNo);
  EXPECT_EQ(facts.generator, Known::kNo);
  EXPECT_TRUE(facts.raised.empty());
  EXPECT_TRUE(facts.receivers.empty());
  EXPECT_FALSE(facts.constructor);
  EXPECT_FALSE(facts.async);
}

TEST(CFacts, VoidParameterListAndVoidResult) {
  ParsedFile f = C("void reset(void)\n{\n  counter = 0;\n}\n");
  const RoutineFacts& facts = Named(f, "reset").facts;
  EXPECT_TRUE(facts.has_parameters);
  EXPECT_TRUE(facts.parameters.empty());
  EXPECT_TRUE(facts.parameters_complete);
  EXPECT_EQ(facts.returns_value, Known::kNo);
  EXPECT_EQ(facts.return_type, "void");
  // In a definition `()` is an empty list too (only a prototype's leaves it open).
  ParsedFile g = C("int main() { return 0; }\n");
  EXPECT_TRUE(Named(g, "main").facts.parameters.empty());
  EXPECT_TRUE(Named(g, "main").facts.parameters_complete);
}

TEST(CFacts, PointerResultsAreValues) {
  ParsedFile f = C(
      "void *xmalloc(size_t n) { return malloc(n); }\n"
      "const char **\nnames(int n, const char *const *in) { return 0; }\n"
      "char* dup(const char* s) { return 0; }\n");
  EXPECT_EQ(Named(f, "xmalloc").facts.returns_value, Known::kYes);
  EXPECT_EQ(Named(f, "xmalloc").facts.return_type, "void *");
  EXPECT_EQ(Named(f, "names").facts.return_type, "const char **");
  EXPECT_EQ(Names(Named(f, "names").facts), (V{"n", "in"}));
  EXPECT_EQ(Named(f, "dup").facts.return_type, "char*");
}

TEST(CFacts, VarargsAndFunctionPointerParameters) {
  ParsedFile f = C(
      "int logf_(int level, const char *fmt, ...) { return 0; }\n"
      "void apply(int (*fn)(int, char *), void *ctx, int arr[10]) { fn(1, ctx); }\n");
  const RoutineFacts& log = Named(f, "logf_").facts;
  EXPECT_EQ(Names(log), (V{"level", "fmt", "... (variadic)"}));
  EXPECT_EQ(Names(Named(f, "apply").facts), (V{"fn", "ctx", "arr"}));  // not the pointee's `int`, `char *`
  EXPECT_EQ(Named(f, "apply").facts.returns_value, Known::kNo);
}

TEST(CFacts, FunctionReturningAFunctionPointer) {
  ParsedFile f = C("void (*set_handler(int sig, void (*func)(int)))(int) { return func; }\n");
  const RoutineFacts& facts = Named(f, "set_handler").facts;
  EXPECT_EQ(Names(facts), (V{"sig", "func"}));
  EXPECT_EQ(facts.returns_value, Known::kYes);  // `void` is the pointee's result
  EXPECT_EQ(facts.return_type, "void");
}

TEST(CFacts, KAndRDefinitions) {
  ParsedFile f = C(
      "int old(a, b)\n  int a;\n  char *b;\n{\n  return a;\n}\n"
      "char *kr_ptr(s) char *s; { return s; }\n"
      "int implicit(n) { return n; }\n");
  EXPECT_EQ(Names(Named(f, "old").facts), (V{"a", "b"}));
  EXPECT_TRUE(Named(f, "old").facts.parameters_complete);
  const RoutineFacts& ptr = Named(f, "kr_ptr").facts;
  EXPECT_EQ(Names(ptr), (V{"s"}));
  EXPECT_EQ(ptr.returns_value, Known::kYes);
  EXPECT_EQ(ptr.raises, Known::kNo);
  // No declarations: `n` may be an implicit-int K&R parameter or an unnamed one of type n.
  EXPECT_TRUE(Named(f, "implicit").facts.parameters.empty());
  EXPECT_FALSE(Named(f, "implicit").facts.parameters_complete);
}

TEST(CFacts, MaskedMacrosAroundTheDeclaration) {
  ParsedFile f = C(
      "LUA_API int lua_gettop (lua_State *L) {\n  return 0;\n}\n"
      "local void ZEXPORT fill(s, len)\n    z_streamp s;\n    unsigned len;\n{\n}\n");
  const RoutineFacts& top = Named(f, "lua_gettop").facts;
  EXPECT_EQ(Names(top), (V{"L"}));
  EXPECT_EQ(top.return_type, "int");
  const RoutineFacts& fill = Named(f, "fill").facts;
  EXPECT_EQ(Names(fill), (V{"s", "len"}));
  EXPECT_EQ(fill.returns_value, Known::kNo);
  EXPECT_EQ(fill.return_type, "void");
}

TEST(CFacts, HeaderPrototypes) {
  ParsedFile f = C(
      "LUA_API int lua_gettop(lua_State *L);\n"
      "int unnamed(int, char *);\n"
      "int unspecified();\n"
      "void wrapped OF((int x, char *y));\n"
      "extern void none(void);\n",
      true);
  EXPECT_EQ(Names(Named(f, "lua_gettop").facts), (V{"L"}));
  const RoutineFacts& unnamed = Named(f, "unnamed").facts;
  EXPECT_TRUE(unnamed.has_parameters);
  EXPECT_TRUE(unnamed.parameters.empty());
  EXPECT_TRUE(unnamed.parameters_complete);  // unnamed for sure: nothing to document by name
  EXPECT_EQ(unnamed.returns_value, Known::kYes);
  EXPECT_EQ(unnamed.raises, Known::kNo);
  EXPECT_FALSE(Named(f, "unspecified").facts.parameters_complete);  // `()` declares no list
  EXPECT_EQ(Names(Named(f, "wrapped").facts), (V{"x", "y"}));
  EXPECT_EQ(Named(f, "wrapped").facts.returns_value, Known::kNo);
  EXPECT_TRUE(Named(f, "none").facts.parameters.empty());
  EXPECT_TRUE(Named(f, "none").facts.parameters_complete);
}

TEST(CFacts, TypesTakeNoParameters) {
  ParsedFile f = C(
      "struct point { int x; int y; };\n"
      "enum color { RED, GREEN };\n",
      false);
  ParsedFile h = C("typedef int (*callback)(int x, void *ud);\ntypedef struct { int a; } pair_t;\n", true);
  for (const Routine* r : {&Named(f, "point"), &Named(f, "color"), &Named(h, "callback"), &Named(h, "pair_t")}) {
    EXPECT_FALSE(r->facts.has_parameters) << r->name;
    EXPECT_TRUE(r->facts.parameters.empty()) << r->name;
    EXPECT_EQ(r->facts.returns_value, Known::kUnknown) << r->name;
  }
}

TEST(CFacts, CommentsInTheSignature) {
  ParsedFile f = C("unsigned /* bytes */ long size(/* none */ void) { return 0; }\n");
  EXPECT_EQ(Named(f, "size").facts.return_type, "unsigned long");
  EXPECT_TRUE(Named(f, "size").facts.parameters.empty());
  ParsedFile h = C("int later(/* to do */);\nint one(int x /* the x */);\n", true);
  EXPECT_FALSE(Named(h, "later").facts.parameters_complete);
  EXPECT_EQ(Names(Named(h, "one").facts), (V{"x"}));
  EXPECT_TRUE(Named(h, "one").facts.parameters_complete);
}

TEST(CFacts, CrlfAndTabs) {
  ParsedFile f = C("int\r\nmax_of(\tint a,\r\n\tint b)\r\n{\r\n\treturn a > b ? a : b;\r\n}\r\n");
  EXPECT_EQ(Names(Named(f, "max_of").facts), (V{"a", "b"}));
  EXPECT_EQ(Named(f, "max_of").facts.return_type, "int");
}

// Every prefix of a real file (unfinished code, syntax errors): the reader neither crashes nor
// reports a parameter without a name.
TEST(CFacts, TruncatedSourcesKeepFactsSane) {
  std::string source = kSource;
  for (size_t n = 0; n <= source.size(); n += 3) {
    ParsedFile f = C(source.substr(0, n));
    for (const Routine& r : f.routines) {
      for (const Parameter& p : r.facts.parameters) EXPECT_FALSE(p.name.empty()) << r.name << " at " << n;
      for (const std::string& t : r.facts.type_parameters) EXPECT_FALSE(t.empty()) << r.name << " at " << n;
    }
  }
}

}  // namespace
}  // namespace scale::languages
