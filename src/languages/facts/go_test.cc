// Golden facts of Go routines (facts/go.cc): each line is every fact of one routine.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/facts/facts_test_util.h"
#include "languages/language.h"

namespace scale::languages {
namespace {

using facts_test::Facts;

ParsedFile ParseGo(std::string text) { return Parse(LanguageNamed("go"), std::move(text)); }

TEST(GoFacts, FunctionsAndMethods) {
  ParsedFile file = ParseGo(R"(package stack

// Push adds values.
func (s *Stack[T]) Push(a, b T, rest ...T) {
	s.items = append(s.items, a, b)
}

func (Stack[T]) Len() int { return 0 }

func (_ *Stack[T]) reset(_ int, n int) {}

func Divide(a, b float64) (q float64, err error) {
	if b == 0 {
		return 0, errors.New("zero")
	}
	return a / b, nil
}

func Map[K comparable, V any, R any](m map[K]V, f func(V) R) map[K]R {
	g := func() int { return 1 }
	_ = g
	return nil
}

func run() {
	done := func() bool { return true }
	_ = done
}
)");
  EXPECT_EQ(Facts(file, "Stack.Push"), "(a, b, *rest) recv=s returns=no gen=no raises=?");
  EXPECT_EQ(Facts(file, "Stack.Len"), "() returns=yes gen=no raises=? type=int");
  EXPECT_EQ(Facts(file, "Stack.reset"), "(n) returns=no gen=no raises=?");
  EXPECT_EQ(Facts(file, "Divide"),
            "(a, b) returns=yes gen=no raises=? type=(q float64, err error)");
  EXPECT_EQ(Facts(file, "Map"), "(m, f) tparam=K tparam=V tparam=R returns=yes gen=no raises=? type=map[K]R");
  // The closure's `return true` is not run's: run declares no result.
  EXPECT_EQ(Facts(file, "run"), "() returns=no gen=no raises=?");
}

TEST(GoFacts, WithoutBodiesAndUnnamedParameters) {
  ParsedFile file = ParseGo(
      "package p\n"
      "\n"
      "//go:noescape\n"
      "func memmove(to, from unsafe.Pointer, n uintptr)\n"
      "\n"
      "func handler(http.ResponseWriter, *http.Request) error\n"
      "\n"
      "func Printf(format string, ...any) (int, error)\n"
      "\n"
      "func grouped[S ~[]E, E cmp.Ordered](x S) {}\n");
  EXPECT_EQ(Facts(file, "memmove"), "(to, from, n) returns=no gen=no raises=?");
  EXPECT_EQ(Facts(file, "handler"), "() returns=yes gen=no raises=? type=error");
  EXPECT_EQ(Facts(file, "Printf"), "(format) returns=yes gen=no raises=? type=(int, error)");
  EXPECT_EQ(Facts(file, "grouped"), "(x) tparam=S tparam=E returns=no gen=no raises=?");
}

TEST(GoFacts, TypesAndInterfaceMethods) {
  ParsedFile file = ParseGo(
      "package p\r\n"
      "\r\n"
      "type Point struct{ X, Y int }\r\n"
      "\r\n"
      "type (\r\n"
      "\tHandlerFunc func(w Writer, r *Request)\r\n"
      "\tID = string\r\n"
      ")\r\n"
      "\r\n"
      "type Reader interface {\r\n"
      "\tRead(p []byte) (n int, err error)\r\n"
      "\tClose()\r\n"
      "}\r\n");
  EXPECT_EQ(Facts(file, "Point"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "HandlerFunc"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "ID"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "Reader"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "Reader.Read"), "(p) returns=yes gen=no raises=? type=(n int, err error)");
  EXPECT_EQ(Facts(file, "Reader.Close"), "() returns=no gen=no raises=?");
}

}  // namespace
}  // namespace scale::languages
