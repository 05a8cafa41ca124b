// Golden facts of C++ routines (facts/cpp.cc): parameters, templates, declared and deduced
// results, throws in the routine's own body (not in its lambdas or local classes).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/facts/facts_test_util.h"
#include "languages/language.h"

namespace scale::languages {
namespace {

using facts_test::Named;

ParsedFile Cpp(std::string text, bool header = false) {
  ParseOptions options;
  options.c_header = header;
  return Parse(LanguageNamed("cpp"), std::move(text), options);
}

// "name", "name=" (optional), "*name" (variadic).
std::vector<std::string> Params(const RoutineFacts& f) {
  std::vector<std::string> out;
  for (const Parameter& p : f.parameters) {
    out.push_back((p.kind == Parameter::kVariadic ? "*" : "") + p.name + (p.optional ? "=" : ""));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(CppFacts, PlainFunction) {
  ParsedFile f = Cpp("static int add(int a, int b = 2) { return a + b; }\n");
  const RoutineFacts& facts = Named(f, "add").facts;
  EXPECT_TRUE(facts.has_parameters);
  EXPECT_TRUE(facts.parameters_complete);
  EXPECT_EQ(Params(facts), (V{"a", "b="}));
  EXPECT_EQ(facts.returns_value, Known::kYes);
  EXPECT_EQ(facts.return_type, "int");
  EXPECT_EQ(facts.raises, Known::kNo);
  EXPECT_EQ(facts.generator, Known::kNo);
  EXPECT_TRUE(facts.receivers.empty());
  EXPECT_TRUE(facts.type_parameters.empty());
}

const char* kWidget =
    "namespace ui {\n"
    "class Widget : public Base {\n"
    " public:\n"
    "  Widget(int w, int h) : w_(w) { if (w < 0) throw std::invalid_argument(\"w\"); }\n"
    "  ~Widget() { release(); }\n"
    "  bool operator==(const Widget& o) const { return w_ == o.w_; }\n"
    "  explicit operator bool() const noexcept { return w_ != 0; }\n"
    "  void resize(int w) noexcept { w_ = w; }\n"
    "  const std::string& name() const { return name_; }\n"
    "  Widget& operator=(Widget&& other) { return *this; }\n"
    "  static auto make(int n) -> std::unique_ptr<Widget> {\n"
    "    if (n < 0) throw Error{\"negative\"};\n"
    "    return nullptr;\n"
    "  }\n"
    " private:\n"
    "  int w_;\n"
    "};\n"
    "void Widget::draw(Canvas& c, const Style&) const {\n"
    "  auto check = [&](int x) { if (x) throw Inner(); return x; };\n"
    "  struct Local { int f() { throw Other(); return 1; } };\n"
    "  check(1);\n"
    "}\n"
    "}  // namespace ui\n";

TEST(CppFacts, ConstructorAndDestructorReturnNothing) {
  ParsedFile f = Cpp(kWidget);
  const RoutineFacts& ctor = Named(f, "ui.Widget.Widget").facts;
  EXPECT_TRUE(ctor.constructor);
  EXPECT_EQ(Params(ctor), (V{"w", "h"}));
  EXPECT_EQ(ctor.returns_value, Known::kNo);
  EXPECT_EQ(ctor.return_type, "");
  EXPECT_EQ(ctor.raises, Known::kYes);
  EXPECT_EQ(ctor.raised, (V{"std::invalid_argument"}));
  const RoutineFacts& dtor = Named(f, "ui.Widget.~Widget").facts;
  EXPECT_FALSE(dtor.constructor);
  EXPECT_TRUE(dtor.has_parameters);
  EXPECT_EQ(dtor.returns_value, Known::kNo);
  EXPECT_EQ(dtor.raises, Known::kNo);
}

TEST(CppFacts, MethodsAndOperators) {
  ParsedFile f = Cpp(kWidget);
  const RoutineFacts& eq = Named(f, "ui.Widget.operator==").facts;
  EXPECT_EQ(Params(eq), (V{"o"}));
  EXPECT_TRUE(eq.receivers.empty());  // `this` is never a parameter
  EXPECT_EQ(eq.return_type, "bool");
  EXPECT_EQ(eq.returns_value, Known::kYes);
  const RoutineFacts& conv = Named(f, "ui.Widget.operator bool").facts;
  EXPECT_TRUE(conv.has_parameters);
  EXPECT_TRUE(conv.parameters.empty());
  EXPECT_EQ(conv.return_type, "bool");
  EXPECT_EQ(conv.returns_value, Known::kYes);
  EXPECT_EQ(conv.raises, Known::kNo);  // noexcept: nothing thrown, and no throw either
  const RoutineFacts& resize = Named(f, "ui.Widget.resize").facts;
  EXPECT_EQ(resize.returns_value, Known::kNo);
  EXPECT_EQ(resize.return_type, "void");
  EXPECT_EQ(Named(f, "ui.Widget.name").facts.return_type, "const std::string&");
  EXPECT_EQ(Named(f, "ui.Widget.operator=").facts.return_type, "Widget&");
  EXPECT_EQ(Params(Named(f, "ui.Widget.operator=").facts), (V{"other"}));
}

TEST(CppFacts, TrailingReturnType) {
  ParsedFile f = Cpp(kWidget);
  const RoutineFacts& make = Named(f, "ui.Widget.make").facts;
  EXPECT_EQ(make.return_type, "std::unique_ptr<Widget>");
  EXPECT_EQ(make.returns_value, Known::kYes);
  EXPECT_EQ(make.raised, (V{"Error"}));
  ParsedFile g = Cpp("auto done() -> void { flush(); }\nauto count() { return 3; }\nauto nothing() { }\n");
  EXPECT_EQ(Named(g, "done").facts.returns_value, Known::kNo);
  EXPECT_EQ(Named(g, "done").facts.return_type, "void");
  EXPECT_EQ(Named(g, "count").facts.returns_value, Known::kYes);  // deduced from the body
  EXPECT_EQ(Named(g, "count").facts.return_type, "auto");
  EXPECT_EQ(Named(g, "nothing").facts.returns_value, Known::kNo);
}

TEST(CppFacts, OutOfLineDefinitionIgnoresNestedThrows) {
  ParsedFile f = Cpp(kWidget);
  const RoutineFacts& draw = Named(f, "ui.Widget.draw").facts;
  EXPECT_EQ(Params(draw), (V{"c"}));  // the unnamed `const Style&` has nothing to document
  EXPECT_TRUE(draw.parameters_complete);
  EXPECT_EQ(draw.returns_value, Known::kNo);
  EXPECT_EQ(draw.raises, Known::kNo);  // Inner and Other are thrown by the lambda and Local::f
  EXPECT_TRUE(draw.raised.empty());
  ParsedFile g = Cpp("int A::B::C<int>::D::f(int x) { return x; }\n");
  EXPECT_EQ(Params(g.routines.at(0).facts), (V{"x"}));
}

TEST(CppFacts, TemplatesAndPacks) {
  ParsedFile f = Cpp(
      "template <typename T, int N, class... Rest>\n"
      "T sum(const T (&xs)[N], Rest&&... rest) { return T{}; }\n"
      "template <class T>\n"
      "class Box {\n"
      " public:\n"
      "  template <typename U = T> void put(U u, ...) {}\n"
      "};\n");
  const RoutineFacts& sum = Named(f, "sum").facts;
  EXPECT_EQ(sum.type_parameters, (V{"T", "N", "Rest"}));
  EXPECT_EQ(Params(sum), (V{"xs", "*rest"}));
  EXPECT_EQ(sum.return_type, "T");
  const RoutineFacts& box = Named(f, "Box").facts;
  EXPECT_FALSE(box.has_parameters);
  EXPECT_EQ(box.type_parameters, (V{"T"}));
  const RoutineFacts& put = Named(f, "Box.put").facts;
  EXPECT_EQ(put.type_parameters, (V{"U"}));
  EXPECT_EQ(Params(put), (V{"u", "*..."}));
}

TEST(CppFacts, LambdaBoundToAName) {
  ParsedFile f = Cpp(
      "auto add = [](int a, int b = 2) -> int { return a + b; };\n"
      "auto log = [](const char* fmt) { if (!fmt) throw std::logic_error(\"fmt\"); };\n");
  const RoutineFacts& add = Named(f, "add").facts;
  EXPECT_TRUE(add.has_parameters);
  EXPECT_EQ(Params(add), (V{"a", "b="}));
  EXPECT_EQ(add.return_type, "int");
  EXPECT_EQ(add.returns_value, Known::kYes);
  const RoutineFacts& log = Named(f, "log").facts;
  EXPECT_EQ(log.returns_value, Known::kNo);
  EXPECT_EQ(log.raises, Known::kYes);
  EXPECT_EQ(log.raised, (V{"std::logic_error"}));
}

TEST(CppFacts, RethrowAndPointerResults) {
  ParsedFile f = Cpp(
      "int main(int argc, char** argv) { try { run(); } catch (...) { throw; } }\n"
      "void* raw(std::size_t n) { return nullptr; }\n"
      "void log(const char* fmt, ...) {}\n"
      "void reset(void) {}\n");
  const RoutineFacts& main = Named(f, "main").facts;
  EXPECT_EQ(Params(main), (V{"argc", "argv"}));
  EXPECT_EQ(main.raises, Known::kYes);
  EXPECT_TRUE(main.raised.empty());  // a bare rethrow names nothing
  EXPECT_EQ(Named(f, "raw").facts.returns_value, Known::kYes);
  EXPECT_EQ(Named(f, "raw").facts.return_type, "void*");
  EXPECT_EQ(Params(Named(f, "log").facts), (V{"fmt", "*..."}));
  EXPECT_TRUE(Named(f, "reset").facts.parameters.empty());
}

TEST(CppFacts, DeclarationsWithoutBody) {
  ParsedFile f = Cpp(
      "class Shape {\n"
      " public:\n"
      "  Shape(const Shape&) = default;\n"
      "  Shape& operator=(const Shape&) = delete;\n"
      "  virtual ~Shape();\n"
      "  virtual double area(double scale) const = 0;\n"
      "  virtual void draw(Canvas& c) const = 0;\n"
      "};\n"
      "int parse(const char* s, int base = 10);\n",
      true);
  const RoutineFacts& copy = Named(f, "Shape.Shape").facts;
  EXPECT_TRUE(copy.constructor);
  EXPECT_EQ(copy.returns_value, Known::kNo);
  EXPECT_EQ(copy.raises, Known::kUnknown);
  EXPECT_EQ(copy.generator, Known::kUnknown);
  const RoutineFacts& assign = Named(f, "Shape.operator=").facts;
  EXPECT_EQ(assign.returns_value, Known::kYes);
  EXPECT_EQ(assign.raises, Known::kUnknown);
  const RoutineFacts& area = Named(f, "Shape.area").facts;
  EXPECT_EQ(Params(area), (V{"scale"}));
  EXPECT_EQ(area.returns_value, Known::kYes);
  EXPECT_EQ(area.raises, Known::kUnknown);
  EXPECT_EQ(Named(f, "Shape.draw").facts.returns_value, Known::kNo);
  const RoutineFacts& parse = Named(f, "parse").facts;
  EXPECT_EQ(Params(parse), (V{"s", "base="}));
  EXPECT_EQ(parse.returns_value, Known::kYes);
  EXPECT_EQ(parse.raises, Known::kUnknown);
  EXPECT_FALSE(Named(f, "Shape").facts.has_parameters);
}

TEST(CppFacts, CoroutinesYield) {
  ParsedFile f = Cpp("generator<int> iota(int n) { for (int i = 0; i < n; ++i) co_yield i; }\n");
  EXPECT_EQ(Named(f, "iota").facts.generator, Known::kYes);
  EXPECT_EQ(Named(f, "iota").facts.returns_value, Known::kYes);
}

TEST(CppFacts, FunctionTryBlockMacrosAndTemplateTemplates) {
  ParsedFile f = Cpp(
      "int parse(int x) try { return g(x); } catch (const std::exception& e) { throw Wrapped(e); }\n"
      "EXPORT_API std::string label(int id) { return {}; }\n"
      "template <template <class> class TT, typename U = int, int... Ns>\n"
      "void apply(TT<U> x, [[maybe_unused]] int flags) {}\n"
      "int sign(int x) { return x > 0 ? x : throw std::domain_error(\"neg\"); }\n");
  const RoutineFacts& parse = Named(f, "parse").facts;
  EXPECT_EQ(Params(parse), (V{"x"}));  // not the handler's `e`
  EXPECT_EQ(parse.raised, (V{"Wrapped"}));
  EXPECT_EQ(Named(f, "label").facts.return_type, "std::string");
  EXPECT_EQ(Params(Named(f, "label").facts), (V{"id"}));
  const RoutineFacts& apply = Named(f, "apply").facts;
  EXPECT_EQ(apply.type_parameters, (V{"TT", "U", "Ns"}));
  EXPECT_EQ(Params(apply), (V{"x", "flags"}));
  EXPECT_EQ(Named(f, "sign").facts.raises, Known::kYes);  // a throw expression
}

TEST(CppFacts, OutOfLineOperatorsAndSpecialMembers) {
  ParsedFile f = Cpp(
      "Widget::operator bool() const { return ok_; }\n"
      "bool Widget::operator==(const Widget& o) const { return id_ == o.id_; }\n"
      "Widget::Widget(int x) : x_(x) {}\n"
      "Widget::~Widget() {}\n");
  const RoutineFacts& conv = Named(f, "Widget.operator bool").facts;
  EXPECT_TRUE(conv.has_parameters);
  EXPECT_EQ(conv.return_type, "bool");
  EXPECT_EQ(conv.returns_value, Known::kYes);
  EXPECT_EQ(Params(Named(f, "Widget.operator==").facts), (V{"o"}));
  EXPECT_EQ(Named(f, "Widget.operator==").facts.return_type, "bool");
  const RoutineFacts& ctor = Named(f, "Widget.Widget").facts;
  EXPECT_TRUE(ctor.constructor);
  EXPECT_EQ(Params(ctor), (V{"x"}));
  EXPECT_EQ(ctor.returns_value, Known::kNo);
  EXPECT_EQ(Named(f, "Widget.~Widget").facts.returns_value, Known::kNo);
}

// Every prefix of a real file (unfinished code, syntax errors): the reader neither crashes nor
// reports a parameter without a name.
TEST(CppFacts, TruncatedSourcesKeepFactsSane) {
  std::string source = kWidget;
  for (size_t n = 0; n <= source.size(); n += 3) {
    ParsedFile f = Cpp(source.substr(0, n));
    for (const Routine& r : f.routines) {
      for (const Parameter& p : r.facts.parameters) EXPECT_FALSE(p.name.empty()) << r.name << " at " << n;
      for (const std::string& t : r.facts.type_parameters) EXPECT_FALSE(t.empty()) << r.name << " at " << n;
    }
  }
}

}  // namespace
}  // namespace scale::languages
