// Golden cases for every consistency rule, per language: real code parsed by the language workers
// (so the facts are the product's), comment texts as models and people write them, and the exact
// repair output.
#include "consistency/consistency.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace scale::consistency {
namespace {

using languages::LanguageNamed;
using languages::ParsedFile;
using languages::Routine;

struct Case {
  ParsedFile file;
  const Routine& Named(std::string_view name) const {
    for (const auto& r : file.routines) {
      if (r.name == name) return r;
    }
    throw std::invalid_argument("no routine " + std::string(name));
  }
};

Case Parse(std::string_view language, std::string code) { return {languages::Parse(LanguageNamed(language), std::move(code))}; }

// "rule-a rule-b" for the findings, in order.
std::string RuleIds(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) out += (out.empty() ? "" : " ") + f.rule;
  return out;
}

std::string Found(std::string_view language, const Case& c, std::string_view routine, std::string_view text) {
  return RuleIds(Check(LanguageNamed(language), c.Named(routine), text));
}

Repair Fix(std::string_view language, const Case& c, std::string_view routine, std::string_view text) {
  return RepairComment(LanguageNamed(language), c.Named(routine), text);
}

TEST(Consistency, EveryRuleHasAnIdAndASummary) {
  ASSERT_EQ(Rules().size(), 12u);
  for (const auto& r : Rules()) {
    EXPECT_FALSE(r.id.empty());
    EXPECT_FALSE(r.summary.empty()) << r.id;
  }
  EXPECT_EQ(ParsePolicy("strict"), Policy::kStrict);
  EXPECT_EQ(ParsePolicy("retry"), Policy::kRetry);
  EXPECT_EQ(ParsePolicy("nope"), std::nullopt);
}

// --- Python --------------------------------------------------------------------------------------

const char* kPython =
    "class Store:\n"
    "    def put(self, key, value=None, *args, **kwargs):\n"
    "        self.items[key] = value\n"
    "\n"
    "    @classmethod\n"
    "    def load(cls, path):\n"
    "        return cls()\n"
    "\n"
    "def lines(path):\n"
    "    with open(path) as f:\n"
    "        for line in f:\n"
    "            yield line\n"
    "\n"
    "def check(x):\n"
    "    if x < 0:\n"
    "        raise ValueError('negative')\n"
    "    return x\n"
    "\n"
    "def outer(a):\n"
    "    def inner():\n"
    "        return 1\n"
    "    print(a)\n";

TEST(ConsistencyPython, AHallucinatedParameterIsDroppedAndTheSectionStays) {
  Case c = Parse("python", kPython);
  std::string text =
      "Store a value.\n\nArgs:\n    key: The key.\n    timeout: Seconds to wait.\n    value: The value.\n"
      "    *args: Extra.\n    **kwargs: More.";
  EXPECT_EQ(Found("python", c, "put", text), "param-unknown");
  Repair r = Fix("python", c, "put", text);
  EXPECT_EQ(r.text, "Store a value.\n\nArgs:\n    key: The key.\n    value: The value.\n    *args: Extra.\n    **kwargs: More.");
  EXPECT_EQ(RuleIds(r.fixed), "param-unknown");
  EXPECT_TRUE(r.remaining.empty());
}

TEST(ConsistencyPython, SelfAndClsAreNeverDocumented) {
  Case c = Parse("python", kPython);
  std::string text = "Load a store.\n\nArgs:\n    cls: The class.\n    path: Where it is.\n\nReturns:\n    A store.";
  EXPECT_EQ(Found("python", c, "load", text), "param-unknown");
  EXPECT_EQ(Fix("python", c, "load", text).text, "Load a store.\n\nArgs:\n    path: Where it is.\n\nReturns:\n    A store.");
}

