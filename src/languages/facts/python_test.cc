// Golden tests for the Python fact reader (facts/python.cc): each routine's facts as one line.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "languages/facts/facts_test_util.h"
#include "languages/language.h"

namespace scale::languages {
namespace {

using facts_test::Describe;
using facts_test::Named;

std::string FactsOf(const std::string& text, std::string_view name) {
  ParsedFile file = Parse(LanguageNamed("python"), text);
  return Describe(Named(file, name).facts);
}

TEST(PythonFacts, PlainFunctionWithEveryParameterKind) {
  const std::string text =
      "@cache\n"
      "def f(a, b: int = 1, /, *args: str, c, d=2, **kw) -> int:\n"
      "    \"\"\"Doc.\"\"\"\n"
      "    return a\n";
  EXPECT_EQ(FactsOf(text, "f"), "(a, b?, *args, c, d?, **kw) returns=yes gen=no raises=no type=int");
}

TEST(PythonFacts, MethodReceiversFollowDecorators) {
  const std::string text =
      "class C:\n"
      "    def m(self, x):\n"
      "        print(x)\n"
      "\n"
      "    @classmethod\n"
      "    def make(cls, *, k=None):\n"
      "        return cls()\n"
      "\n"
      "    @staticmethod\n"
      "    def util(x, y):\n"
      "        return x + y\n"
      "\n"
      "    def star(*args):\n"
      "        pass\n";
  ParsedFile file = Parse(LanguageNamed("python"), text);
  EXPECT_EQ(Describe(Named(file, "C").facts), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Describe(Named(file, "C.m").facts), "(x) recv=self returns=no gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "C.make").facts), "(k?) recv=cls returns=yes gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "C.util").facts), "(x, y) returns=yes gen=no raises=no");
  // `pass` alone is a stub: nothing is known of what it does.
  EXPECT_EQ(Describe(Named(file, "C.star").facts), "(*args) returns=? gen=? raises=?");
}

TEST(PythonFacts, ConstructorAndSetterReturnNothing) {
  const std::string text =
      "class Point:\n"
      "    def __init__(self, x, y=0) -> None:\n"
      "        if x < 0:\n"
      "            raise ValueError('negative')\n"
      "        self.x = x\n"
      "\n"
      "    @x.setter\n"
      "    def x(self, value):\n"
      "        self._x = value\n"
      "        return self\n";
  ParsedFile file = Parse(LanguageNamed("python"), text);
  EXPECT_EQ(Describe(Named(file, "Point.__init__").facts),
            "(x, y?) recv=self returns=no gen=no raises=yes raised=ValueError ctor type=None");
  EXPECT_EQ(Describe(Named(file, "Point.x").facts), "(value) recv=self returns=no gen=no raises=no");
}

TEST(PythonFacts, NestedRoutinesDoNotCount) {
  const std::string text =
      "def outer(items):\n"
      "    def key(item):\n"
      "        return item.name\n"
      "    class Local:\n"
      "        def run(self):\n"
      "            yield 1\n"
      "            raise KeyError('x')\n"
      "    sort = lambda xs: (yield xs)\n"
      "    items.sort(key=key)\n"
      "    return None\n";
  ParsedFile file = Parse(LanguageNamed("python"), text);
  EXPECT_EQ(Describe(Named(file, "outer").facts), "(items) returns=no gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "outer.key").facts), "(item) returns=yes gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "outer.Local.run").facts),
            "() recv=self returns=? gen=yes raises=yes raised=KeyError");
}

TEST(PythonFacts, DeclaredReturnTypes) {
  const std::string text =
      "def a() -> None:\n    log()\n"
      "def b() -> 'None':\n    log()\n"
      "def c() -> typing.NoReturn:\n    sys.exit(1)\n"
      "def d() -> Never:\n    sys.exit(1)\n"
      "def e() -> Optional[int]:\n    log()\n"
      "def f():\n    log()\n";
  ParsedFile file = Parse(LanguageNamed("python"), text);
  EXPECT_EQ(Describe(Named(file, "a").facts), "() returns=no gen=no raises=no type=None");
  EXPECT_EQ(Describe(Named(file, "b").facts), "() returns=no gen=no raises=no type='None'");
  EXPECT_EQ(Describe(Named(file, "c").facts), "() returns=no gen=no raises=no type=typing.NoReturn");
  EXPECT_EQ(Describe(Named(file, "d").facts), "() returns=no gen=no raises=no type=Never");
  EXPECT_EQ(Describe(Named(file, "e").facts), "() returns=yes gen=no raises=no type=Optional[int]");
  EXPECT_EQ(Describe(Named(file, "f").facts), "() returns=no gen=no raises=no");
}

