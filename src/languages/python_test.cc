// Golden tests for the Python worker (unit tests, no model): input + comments -> exact output.
#include <gtest/gtest.h>

#include <algorithm>

#include "languages/language.h"
#include "languages/test_util.h"
#include "util/error.h"

namespace scale::languages {
namespace {

using testing::IdOf;
using testing::Names;
using testing::Patch;

ParsedFile Py(std::string text) { return Parse(LanguageNamed("python"), std::move(text)); }

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
      {"U'upper unicode'", "upper unicode"},
      {"\"\"\"escaped \\\"\\\"\\\" and \\\\ here\"\"\"", "escaped \"\"\" and \\ here"},
      {"'con' \"cat\"", "concat"},
      {"('paren' 'thesized')", "parenthesized"},
      {"\"\"\"\n    Indented\n      more\n    \"\"\"", "Indented\n  more"},
  };
  for (const Case& c : cases) {
    std::string src = std::string("def f(x):\n    ") + c.literal + "\n    return x  # keep\n";
    ParsedFile f = Py(src);
    ASSERT_EQ(f.routines.size(), 1u) << c.literal;
    const Routine& r = f.routines[0];
    EXPECT_TRUE(r.has_comment) << c.literal;
    EXPECT_EQ(r.existing_comment, c.text) << c.literal;
    std::string literal = c.literal;
    if (literal[0] == '(') literal = literal.substr(1, literal.size() - 2);  // the parentheses stay
    EXPECT_EQ(src.substr(r.comment_begin, r.comment_end - r.comment_begin), literal);
    std::string expected = std::string("def f(x):\n    ") + (c.literal[0] == '(' ? "(\"\"\"New.\"\"\")" : "\"\"\"New.\"\"\"") +
                           "\n    return x  # keep\n";
    EXPECT_EQ(Patch(f, {{"f", "New."}}), expected) << c.literal;
  }
}

// Issue 11 item 3: only a str constant is a docstring (CPython's ast.get_docstring). f-strings run
// code, bytes are not str: deleting them would change the program, so they are code, to routine
// finding and to the verifier's token stream alike.
TEST(Python, FStringsBytesAndMixedConcatenationsAreCodeNotDocstrings) {
  const char* literals[] = {"f\"{print('x')}\"", "F'fmt {x}'", "b'bytes'", "rb'''raw bytes'''", "Rb\"x\"", "BR'x'",
                            "fr'{x}'", "'plain' f\"{x}\"", "('plain' b'')"};
  for (const char* literal : literals) {
    std::string src = std::string("def f():\n    ") + literal + "\n    return 1\n";
    ParsedFile f = Py(src);
    ASSERT_EQ(f.routines.size(), 1u) << literal;
    EXPECT_FALSE(f.routines[0].has_comment) << literal;
    EXPECT_EQ(f.routines[0].comment_count, 0) << literal;
    // The literal is code: deleting it is a code change, whatever the verifier is shown.
    EXPECT_NE(CodeTokens(LanguageNamed("python"), src), CodeTokens(LanguageNamed("python"), "def f():\n    return 1\n")) << literal;
    Verification deleted = Verify(f, "def f():\n    \"\"\"Doc.\"\"\"\n    return 1\n", {0});
    EXPECT_FALSE(deleted.ok) << literal;
    EXPECT_NE(deleted.problem.find("code changed"), std::string::npos) << literal << ": " << deleted.problem;
    // A docstring is inserted above it; the literal stays byte for byte.
    EXPECT_EQ(Patch(f, {{"f", "Doc."}}), std::string("def f():\n    \"\"\"Doc.\"\"\"\n    ") + literal + "\n    return 1\n")
        << literal;
  }
  // The reproduction through ApplyAndVerify: "updated" would have deleted the print.
  ParsedFile f = Py("def f():\n    f\"{print('x')}\"\n    return 1\n");
  VerifiedPatch vp = ApplyAndVerify(f, {{0, "Doc."}});
  EXPECT_EQ(vp.applied, std::vector<int>{0});
  EXPECT_EQ(vp.text, "def f():\n    \"\"\"Doc.\"\"\"\n    f\"{print('x')}\"\n    return 1\n");
  // A module that starts with an f-string has no docstring either.
  EXPECT_NE(CodeTokens(LanguageNamed("python"), "f'{x}'\nx = 1\n"), CodeTokens(LanguageNamed("python"), "x = 1\n"));
  EXPECT_EQ(CodeTokens(LanguageNamed("python"), "'doc'\nx = 1\n"), CodeTokens(LanguageNamed("python"), "x = 1\n"));
}