TEST(ConsistencyPython, MissingParametersAreAddedInSignatureOrderWithStars) {
  Case c = Parse("python", kPython);
  std::string text = "Store a value.\n\nArgs:\n    key: The key.\n    **kwargs: More.";
  EXPECT_EQ(Found("python", c, "put", text), "param-missing param-missing");
  Repair r = Fix("python", c, "put", text);
  EXPECT_EQ(r.text,
            "Store a value.\n\nArgs:\n    key: The key.\n    value: Not described.\n    *args: Not described.\n"
            "    **kwargs: More.");
  EXPECT_TRUE(r.remaining.empty());
}

TEST(ConsistencyPython, AProcedureLosesItsReturnsSection) {
  Case c = Parse("python", kPython);
  std::string text = "Store a value.\n\nArgs:\n    key: The key.\n    value: The value.\n    *args: Extra.\n"
                     "    **kwargs: More.\n\nReturns:\n    The stored value.";
  EXPECT_EQ(Found("python", c, "put", text), "returns-void");
  EXPECT_EQ(Fix("python", c, "put", text).text,
            "Store a value.\n\nArgs:\n    key: The key.\n    value: The value.\n    *args: Extra.\n    **kwargs: More.");
  // "Returns: None." says nothing is returned: consistent.
  EXPECT_EQ(Found("python", c, "put", "Store a value.\n\nReturns:\n    None."), "");
}

TEST(ConsistencyPython, ANestedFunctionsReturnIsNotTheOuterOnes) {
  Case c = Parse("python", kPython);
  EXPECT_EQ(Found("python", c, "outer", "Print a.\n\nArgs:\n    a: What to print.\n\nReturns:\n    One."), "returns-void");
}

TEST(ConsistencyPython, GeneratorsYieldAndOthersDoNot) {
  Case c = Parse("python", kPython);
  EXPECT_EQ(Found("python", c, "lines", "Read lines.\n\nArgs:\n    path: The file."), "yields-missing");
  EXPECT_EQ(Found("python", c, "lines", "Read lines.\n\nArgs:\n    path: The file.\n\nYields:\n    Each line."), "");
  std::string wrong = "Check x.\n\nArgs:\n    x: A number.\n\nReturns:\n    x.\n\nYields:\n    Nothing.\n\nRaises:\n    ValueError: If negative.";
  EXPECT_EQ(Found("python", c, "check", wrong), "yields-not-generator");
  EXPECT_EQ(Fix("python", c, "check", wrong).text,
            "Check x.\n\nArgs:\n    x: A number.\n\nReturns:\n    x.\n\nRaises:\n    ValueError: If negative.");
}

TEST(ConsistencyPython, RaisesMustBeRaisedAndListed) {
  Case c = Parse("python", kPython);
  EXPECT_EQ(Found("python", c, "load", "Load.\n\nArgs:\n    path: P.\n\nReturns:\n    S.\n\nRaises:\n    IOError: If missing."),
            "raises-nothing-raised");
  EXPECT_EQ(Fix("python", c, "load", "Load.\n\nArgs:\n    path: P.\n\nReturns:\n    S.\n\nRaises:\n    IOError: If missing.").text,
            "Load.\n\nArgs:\n    path: P.\n\nReturns:\n    S.");
  EXPECT_EQ(Found("python", c, "check", "Check x.\n\nArgs:\n    x: A number.\n\nReturns:\n    x.\n\nRaises:\n    TypeError: Never."),
            "raises-missing");
  // A summary-only docstring is not held to listing everything.
  EXPECT_EQ(Found("python", c, "check", "Return x if it is not negative."), "");
}

TEST(ConsistencyPython, NumpyAndSphinxAreCheckedToo) {
  Case c = Parse("python", kPython);
  EXPECT_EQ(Found("python", c, "check", "Check x.\n\nParameters\n----------\ny : int\n    A number.\n\nReturns\n-------\nint\n    x."),
            "param-unknown");  // no real parameter documented: "missing" does not apply
  Repair r = Fix("python", c, "check", "Check x.\n\nParameters\n----------\ny : int\n    A number.\n\nReturns\n-------\nint\n    x.");
  EXPECT_EQ(r.text, "Check x.\n\nReturns\n-------\nint\n    x.");
  EXPECT_EQ(Found("python", c, "check", "Check x.\n\n:param x: A number.\n:param y: Another.\n:returns: x."), "param-unknown");
  EXPECT_EQ(Fix("python", c, "check", "Check x.\n\n:param x: A number.\n:param y: Another.\n:returns: x.").text,
            "Check x.\n\n:param x: A number.\n:returns: x.");
}

