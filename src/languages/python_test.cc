// Golden tests for the Python worker (unit tests, no model): input + comments -> exact output.
#include <gtest/gtest.h>

#include "languages/language.h"
#include "languages/test_util.h"
#include "util/error.h"

namespace scale::languages {
namespace {

using testing::IdOf;
using testing::Names;
using testing::Patch;

ParsedFile Py(std::string text) { return Parse(Language::kPython, std::move(text)); }

const char* kNested =
    "class Foo:\n"
    "    x = 1\n"
    "\n"
    "    def __init__(self):\n"
    "        def bah():\n"
    "            def mad():\n"
    "                return 1\n"
    "            return mad()\n"
    "        self.v = bah()\n"
    "\n"
    "    async def run(self, n: int) -> int:\n"
    "        return n\n"
    "\n"
    "\n"
    "def top():\n"
    "    class Inner:\n"
    "        pass\n"
    "    return Inner\n";

TEST(Python, FindsNestedRoutinesWithQualifiedNamesAndKinds) {
  ParsedFile f = Py(kNested);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"class Foo", "method Foo.__init__", "function Foo.__init__.bah",
                                                "function Foo.__init__.bah.mad", "method Foo.run", "function top",
                                                "class top.Inner"}));
  const Routine& init = f.routines[1];
  EXPECT_EQ(init.parent, 0);
  EXPECT_EQ(init.depth, 1);
  EXPECT_EQ(init.children, std::vector<int>{2});
  EXPECT_EQ(init.start_line, 4);
  EXPECT_EQ(init.end_line, 9);
  EXPECT_EQ(init.signature, "def __init__(self):");
  EXPECT_EQ(f.routines[4].signature, "async def run(self, n: int) -> int:");
  EXPECT_EQ(f.routines[0].children, (std::vector<int>{1, 4}));
  EXPECT_FALSE(f.has_syntax_errors);
}

TEST(Python, InnermostFirstVisitsChildrenBeforeParents) {
  ParsedFile f = Py(kNested);
  // mad, bah, __init__, run, Foo, Inner, top
  EXPECT_EQ(InnermostFirst(f), (std::vector<int>{3, 2, 1, 4, 0, 6, 5}));
}

TEST(Python, NestedDocstringsGoIntoEachBodyAtItsIndentation) {
  ParsedFile f = Py(kNested);
  std::string out = Patch(f, {{"Foo", "A foo."}, {"Foo.__init__.bah.mad", "Mad."}, {"Foo.run", "Runs."},
                              {"top.Inner", "Inner one."}});
  EXPECT_EQ(out,
            "class Foo:\n"
            "    \"\"\"A foo.\"\"\"\n"
            "    x = 1\n"
            "\n"
            "    def __init__(self):\n"
            "        def bah():\n"
            "            def mad():\n"
            "                \"\"\"Mad.\"\"\"\n"
            "                return 1\n"
            "            return mad()\n"
            "        self.v = bah()\n"
            "\n"
            "    async def run(self, n: int) -> int:\n"
            "        \"\"\"Runs.\"\"\"\n"
            "        return n\n"
            "\n"
            "\n"
            "def top():\n"
            "    class Inner:\n"
            "        \"\"\"Inner one.\"\"\"\n"
            "        pass\n"
            "    return Inner\n");
}

TEST(Python, DecoratorsBelongToTheRoutineAndTheDocstringGoesInTheBody) {
  ParsedFile f = Py("@app.route('/x',\n           methods=['GET'])\n@cache\ndef handler(req):  # entry\n    # first\n    return req\n");
  ASSERT_EQ(f.routines.size(), 1u);
  EXPECT_EQ(f.routines[0].start_byte, 0u);
  EXPECT_EQ(f.routines[0].start_line, 1);
  EXPECT_EQ(f.routines[0].signature, "@app.route('/x',\n           methods=['GET'])\n@cache\ndef handler(req):");
  EXPECT_EQ(Patch(f, {{"handler", "Handles it."}}),
            "@app.route('/x',\n           methods=['GET'])\n@cache\ndef handler(req):  # entry\n"
            "    \"\"\"Handles it.\"\"\"\n    # first\n    return req\n");
}

TEST(Python, OneLineDefWithoutDocstringIsSkippedWithAReasonAndLeftAlone) {
  std::string src = "def f(): return 1\nclass A: pass\ndef g(): 'doc'; return 2\n";
  ParsedFile f = Py(src);
  ASSERT_EQ(f.routines.size(), 3u);
  EXPECT_FALSE(Patchable(f.routines[0]));
  EXPECT_NE(f.routines[0].skip_reason.find("one-line"), std::string::npos);
  EXPECT_FALSE(Patchable(f.routines[1]));
  // ApplyComments leaves unpatchable routines as they are, and Verify says so.
  std::string out = ApplyComments(f, {{0, "Nope."}, {1, "Nope."}});
  EXPECT_EQ(out, src);
  EXPECT_FALSE(Verify(f, out, {0}).ok);
  // An existing docstring on the same line is still replaced in place: no code moves.
  ASSERT_TRUE(Patchable(f.routines[2]));
  EXPECT_EQ(Patch(f, {{"g", "Doc of g."}}), "def f(): return 1\nclass A: pass\ndef g(): \"\"\"Doc of g.\"\"\"; return 2\n");
}