TEST(PythonFacts, RaisedNames) {
  const std::string text =
      "def check(x):\n"
      "    try:\n"
      "        x()\n"
      "    except OSError as exc:\n"
      "        raise errors.Bad(str(exc)) from exc\n"
      "    except KeyError:\n"
      "        raise\n"
      "    except Exception as exc:\n"
      "        raise exc\n"
      "    if x:\n"
      "        raise ValueError\n"
      "    raise errors.Bad('again')\n";
  EXPECT_EQ(FactsOf(text, "check"), "(x) returns=no gen=no raises=yes raised=errors.Bad raised=ValueError");
  EXPECT_EQ(FactsOf("def r():\n    raise\n", "r"), "() returns=no gen=no raises=yes");
}

TEST(PythonFacts, GeneratorsAndAsync) {
  const std::string text =
      "def gen(n):\n"
      "    yield from range(n)\n"
      "    return 'done'\n"
      "def typed_gen(n) -> Iterator[int]:\n"
      "    yield n\n"
      "async def fetch(url, *, timeout=10):\n"
      "    await get(url)\n"
      "async def fetch_value(url):\n"
      "    return await get(url)\n"
      "async def stream(url):\n"
      "    yield 1\n";
  ParsedFile file = Parse(LanguageNamed("python"), text);
  EXPECT_EQ(Describe(Named(file, "gen").facts), "(n) returns=? gen=yes raises=no");
  EXPECT_EQ(Describe(Named(file, "typed_gen").facts), "(n) returns=yes gen=yes raises=no type=Iterator[int]");
  EXPECT_EQ(Describe(Named(file, "fetch").facts), "(url, timeout?) returns=no gen=no raises=no async");
  EXPECT_EQ(Describe(Named(file, "fetch_value").facts), "(url) returns=yes gen=no raises=no async");
  EXPECT_EQ(Describe(Named(file, "stream").facts), "(url) returns=? gen=yes raises=no async");
}

TEST(PythonFacts, StubsAndAbstractMethodsKnowNothingUnseen) {
  const std::string text =
      "class Base(abc.ABC):\n"
      "    @abc.abstractmethod\n"
      "    def run(self, job):\n"
      "        \"\"\"Runs it.\"\"\"\n"
      "        log(job)\n"
      "\n"
      "    def size(self) -> int:\n"
      "        ...\n"
      "\n"
      "    def close(self):\n"
      "        \"\"\"Closes.\"\"\"\n"
      "        raise NotImplementedError('subclass')\n"
      "\n"
      "    @overload\n"
      "    def get(self, key: str) -> str: ...\n";
  ParsedFile file = Parse(LanguageNamed("python"), text);
  EXPECT_EQ(Describe(Named(file, "Base.run").facts), "(job) recv=self returns=? gen=? raises=?");
  EXPECT_EQ(Describe(Named(file, "Base.size").facts), "() recv=self returns=yes gen=? raises=? type=int");
  EXPECT_EQ(Describe(Named(file, "Base.close").facts),
            "() recv=self returns=? gen=? raises=yes raised=NotImplementedError");
  EXPECT_EQ(Describe(Named(file, "Base.get").facts), "(key) recv=self returns=yes gen=? raises=? type=str");
}

TEST(PythonFacts, TupleParametersAndTypeParameters) {
  const std::string text =
      "def first[T: int, *Ts, **P](pair, (a, (b, c)), *, strict=False) -> T:\r\n"
      "\treturn pair[0]\r\n";
  EXPECT_EQ(FactsOf(text, "first"), "(pair, {a,b,c}, strict?) tparam=T tparam=Ts tparam=P returns=yes gen=no raises=no type=T");
}

}  // namespace
}  // namespace scale::languages