TEST(ConsistencyPython, ParametersOutOfOrderAreReordered) {
  Case c = Parse("python", kPython);
  std::string text = "Store.\n\nArgs:\n    value: V.\n    key: K.\n    *args: A.\n    **kwargs: W.";
  EXPECT_EQ(Found("python", c, "put", text), "param-order");
  EXPECT_EQ(Fix("python", c, "put", text).text, "Store.\n\nArgs:\n    key: K.\n    value: V.\n    *args: A.\n    **kwargs: W.");
}

// --- JavaScript / TypeScript ---------------------------------------------------------------------

TEST(ConsistencyJavaScript, DestructuredParametersAreDocumentedByMembers) {
  Case c = Parse("javascript",
                 "function connect({ host, port = 80 }, ...rest) {\n  return open(host, port, rest);\n}\n"
                 "function log(msg) {\n  console.log(msg);\n}\n");
  EXPECT_EQ(Found("javascript", c, "connect",
                  "Connects.\n@param {Object} options - Where to.\n@param {string} options.host - Host.\n"
                  "@param {number} [options.port=80] - Port.\n@param {...*} rest - More.\n@returns {Socket} The socket."),
            "");
  EXPECT_EQ(Found("javascript", c, "connect",
                  "Connects.\n@param {Object} options - Where to.\n@param {string} options.user - Who.\n@param rest - More.\n"
                  "@returns {Socket} The socket."),
            "");  // members of an options object are not checked against the destructuring
  std::string text = "Logs.\n@param {string} msg - The message.\n@param {number} level - The level.\n@returns {void}";
  EXPECT_EQ(Found("javascript", c, "log", text), "param-unknown");
  EXPECT_EQ(Fix("javascript", c, "log", text).text, "Logs.\n@param {string} msg - The message.\n@returns {void}");
  EXPECT_EQ(Found("javascript", c, "log", "Logs.\n@param {string} msg - The message.\n@returns {string} The line."), "returns-void");
  EXPECT_EQ(Fix("javascript", c, "log", "Logs.\n@param {string} msg - The message.\n@returns {string} The line.").text,
            "Logs.\n@param {string} msg - The message.");
}

TEST(ConsistencyTypeScript, OverloadsDocumentEveryParameterOfAnySignature) {
  Case c = Parse("typescript",
                 "function pick(x: string): string;\nfunction pick(x: number, y: number): number;\n"
                 "function pick(x: any, y?: any): any {\n  return y ?? x;\n}\n"
                 "function throwIt(): never {\n  throw new Error('x');\n}\n");
  EXPECT_EQ(Found("typescript", c, "pick", "Picks.\n@param x - A value.\n@param y - Another.\n@returns The pick."), "");
  EXPECT_EQ(Found("typescript", c, "pick", "Picks.\n@param x - A value.\n@param z - Another.\n@returns The pick."),
            "param-unknown param-missing");
  Repair r = Fix("typescript", c, "pick", "Picks.\n@param x - A value.\n@param z - Another.\n@returns The pick.");
  EXPECT_EQ(r.text, "Picks.\n@param x - A value.\n@param y - Not described.\n@returns The pick.");
}

// --- C and C++ -----------------------------------------------------------------------------------