TEST(Python, TabIndentedBodiesGetTabs) {
  ParsedFile f = Py("class T:\n\tdef m(self):\n\t\treturn 1\n");
  EXPECT_EQ(f.indent_unit, "\t");
  EXPECT_EQ(Patch(f, {{"T", "Tabbed.\n\nMore."}, {"T.m", "Method."}}),
            "class T:\n\t\"\"\"Tabbed.\n\n\tMore.\n\t\"\"\"\n\tdef m(self):\n\t\t\"\"\"Method.\"\"\"\n\t\treturn 1\n");
}

TEST(Python, TwoSpaceIndentsAreKept) {
  ParsedFile f = Py("def a():\n  def b():\n    return 1\n  return b\n");
  EXPECT_EQ(f.indent_unit, "  ");
  EXPECT_EQ(Patch(f, {{"a", "Outer."}, {"a.b", "Inner,\nsecond line."}}),
            "def a():\n  \"\"\"Outer.\"\"\"\n  def b():\n    \"\"\"Inner,\n    second line.\n    \"\"\"\n    return 1\n  return b\n");
}

TEST(Python, CrlfFilesGetCrlfDocstrings) {
  ParsedFile f = Py("def f():\r\n    return 1\r\n");
  EXPECT_EQ(f.eol, "\r\n");
  EXPECT_EQ(Patch(f, {{"f", "One.\nTwo."}}), "def f():\r\n    \"\"\"One.\r\n    Two.\r\n    \"\"\"\r\n    return 1\r\n");
}

TEST(Python, BomEncodingLineAndModuleDocstringArePreserved) {
  std::string src =
      "\xEF\xBB\xBF# -*- coding: utf-8 -*-\n\"\"\"Module doc.\"\"\"\n\ndef f():   \n    x = 1  \n\n    return x\n";
  ParsedFile f = Py(src);
  ASSERT_EQ(f.routines.size(), 1u);
  EXPECT_EQ(Patch(f, {{"f", "Gives x."}}),
            "\xEF\xBB\xBF# -*- coding: utf-8 -*-\n\"\"\"Module doc.\"\"\"\n\ndef f():   \n    \"\"\"Gives x.\"\"\"\n    x = 1  "
            "\n\n    return x\n");
}

TEST(Python, ExistingDocstringsOfEveryQuoteStyleAreReadAndReplacedExactly) {
  struct Case {
    const char* literal;
    const char* text;
  } cases[] = {
      {"'''triple single'''", "triple single"},
      {"\"\"\"triple double\"\"\"", "triple double"},
      {"'single'", "single"},
      {"\"double\"", "double"},
      {"r'''raw \\d+'''", "raw \\d+"},
      {"R\"raw\"", "raw"},
      {"u'unicode'", "unicode"},
      {"b'bytes'", "bytes"},
      {"f\"fmt {x}\"", "fmt {x}"},
      {"rb'''raw bytes'''", "raw bytes"},
      {"\"\"\"escaped \\\"\\\"\\\" and \\\\ here\"\"\"", "escaped \"\"\" and \\ here"},
      {"'con' \"cat\"", "concat"},
      {"\"\"\"\n    Indented\n      more\n    \"\"\"", "Indented\n  more"},
  };
  for (const Case& c : cases) {
    std::string src = std::string("def f(x):\n    ") + c.literal + "\n    return x  # keep\n";
    ParsedFile f = Py(src);
    ASSERT_EQ(f.routines.size(), 1u) << c.literal;
    const Routine& r = f.routines[0];
    EXPECT_TRUE(r.has_comment) << c.literal;
    EXPECT_EQ(r.existing_comment, c.text) << c.literal;
    EXPECT_EQ(src.substr(r.comment_begin, r.comment_end - r.comment_begin), c.literal);
    EXPECT_EQ(Patch(f, {{"f", "New."}}), "def f(x):\n    \"\"\"New.\"\"\"\n    return x  # keep\n") << c.literal;
  }
}