// Only the first statement can be a docstring: a second plain string is code to CPython's AST and
// to the verifier, though comment_count still counts it (so a doubled docstring reads as one).
TEST(Python, OnlyTheFirstStringIsADocstringTheNextIsCode) {
  std::string src = "def f():\n    \"\"\"Doc.\"\"\"\n    \"\"\"Second.\"\"\"\n    return 1\n";
  ParsedFile f = Py(src);
  ASSERT_EQ(f.routines.size(), 1u);
  EXPECT_EQ(f.routines[0].existing_comment, "Doc.");
  EXPECT_EQ(f.routines[0].comment_count, 2);
  std::vector<std::string> tokens = CodeTokens(LanguageNamed("python"), src);
  EXPECT_NE(std::find(tokens.begin(), tokens.end(), "string \"\"\"Second.\"\"\""), tokens.end());
  EXPECT_EQ(std::find(tokens.begin(), tokens.end(), "string \"\"\"Doc.\"\"\""), tokens.end());
  EXPECT_NE(CodeTokens(LanguageNamed("python"), src), CodeTokens(LanguageNamed("python"), "def f():\n    return 1\n"));
  EXPECT_EQ(Patch(f, {{"f", "New."}}), "def f():\n    \"\"\"New.\"\"\"\n    \"\"\"Second.\"\"\"\n    return 1\n");
  // Dropping the second string is a code change.
  EXPECT_FALSE(Verify(f, "def f():\n    \"\"\"New.\"\"\"\n    return 1\n", {0}).ok);
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

// Issue 11 item 5: docstrings that programs read are data, never replaced.
TEST(Python, PlyRulesTokenRegexesAndDoctestsAreDataAndKept) {
  std::string src =
      "def p_expression(p):\n"
      "    '''expression : expression PLUS term\n"
      "                  | term'''\n"
      "    p[0] = p[1]\n"
      "\n"
      "def p_stmt(p):\n"
      "    'stmt ::= NAME EQUALS expr'\n"
      "    pass\n"
      "\n"
      "def t_NUMBER(t):\n"
      "    r'\\d+'\n"
      "    return t\n"
      "\n"
      "def square(x):\n"
      "    \"\"\"Squares.\n"
      "\n"
      "    >>> square(3)\n"
      "    9\n"
      "    \"\"\"\n"
      "    return x * x\n"
      "\n"
      "def p_helper(p):\n"
      "    \"\"\"Prints p: a parser helper, not a rule.\"\"\"\n"
      "    print(p)\n";
  ParsedFile f = Py(src);
  ASSERT_EQ(f.routines.size(), 5u);
  EXPECT_EQ(f.routines[0].skip_reason, "docstring is data (PLY grammar rule)");
  EXPECT_EQ(f.routines[1].skip_reason, "docstring is data (PLY grammar rule)");
  EXPECT_EQ(f.routines[2].skip_reason, "docstring is data (PLY token regex)");
  EXPECT_NE(f.routines[3].skip_reason.find("doctest"), std::string::npos) << f.routines[3].skip_reason;
  EXPECT_TRUE(Patchable(f.routines[4]));  // "Prints p: ..." is prose, not a production
  for (size_t i = 0; i < 4; ++i) EXPECT_TRUE(f.routines[i].has_comment) << i;
  std::map<int, std::string> all;
  for (const Routine& r : f.routines) all[r.id] = "New.";
  VerifiedPatch vp = ApplyAndVerify(f, all);
  EXPECT_EQ(vp.applied, std::vector<int>{4});
  EXPECT_EQ(vp.dropped.size(), 4u);
  EXPECT_EQ(vp.dropped[0], "docstring is data (PLY grammar rule)");
  size_t helper = src.rfind("    \"\"\"Prints");
  EXPECT_EQ(vp.text.substr(0, helper), src.substr(0, helper));
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "'expr : a | b'", {false, "p_expr"}), CommentRole::kData);
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "'expr : a | b'", {false, "expr"}), CommentRole::kDoc);
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "r'[a-z]+'", {false, "t_NAME"}), CommentRole::kData);
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "'''Skips blanks.'''", {false, "t_ignore_ws"}), CommentRole::kDoc);
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "\"\"\">>> f()\n1\"\"\""), CommentRole::kData);
}

// A PEP 484 signature comment must stay on the line after the header; the docstring goes below.
TEST(Python, TypeCommentsStayRightBelowTheHeader) {
  ParsedFile f = Py("def f(a):\n    # type: (int) -> str\n    return str(a)\n\ndef g():\n    # type: ignore\n    return 1\n");
  EXPECT_EQ(Patch(f, {{"f", "Stringifies."}, {"g", "One."}}),
            "def f(a):\n    # type: (int) -> str\n    \"\"\"Stringifies.\"\"\"\n    return str(a)\n\n"
            "def g():\n    \"\"\"One.\"\"\"\n    # type: ignore\n    return 1\n");
}

