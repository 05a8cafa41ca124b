// Golden facts of Java routines (facts/java.cc): parameters, generics, declared results, the
// throws clause and the body's own throws (not a lambda's or an anonymous class's).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/facts/facts_test_util.h"
#include "languages/language.h"

namespace scale::languages {
namespace {

using facts_test::Named;

ParsedFile J(std::string text) { return Parse(LanguageNamed("java"), std::move(text)); }

// "name", "*name" (variadic).
std::vector<std::string> Params(const RoutineFacts& f) {
  std::vector<std::string> out;
  for (const Parameter& p : f.parameters) {
    out.push_back((p.kind == Parameter::kVariadic ? "*" : "") + p.name + (p.optional ? "=" : ""));
  }
  return out;
}

using V = std::vector<std::string>;

const char* kBox =
    "package org.example;\n"
    "\n"
    "/** A box. */\n"
    "public class Box<T extends Comparable<T>> implements Container<T> {\n"
    "  private final T value;\n"
    "\n"
    "  public Box(T value) throws IOException {\n"
    "    super();\n"
    "    if (value == null) throw new NullPointerException(\"value\");\n"
    "    this.value = value;\n"
    "  }\n"
    "\n"
    "  @Override\n"
    "  public T get() { return value; }\n"
    "\n"
    "  public static <K, V> Map<K, V> of(K k, final V v) {\n"
    "    Runnable r = () -> { throw new RuntimeException(); };\n"
    "    Object o = new Object() { void f() { throw new IllegalStateException(); } };\n"
    "    return null;\n"
    "  }\n"
    "\n"
    "  public void log(String format, Object... args) {\n"
    "    System.out.printf(format, args);\n"
    "  }\n"
    "\n"
    "  int[] sizes(Box<T> this, int @NonNull [] a) { throw e; }\n"
    "\n"
    "  void check(int n) throws IllegalArgumentException, java.io.IOException {\n"
    "    if (n < 0) throw new IllegalArgumentException(\"n\");\n"
    "    switch (n) { case 1 -> { yield 2; } default -> {} }\n"
    "  }\n"
    "}\n";

TEST(JavaFacts, Constructor) {
  ParsedFile f = J(kBox);
  const RoutineFacts& ctor = Named(f, "Box.Box").facts;
  EXPECT_TRUE(ctor.has_parameters);
  EXPECT_TRUE(ctor.constructor);
  EXPECT_EQ(Params(ctor), (V{"value"}));
  EXPECT_EQ(ctor.returns_value, Known::kNo);
  EXPECT_EQ(ctor.return_type, "");
  EXPECT_EQ(ctor.raises, Known::kYes);
  EXPECT_EQ(ctor.raised, (V{"IOException", "NullPointerException"}));  // clause, then body
}

TEST(JavaFacts, MethodWithValue) {
  ParsedFile f = J(kBox);
  const RoutineFacts& get = Named(f, "Box.get").facts;
  EXPECT_TRUE(get.has_parameters);
  EXPECT_TRUE(get.parameters.empty());
  EXPECT_TRUE(get.receivers.empty());
  EXPECT_EQ(get.returns_value, Known::kYes);
  EXPECT_EQ(get.return_type, "T");
  EXPECT_EQ(get.raises, Known::kNo);
  EXPECT_EQ(get.generator, Known::kNo);
  EXPECT_FALSE(get.constructor);
}

TEST(JavaFacts, GenericsAndNestedThrows) {
  ParsedFile f = J(kBox);
  const RoutineFacts& of = Named(f, "Box.of").facts;
  EXPECT_EQ(of.type_parameters, (V{"K", "V"}));
  EXPECT_EQ(Params(of), (V{"k", "v"}));
  EXPECT_EQ(of.return_type, "Map<K, V>");
  EXPECT_EQ(of.raises, Known::kNo);  // the lambda's and the anonymous class's throws are theirs
  EXPECT_TRUE(of.raised.empty());
  EXPECT_EQ(Named(f, "Box").facts.type_parameters, (V{"T"}));
  EXPECT_FALSE(Named(f, "Box").facts.has_parameters);
}

TEST(JavaFacts, VarargsVoidAndReceiver) {
  ParsedFile f = J(kBox);
  const RoutineFacts& log = Named(f, "Box.log").facts;
  EXPECT_EQ(Params(log), (V{"format", "*args"}));
  EXPECT_EQ(log.returns_value, Known::kNo);
  EXPECT_EQ(log.return_type, "void");
  const RoutineFacts& sizes = Named(f, "Box.sizes").facts;
  EXPECT_EQ(Params(sizes), (V{"a"}));
  EXPECT_EQ(sizes.receivers, (V{"this"}));
  EXPECT_EQ(sizes.return_type, "int[]");
  EXPECT_EQ(sizes.raises, Known::kYes);
  EXPECT_TRUE(sizes.raised.empty());  // a rethrown variable names no type
}

TEST(JavaFacts, ThrowsClauseAndSwitchYield) {
  ParsedFile f = J(kBox);
  const RoutineFacts& check = Named(f, "Box.check").facts;
  EXPECT_EQ(check.raised, (V{"IllegalArgumentException", "java.io.IOException"}));
  EXPECT_EQ(check.generator, Known::kNo);  // `yield` ends a switch arm
}

TEST(JavaFacts, InterfaceAndAbstractMethodsWithoutBody) {
  ParsedFile f = J(
      "interface Shape<S> {\n"
      "  double area();\n"
      "  void save(Path p) throws java.io.IOException;\n"
      "  default void log(String... parts) {}\n"
      "}\n"
      "abstract class Base { protected abstract void run(int times); }\n"
      "@interface Ann { String value() default \"\"; }\n");
  const RoutineFacts& area = Named(f, "Shape.area").facts;
  EXPECT_EQ(area.returns_value, Known::kYes);
  EXPECT_EQ(area.raises, Known::kUnknown);
  EXPECT_EQ(area.generator, Known::kUnknown);
  const RoutineFacts& save = Named(f, "Shape.save").facts;
  EXPECT_EQ(save.raises, Known::kYes);
  EXPECT_EQ(save.raised, (V{"java.io.IOException"}));
  EXPECT_EQ(save.returns_value, Known::kNo);
  EXPECT_EQ(Params(Named(f, "Shape.log").facts), (V{"*parts"}));
  EXPECT_EQ(Named(f, "Shape.log").facts.raises, Known::kNo);
  EXPECT_EQ(Named(f, "Base.run").facts.raises, Known::kUnknown);
  EXPECT_EQ(Params(Named(f, "Base.run").facts), (V{"times"}));
  const RoutineFacts& value = Named(f, "Ann.value").facts;
  EXPECT_TRUE(value.has_parameters);
  EXPECT_EQ(value.return_type, "String");
  EXPECT_EQ(value.returns_value, Known::kYes);
  EXPECT_EQ(Named(f, "Shape").facts.type_parameters, (V{"S"}));
  EXPECT_FALSE(Named(f, "Shape").facts.has_parameters);
  EXPECT_FALSE(Named(f, "Ann").facts.has_parameters);
}

TEST(JavaFacts, RecordsTakeTheirComponents) {
  ParsedFile f = J(
      "public record Point<T>(int x, T y) {\n"
      "  public Point {\n"
      "    if (x < 0) throw new IllegalArgumentException(\"x\");\n"
      "  }\n"
      "  public Point(int x) { this(x, null); }\n"
      "}\n"
      "enum Color { RED; Color next() { return RED; } }\n");
  const RoutineFacts& point = Named(f, "Point").facts;
  EXPECT_TRUE(point.has_parameters);
  EXPECT_EQ(Params(point), (V{"x", "y"}));
  EXPECT_EQ(point.type_parameters, (V{"T"}));
  std::vector<const Routine*> ctors;
  for (const Routine& r : f.routines) {
    if (r.qualified_name == "Point.Point") ctors.push_back(&r);
  }
  ASSERT_EQ(ctors.size(), 2u);
  EXPECT_EQ(Params(ctors[0]->facts), (V{"x", "y"}));  // the compact one: the components
  EXPECT_EQ(ctors[0]->facts.raised, (V{"IllegalArgumentException"}));
  EXPECT_TRUE(ctors[0]->facts.constructor);
  EXPECT_EQ(Params(ctors[1]->facts), (V{"x"}));
  EXPECT_EQ(ctors[1]->facts.returns_value, Known::kNo);
  EXPECT_FALSE(Named(f, "Color").facts.has_parameters);
  EXPECT_EQ(Named(f, "Color.next").facts.returns_value, Known::kYes);
}

TEST(JavaFacts, CrlfAndAnnotatedParameters) {
  ParsedFile f = J("class A {\r\n\t@Deprecated\r\n\tpublic <T> void put(@NonNull final T item,\r\n\t\tint... counts) {\r\n\t}\r\n}\r\n");
  const RoutineFacts& put = Named(f, "A.put").facts;
  EXPECT_EQ(Params(put), (V{"item", "*counts"}));
  EXPECT_EQ(put.type_parameters, (V{"T"}));
  EXPECT_EQ(put.returns_value, Known::kNo);
}

// Every prefix of a real file (unfinished code, syntax errors): the reader neither crashes nor
// reports a parameter without a name.
TEST(JavaFacts, TruncatedSourcesKeepFactsSane) {
  std::string source = kBox;
  for (size_t n = 0; n <= source.size(); n += 3) {
    ParsedFile f = J(source.substr(0, n));
    for (const Routine& r : f.routines) {
      for (const Parameter& p : r.facts.parameters) EXPECT_FALSE(p.name.empty()) << r.name << " at " << n;
      for (const std::string& t : r.facts.type_parameters) EXPECT_FALSE(t.empty()) << r.name << " at " << n;
    }
  }
}

}  // namespace
}  // namespace scale::languages