TEST(Python, EscapesBackslashesAndTripleQuotesAndWrapsLongLines) {
  ParsedFile f = Py("def f():\n    pass\n");
  EXPECT_EQ(RenderComment(f, 0, "Use \"\"\"x\"\"\" and C:\\dir, say \"hi\""),
            "    \"\"\"Use \\\"\\\"\\\"x\\\"\\\"\\\" and C:\\\\dir, say \"hi\\\"\"\"\"\n");
  // 80 columns less the indentation and the quotes on either side: 70 for the prose.
  std::string long_text =
      "This sentence is long enough that it has to be wrapped at a word boundary because it goes past the "
      "eighty column limit.";
  EXPECT_EQ(RenderComment(f, 0, long_text),
            "    \"\"\"This sentence is long enough that it has to be wrapped at a word\n"
            "    boundary because it goes past the eighty column limit.\n"
            "    \"\"\"\n");
  // What was written reads back as the text.
  std::string out = ApplyComments(f, {{0, "Odd \"\"\"\" quotes \\ and a trailing \""}});
  EXPECT_EQ(Py(out).routines[0].existing_comment, "Odd \"\"\"\" quotes \\ and a trailing \"");
}

TEST(Python, CommentsBetweenHeaderAndBodyStayBelowTheNewDocstring) {
  ParsedFile f = Py("def f(a,\n      b):\n\n    # note\n    return a\n");
  EXPECT_EQ(Patch(f, {{"f", "Sums."}}), "def f(a,\n      b):\n    \"\"\"Sums.\"\"\"\n\n    # note\n    return a\n");
}

TEST(Python, VerifyCatchesAChangedCodeTokenAndADoubledDocstring) {
  ParsedFile f = Py("def f():\n    return 1\n");
  std::string good = ApplyComments(f, {{0, "Doc."}});
  EXPECT_TRUE(Verify(f, good, {0}).ok);
  Verification changed = Verify(f, "def f():\n    \"\"\"Doc.\"\"\"\n    return 2\n", {0});
  EXPECT_FALSE(changed.ok);
  EXPECT_NE(changed.problem.find("code changed"), std::string::npos) << changed.problem;
  Verification doubled = Verify(f, "def f():\n    \"\"\"Doc.\"\"\"\n    \"\"\"Doc.\"\"\"\n    return 1\n", {0});
  EXPECT_FALSE(doubled.ok);
  Verification missing = Verify(f, "def f():\n    return 1\n", {0});
  EXPECT_FALSE(missing.ok);
  EXPECT_NE(missing.problem.find("no comment"), std::string::npos) << missing.problem;
  // Re-indenting the body changes the block structure even though the tokens read the same.
  ParsedFile two = Py("if x:\n    a = 1\nb = 2\ndef g():\n    pass\n");
  EXPECT_FALSE(Verify(two, "if x:\n    a = 1\n    b = 2\ndef g():\n    \"\"\"D.\"\"\"\n    pass\n", {0}).ok);
}

TEST(Python, RoutineViewReducesChildrenToSignatureAndCommentAndDropsGrandchildren) {
  ParsedFile f = Py(kNested);
  int foo = IdOf(f, "Foo");
  int init = IdOf(f, "Foo.__init__");
  EXPECT_EQ(RoutineView(f, foo, {{init, "Sets v."}}),
            "class Foo:\n"
            "    x = 1\n"
            "\n"
            "    def __init__(self):\n"
            "        \"\"\"Sets v.\"\"\"\n"
            "\n"
            "    async def run(self, n: int) -> int:\n"
            "        ...\n");
  // A method: its nested function becomes a stub, the grandchild mad() disappears; the view is
  // dedented to the method's own indentation.
  EXPECT_EQ(RoutineView(f, init, {{IdOf(f, "Foo.__init__.bah"), "Makes one."}}),
            "def __init__(self):\n"
            "    def bah():\n"
            "        \"\"\"Makes one.\"\"\"\n"
            "    self.v = bah()");
  EXPECT_EQ(RoutineView(f, IdOf(f, "Foo.__init__.bah.mad"), {}), "def mad():\n    return 1");
}

TEST(Python, SyntaxErrorsMarkOnlyTheRoutinesThatOverlapThem) {
  ParsedFile f = Py("def ok():\n    return 1\n\ndef broken(:\n    return (\n\ndef later():\n    return 3\n");
  EXPECT_TRUE(f.has_syntax_errors);
  ASSERT_FALSE(f.error_lines.empty());
  bool any_error = false, clean_first = false;
  for (const Routine& r : f.routines) {
    if (r.name == "ok") clean_first = !r.in_error_region;
    any_error = any_error || r.in_error_region;
  }
  EXPECT_TRUE(clean_first);
  EXPECT_TRUE(any_error);
  VerifiedPatch vp = ApplyAndVerify(f, {{IdOf(f, "ok"), "Fine."}});
  EXPECT_EQ(vp.applied, std::vector<int>{IdOf(f, "ok")});
  EXPECT_EQ(vp.text.substr(0, 32), "def ok():\n    \"\"\"Fine.\"\"\"\n    re");
}

TEST(Python, TooLargeInputIsAnInputError) {
  ParseOptions options;
  options.max_bytes = 10;
  try {
    Parse(Language::kPython, "def f():\n    return 1\n", options);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitInput);
  }
}

}  // namespace
}  // namespace scale::languages