TEST(ConsistencyC, VoidParametersKAndRAndVarargs) {
  Case c = Parse("c",
                 "int count(void) { return 3; }\n"
                 "int add(a, b)\n  int a;\n  int b;\n{\n  return a + b;\n}\n"
                 "void logf(const char *fmt, ...) { (void)fmt; }\n");
  EXPECT_EQ(Found("c", c, "count", "Counts.\n@param n The number.\n@return Three."), "param-unknown");
  EXPECT_EQ(Fix("c", c, "count", "Counts.\n@param n The number.\n@return Three.").text, "Counts.\n@return Three.");
  EXPECT_EQ(Found("c", c, "add", "Adds.\n@param a First.\n@param b Second.\n@return The sum."), "");
  EXPECT_EQ(Found("c", c, "add", "Adds.\n@param a First.\n@param c Second.\n@return The sum."), "param-unknown param-missing");
  EXPECT_EQ(Found("c", c, "logf", "Logs.\n@param fmt The format.\n@param ... The values.\n@return Nothing useful."), "");
  EXPECT_EQ(Fix("c", c, "logf", "Logs.\n@param fmt The format.\n@param ... The values.\n@return Nothing useful.").text,
            "Logs.\n@param fmt The format.\n@param ... The values.\n@return Nothing useful.");  // says "nothing"
  EXPECT_EQ(Found("c", c, "logf", "Logs.\n\\param fmt The format.\n\\throws Error never."), "param-missing raises-nothing-raised");
}

TEST(ConsistencyCpp, DoxygenDirectionsAndThrows) {
  Case c = Parse("cpp",
                 "class Buf {\n public:\n  Buf(int n) : n_(n) {}\n  int at(int i) const {\n"
                 "    if (i >= n_) throw std::out_of_range(\"at\");\n    return i;\n  }\n private:\n  int n_;\n};\n");
  EXPECT_EQ(Found("cpp", c, "at", "Returns i.\n@param[in] i The index.\n@return i.\n@throws std::out_of_range If past the end."), "");
}

// --- Java, C#, PHP -------------------------------------------------------------------------------

TEST(ConsistencyJava, ThrowsClauseCountsAsRaised) {
  Case c = Parse("java",
                 "class A {\n  String read(String path) throws IOException {\n    return Files.readString(Path.of(path));\n  }\n"
                 "  void set(int x) {\n    this.x = x;\n  }\n}\n");
  EXPECT_EQ(Found("java", c, "read", "Reads.\n@param path The file.\n@return The text.\n@throws IOException If unreadable."), "");
  EXPECT_EQ(Found("java", c, "set", "Sets.\n@param x The value.\n@return The old value.\n@throws IllegalStateException If frozen."),
            "returns-void raises-nothing-raised");
  EXPECT_EQ(Fix("java", c, "set", "Sets.\n@param x The value.\n@return The old value.\n@throws IllegalStateException If frozen.").text,
            "Sets.\n@param x The value.");
}

TEST(ConsistencyCSharp, XmlParamTags) {
  Case c = Parse("csharp", "class A {\n  public int Twice(int x, params int[] more) {\n    return 2 * x;\n  }\n}\n");
  std::string text = "<summary>Doubles.</summary>\n<param name=\"x\">A number.</param>\n<param name=\"y\">Other.</param>\n"
                     "<param name=\"more\">Ignored.</param>\n<returns>Twice x.</returns>";
  EXPECT_EQ(Found("csharp", c, "Twice", text), "param-unknown");
  EXPECT_EQ(Fix("csharp", c, "Twice", text).text,
            "<summary>Doubles.</summary>\n<param name=\"x\">A number.</param>\n<param name=\"more\">Ignored.</param>\n"
            "<returns>Twice x.</returns>");
}

TEST(ConsistencyPhp, DollarNamesAndAddedEntriesKeepTheSigil) {
  Case c = Parse("php", "<?php\nfunction page(array $rows, int $page, int $size = 10): array {\n  return [];\n}\n");
  std::string text = "Returns one page.\n@param array $rows All rows.\n@param int $size Page size.\n@return array The page.";
  EXPECT_EQ(Found("php", c, "page", text), "param-missing");
  EXPECT_EQ(Fix("php", c, "page", text).text,
            "Returns one page.\n@param array $rows All rows.\n@param mixed $page Not described.\n@param int $size Page size.\n"
            "@return array The page.");
}

