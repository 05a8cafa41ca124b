// Golden facts of Rust routines (facts/rust.cc): each line is every fact of one routine.
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

ParsedFile ParseRust(std::string text) { return Parse(LanguageNamed("rust"), std::move(text)); }

TEST(RustFacts, ReceiversAndPatterns) {
  ParsedFile file = ParseRust(R"(impl<'a, T: Clone> Buffer<'a, T> {
    /// Makes one.
    #[must_use]
    #[inline]
    pub fn new(data: &'a [T]) -> Self {
        Self { data }
    }

    pub fn len(&self) -> usize { self.data.len() }

    fn clear(&'a mut self, _: bool, mut keep: usize) {}

    fn into_inner(mut self) -> () {}

    fn boxed(self: Box<Self>, (a, b): (i32, i32), Point { x, y: py, .. }: Point) {}

    fn patterns(&self, &[first, ref second, ..]: &[u8; 3], Wrapper(inner): Wrapper, t @ 1..=9: u8, &n: &u8,
                p @ Point { x, .. }: Point) {}
}
)");
  EXPECT_EQ(Facts(file, "Buffer.new"), "params(data) returns=yes type=`Self` gen=no raises=unknown result=no");
  EXPECT_EQ(Facts(file, "Buffer.len"), "params() recv(self) returns=yes type=`usize` gen=no raises=unknown result=no");
  EXPECT_EQ(Facts(file, "Buffer.clear"), "params(keep) recv(self) returns=no gen=no raises=unknown result=no");
  EXPECT_EQ(Facts(file, "Buffer.into_inner"),
            "params() recv(self) returns=no type=`()` gen=no raises=unknown result=no");
  EXPECT_EQ(Facts(file, "Buffer.boxed"), "params({a b} {x py}) recv(self) returns=no gen=no raises=unknown result=no");
  EXPECT_EQ(Facts(file, "Buffer.patterns"),
            "params({first second} {inner} t n p{x}) recv(self) returns=no gen=no raises=unknown result=no");
}

TEST(RustFacts, ResultsAndGenerics) {
  ParsedFile file = ParseRust(
      "use std::io;\r\n"
      "\r\n"
      "pub fn read(path: &Path) -> io::Result<String> {\r\n"
      "    let parse = |s: &str| -> Result<u8, E> { return s.parse(); };\r\n"
      "    fn helper() -> i32 { return 1; }\r\n"
      "    Ok(String::new())\r\n"
      "}\r\n"
      "\r\n"
      "fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { Ok(()) }\r\n"
      "\r\n"
      "pub async fn fetch<'a, T, const N: usize>(urls: [&'a str; N]) -> anyhow::Result<Vec<T>>\r\n"
      "where\r\n"
      "    T: DeserializeOwned,\r\n"
      "{\r\n"
      "    todo!()\r\n"
      "}\r\n"
      "\r\n"
      "fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<u8>>> { todo!() }\r\n"
      "\r\n"
      "fn exit(code: i32) -> ! { std::process::exit(code) }\r\n"
      "\r\n"
      "const unsafe fn raw() -> *const u8 { std::ptr::null() }\r\n");
  EXPECT_EQ(Facts(file, "read"), "params(path) returns=yes type=`io::Result<String>` gen=no raises=unknown result=yes");
  EXPECT_EQ(Facts(file, "read.helper"), "params() returns=yes type=`i32` gen=no raises=unknown result=no");
  EXPECT_EQ(Facts(file, "fmt"),
            "params(f) recv(self) returns=yes type=`fmt::Result` gen=no raises=unknown result=yes");
  EXPECT_EQ(Facts(file, "fetch"),
            "params(urls) tparams(T N) returns=yes type=`anyhow::Result<Vec<T>>` gen=no raises=unknown result=yes async");
  // A Result inside the declared type still reports errors: `# Errors` is not surely wrong.
  EXPECT_EQ(Facts(file, "poll_next"),
            "params(cx) recv(self) returns=yes type=`Poll<Option<Result<u8>>>` gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "exit"), "params(code) returns=no type=`!` gen=no raises=unknown result=no");
  EXPECT_EQ(Facts(file, "raw"), "params() returns=yes type=`*const u8` gen=no raises=unknown result=no");
}

TEST(RustFacts, TraitsWithoutBodiesAndTypes) {
  ParsedFile file = ParseRust(R"(/// Reads things.
pub trait Source<T> {
    /// Next item.
    fn next(&mut self) -> Option<T>;
    fn reset(&mut self);
    fn describe(&self, indent: usize) -> String { String::new() }
}

extern "C" {
    fn printf(format: *const c_char, ...) -> c_int;
}

#[derive(Debug, Clone)]
pub struct Point<T> { x: T, y: T }

enum Shape { Circle(f64), Square { side: f64 } }

type Pair = (u8, u8);

macro_rules! square { ($x:expr) => { $x * $x }; }

mod inner { pub fn f(_: u8) {} }
)");
  EXPECT_EQ(Facts(file, "Source"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "Source.next"),
            "params() recv(self) returns=yes type=`Option<T>` gen=no raises=unknown result=no");
  EXPECT_EQ(Facts(file, "Source.reset"), "params() recv(self) returns=no gen=no raises=unknown result=no");
  EXPECT_EQ(Facts(file, "Source.describe"),
            "params(indent) recv(self) returns=yes type=`String` gen=no raises=unknown result=no");
  EXPECT_EQ(Facts(file, "printf"), "params(format *...) returns=yes type=`c_int` gen=no raises=unknown result=no");
  EXPECT_EQ(Facts(file, "Point"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "Shape"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "Pair"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "square"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "inner"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "inner.f"), "params() returns=no gen=no raises=unknown result=no");
}

}  // namespace
}  // namespace scale::languages