// `#` comments (directives or not) are never a Python routine's comment and must survive as
// they are: the verifier compares every comment other than the patched docstrings.
TEST(Python, DirectiveCommentsAreKeptAndVerifyNoticesALostOne) {
  std::string src = "def f():  # pragma: no cover\n    x = 1  # noqa: E501\n    return x  # type: ignore\n";
  ParsedFile f = Py(src);
  EXPECT_EQ(Patch(f, {{"f", "Gives one."}}),
            "def f():  # pragma: no cover\n    \"\"\"Gives one.\"\"\"\n    x = 1  # noqa: E501\n    return x  # type: ignore\n");
  Verification lost =
      Verify(f, "def f():  # pragma: no cover\n    \"\"\"Gives one.\"\"\"\n    x = 1\n    return x  # type: ignore\n", {0});
  EXPECT_FALSE(lost.ok);
  EXPECT_NE(lost.problem.find("comment other than"), std::string::npos) << lost.problem;
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "# type: ignore"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "# noqa"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "#  pylint: disable=invalid-name"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "# fmt: off"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "# pragma: no cover"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "# -*- coding: latin-1 -*-"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "# SPDX-License-Identifier: MIT"), CommentRole::kLicence);
  EXPECT_EQ(ClassifyComment(LanguageNamed("python"), "# just a note"), CommentRole::kOther);
}

// Issue 11 item 4: a file that declares a codec other than UTF-8 (PEP 263) gets ASCII docstrings:
// typographic punctuation is made ASCII, anything else drops the routine with the reason.
TEST(Python, DeclaredEncodingsOtherThanUtf8GetAsciiCommentsOnly) {
  ParsedFile ascii = Py("# -*- coding: ascii -*-\ndef f():\n    return 1\n\ndef g():\n    return 2\n");
  EXPECT_EQ(ascii.declared_encoding, "ascii");
  VerifiedPatch vp =
      ApplyAndVerify(ascii, {{0, "It\u2019s a \u201cquote\u201d \u2014 and\u00a0more\u2026"}, {1, "Caf\u00e9."}});
  EXPECT_EQ(vp.applied, std::vector<int>{0});
  EXPECT_EQ(vp.dropped[1], "comment has characters the file's declared encoding (ascii) may not represent");
  EXPECT_EQ(vp.text,
            "# -*- coding: ascii -*-\ndef f():\n    \"\"\"It's a \"quote\" -- and more...\"\"\"\n    return 1\n\n"
            "def g():\n    return 2\n");
  // Line 2 counts after a shebang; vim's spelling too.
  ParsedFile cp = Py("#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\ndef f():\n    return 1\n");
  EXPECT_EQ(cp.declared_encoding, "cp1252");
  EXPECT_TRUE(CommentTextProblem(cp, "na\u00efve").has_value());
  EXPECT_FALSE(CommentTextProblem(cp, "naive \u2013 ok").has_value());
  // Verify holds the same line whatever produced the text.
  Verification v =
      Verify(cp, "#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\ndef f():\n    \"\"\"Caf\u00e9.\"\"\"\n    return 1\n", {0});
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("not ASCII"), std::string::npos) << v.problem;
  // UTF-8 under any spelling, no declaration, or a "declaration" below code: no limit.
  for (const char* head : {"# coding: UTF_8\n", "# -*- coding: utf8 -*-\n", "", "import os\n# coding: ascii\n"}) {
    ParsedFile u = Py(std::string(head) + "def f():\n    return 1\n");
    EXPECT_FALSE(CommentTextProblem(u, "Caf\u00e9 \u2014 ok.").has_value()) << head;
    EXPECT_EQ(ApplyAndVerify(u, {{0, "Caf\u00e9."}}).applied, std::vector<int>{0}) << head;
  }
  EXPECT_EQ(Py("\n# coding=latin-1\nx = 1\n").declared_encoding, "latin-1");
  EXPECT_EQ(Py("x = 1\n# coding=latin-1\n").declared_encoding, "");
}

TEST(Python, ModelTextThatIsNotUtf8IsDroppedAndAPatchThatIsNotUtf8Refused) {
  ParsedFile f = Py("def f():\n    return 1\n");
  VerifiedPatch vp = ApplyAndVerify(f, {{0, "Bad \xff byte."}});
  EXPECT_TRUE(vp.applied.empty());
  EXPECT_EQ(vp.dropped[0], "comment text is not valid UTF-8");
  EXPECT_EQ(vp.text, f.text);
  Verification v = Verify(f, "def f():\n    \"\"\"Bad \xff.\"\"\"\n    return 1\n", {0});
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.problem, "patched file is not valid UTF-8");
}

TEST(Python, TooLargeInputIsAnInputError) {
  ParseOptions options;
  options.max_bytes = 10;
  try {
    Parse(LanguageNamed("python"), "def f():\n    return 1\n", options);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitInput);
  }
}

}  // namespace
}  // namespace scale::languages