// --- Go, Rust ------------------------------------------------------------------------------------

TEST(ConsistencyGo, DocsStartWithTheName) {
  Case c = Parse("go", "package p\n\nfunc Sum(xs ...int) int {\n\treturn 0\n}\n");
  EXPECT_EQ(Found("go", c, "Sum", "Sum adds the numbers."), "");
  EXPECT_EQ(Found("go", c, "Sum", "Adds the numbers."), "name-first");
  EXPECT_EQ(Fix("go", c, "Sum", "Adds the numbers.").text, "Sum adds the numbers.");
}

TEST(ConsistencyRust, ErrorsOnlyWithAResultAndArgumentsMustExist) {
  Case c = Parse("rust",
                 "fn parse(s: &str) -> Result<u32, E> {\n    s.parse().map_err(E::from)\n}\n"
                 "fn clamp(i: usize, len: usize) -> usize {\n    i.min(len)\n}\n");
  EXPECT_EQ(Found("rust", c, "parse", "Parses.\n\n# Errors\n\nReturns `E` when it is not a number."), "");
  std::string text = "Clamps.\n\n# Arguments\n\n* `i` - The index.\n* `n` - The length.\n\n# Errors\n\nNever.";
  EXPECT_EQ(Found("rust", c, "clamp", text), "param-unknown param-missing errors-without-result");
  EXPECT_EQ(Fix("rust", c, "clamp", text).text, "Clamps.\n\n# Arguments\n\n* `i` - The index.\n* `len` - Not described.");
}

// --- Ruby, Lua, Bash -----------------------------------------------------------------------------

TEST(ConsistencyRuby, YardParamsAndRaise) {
  Case c = Parse("ruby", "class A\n  def fetch(url, retries: 3, &block)\n    raise ArgumentError, 'no url' if url.nil?\n    get(url)\n  end\nend\n");
  EXPECT_EQ(Found("ruby", c, "fetch",
                  "Fetches.\n@param url [String] The address.\n@param retries [Integer] Attempts.\n@param block [Proc] Called.\n"
                  "@raise [ArgumentError] If url is nil."),
            "");
  EXPECT_EQ(Found("ruby", c, "fetch", "Fetches.\n@param uri [String] The address.\n@raise [ArgumentError] If nil."),
            "param-unknown");
}

TEST(ConsistencyLua, ImplicitSelfAndVarargs) {
  Case c = Parse("lua", "local M = {}\nfunction M:send(msg, ...)\n  self.out:write(msg)\nend\nreturn M\n");
  EXPECT_EQ(Found("lua", c, "send", "Sends.\n@param msg string the text\n@param ... any more"), "");
  EXPECT_EQ(Found("lua", c, "send", "Sends.\n@param self table the object\n@param msg string the text\n@param ... any more\n@return boolean ok"),
            "param-unknown returns-void");
}

TEST(ConsistencyBash, PositionalArguments) {
  Case c = Parse("bash", "greet() {\n  echo \"hello $1 from $2\"\n}\n");
  EXPECT_EQ(Found("bash", c, "greet", "Greets.\n\nArguments:\n  $1: who\n  $2: from where"), "");
  EXPECT_EQ(Found("bash", c, "greet", "Greets.\n\nArguments:\n  $1: who\n  $3: extra"), "param-unknown param-missing");
  EXPECT_EQ(Fix("bash", c, "greet", "Greets.\n\nArguments:\n  $1: who\n  $3: extra").text,
            "Greets.\n\nArguments:\n  $1: who\n  $2: Not described.");
}

TEST(Consistency, RetryNoteNamesEveryProblem) {
  std::string note = RetryNote({{"param-unknown", "documents 'y', which is not a parameter", "y"},
                                {"returns-void", "documents a return value, but it returns nothing", ""}});
  EXPECT_NE(note.find("- it documents 'y', which is not a parameter [param-unknown]"), std::string::npos);
  EXPECT_NE(note.find("[returns-void]"), std::string::npos);
}

}  // namespace
}  // namespace scale::consistency
