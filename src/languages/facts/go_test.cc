// Golden facts of Go routines (facts/go.cc): each line is every fact of one routine.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/language.h"

namespace scale::languages {
namespace {

const Routine& Named(const ParsedFile& file, std::string_view name) {
  for (const Routine& r : file.routines) {
    if (r.qualified_name == name) return r;
  }
  ADD_FAILURE() << "no routine named " << name;
  static const Routine none;
  return none;
}

std::string KnownText(Known k) { return k == Known::kYes ? "yes" : k == Known::kNo ? "no" : "unknown"; }

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

// Every fact on one line, so a test asserts all of them at once: parameters as `*rest` (variadic),
// `x=` (optional), `{a b}` (destructured), `p{x}` (named, with the names its pattern binds).
std::string Facts(const ParsedFile& file, std::string_view name) {
  const RoutineFacts& f = Named(file, name).facts;
  std::vector<std::string> params;
  for (const Parameter& p : f.parameters) {
    std::string s = p.kind == Parameter::kVariadic ? "*" : "";
    s += p.name;
    if (p.name.empty() || !p.members.empty()) s += "{" + Joined(p.members) + "}";
    if (p.optional) s += "=";
    params.push_back(s);
  }
  std::string out = f.has_parameters ? "params(" + Joined(params) + ")" : "no-params";
  if (!f.parameters_complete) out += " incomplete";
  if (!f.receivers.empty()) out += " recv(" + Joined(f.receivers) + ")";
  if (!f.type_parameters.empty()) out += " tparams(" + Joined(f.type_parameters) + ")";
  out += " returns=" + KnownText(f.returns_value);
  if (!f.return_type.empty()) out += " type=`" + f.return_type + "`";
  out += " gen=" + KnownText(f.generator) + " raises=" + KnownText(f.raises);
  if (!f.raised.empty()) out += " raised(" + Joined(f.raised) + ")";
  if (f.returns_result != Known::kUnknown) out += " result=" + KnownText(f.returns_result);
  if (f.async) out += " async";
  if (f.constructor) out += " ctor";
  return out;
}

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
  EXPECT_EQ(Facts(file, "Stack.Push"), "params(a b *rest) recv(s) returns=no gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "Stack.Len"), "params() returns=yes type=`int` gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "Stack.reset"), "params(n) returns=no gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "Divide"),
            "params(a b) returns=yes type=`(q float64, err error)` gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "Map"), "params(m f) tparams(K V R) returns=yes type=`map[K]R` gen=no raises=unknown");
  // The closure's `return true` is not run's: run declares no result.
  EXPECT_EQ(Facts(file, "run"), "params() returns=no gen=no raises=unknown");
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
  EXPECT_EQ(Facts(file, "memmove"), "params(to from n) returns=no gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "handler"), "params() returns=yes type=`error` gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "Printf"), "params(format) returns=yes type=`(int, error)` gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "grouped"), "params(x) tparams(S E) returns=no gen=no raises=unknown");
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
  EXPECT_EQ(Facts(file, "Point"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "HandlerFunc"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "ID"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "Reader"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "Reader.Read"), "params(p) returns=yes type=`(n int, err error)` gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "Reader.Close"), "params() returns=no gen=no raises=unknown");
}

}  // namespace
}  // namespace scale::languages
