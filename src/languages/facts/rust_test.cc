// Golden facts of Rust routines (facts/rust.cc): each line is every fact of one routine.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/facts/facts_test_util.h"
#include "languages/language.h"

namespace scale::languages {
namespace {

using facts_test::Facts;

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
  EXPECT_EQ(Facts(file, "Buffer.new"), "(data) returns=yes gen=no raises=? result=no type=Self");
  EXPECT_EQ(Facts(file, "Buffer.len"), "() recv=self returns=yes gen=no raises=? result=no type=usize");
  EXPECT_EQ(Facts(file, "Buffer.clear"), "(keep) recv=self returns=no gen=no raises=? result=no");
  EXPECT_EQ(Facts(file, "Buffer.into_inner"),
            "() recv=self returns=no gen=no raises=? result=no type=()");
  EXPECT_EQ(Facts(file, "Buffer.boxed"), "({a,b}, {x,py}) recv=self returns=no gen=no raises=? result=no");
  EXPECT_EQ(Facts(file, "Buffer.patterns"),
            "({first,second}, {inner}, t, n, p{x}) recv=self returns=no gen=no raises=? result=no");
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
  EXPECT_EQ(Facts(file, "read"), "(path) returns=yes gen=no raises=? result=yes type=io::Result<String>");
  EXPECT_EQ(Facts(file, "read.helper"), "() returns=yes gen=no raises=? result=no type=i32");
  EXPECT_EQ(Facts(file, "fmt"),
            "(f) recv=self returns=yes gen=no raises=? result=yes type=fmt::Result");
  EXPECT_EQ(Facts(file, "fetch"),
            "(urls) tparam=T tparam=N returns=yes gen=no raises=? result=yes async type=anyhow::Result<Vec<T>>");
  // A Result inside the declared type still reports errors: `# Errors` is not surely wrong.
  EXPECT_EQ(Facts(file, "poll_next"),
            "(cx) recv=self returns=yes gen=no raises=? type=Poll<Option<Result<u8>>>");
  EXPECT_EQ(Facts(file, "exit"), "(code) returns=no gen=no raises=? result=no type=!");
  EXPECT_EQ(Facts(file, "raw"), "() returns=yes gen=no raises=? result=no type=*const u8");
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
  EXPECT_EQ(Facts(file, "Source"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "Source.next"),
            "() recv=self returns=yes gen=no raises=? result=no type=Option<T>");
  EXPECT_EQ(Facts(file, "Source.reset"), "() recv=self returns=no gen=no raises=? result=no");
  EXPECT_EQ(Facts(file, "Source.describe"),
            "(indent) recv=self returns=yes gen=no raises=? result=no type=String");
  EXPECT_EQ(Facts(file, "printf"), "(format, *...) returns=yes gen=no raises=? result=no type=c_int");
  EXPECT_EQ(Facts(file, "Point"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "Shape"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "Pair"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "square"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "inner"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "inner.f"), "() returns=no gen=no raises=? result=no");
}

}  // namespace
}  // namespace scale::languages
