// Golden tests for the C worker (unit tests, no model): input + comments -> exact output.
#include <gtest/gtest.h>

#include "languages/language.h"
#include "languages/test_util.h"

namespace scale::languages {
namespace {

using testing::IdOf;
using testing::Names;
using testing::Patch;

ParsedFile C(std::string text, bool header = false) {
  ParseOptions options;
  options.c_header = header;
  return Parse(Language::kC, std::move(text), options);
}

const char* kSource =
    "#include <stdio.h>\n"
    "#define MAX(a, b) ((a) > (b) ? (a) : (b))\n"
    "\n"
    "/* Old comment. */\n"
    "int\n"
    "add(a, b)\n"
    "int a;\n"
    "int b;\n"
    "{\n"
    "  return MAX(a, b) + b;\n"
    "}\n"
    "\n"
    "#ifdef HAVE_FOO\n"
    "// line one\n"
    "//   line two\n"
    "static void foo(void) { }\n"
    "#endif\n"
    "\n"
    "int x; /* trailing, not foo's */\n"
    "struct point { int x, y; };\n"
    "\n"
    "/* separated by a blank line: not color's */\n"
    "\n"
    "enum color { RED, GREEN };\n"
    "typedef struct point point_t;\n"
    "int proto(int);\n"
    "int (*fp)(int);\n";

TEST(C, SourceFilesHaveFunctionsAndNamedTypeDefinitionsOnly) {
  ParsedFile f = C(kSource);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"function add", "function foo", "struct point", "enum color"}));
  const Routine& add = f.routines[0];
  EXPECT_EQ(add.signature, "int\nadd(a, b)\nint a;\nint b;");  // K&R parameter declarations included
  EXPECT_TRUE(add.has_comment);
  EXPECT_EQ(add.existing_comment, "Old comment.");
  EXPECT_EQ(f.routines[1].existing_comment, "line one\n  line two");
  EXPECT_FALSE(f.routines[2].has_comment);  // the comment on the line above trails code
  EXPECT_FALSE(f.routines[3].has_comment);  // a blank line separates it
  EXPECT_EQ(f.routines[2].signature, "struct point { ... }");
}

TEST(C, CommentsReplaceBlocksAndLineRunsAndGoInsideIfdef) {
  ParsedFile f = C(kSource);
  EXPECT_EQ(Patch(f, {{"add", "Adds.\nK&R style."}, {"foo", "Does foo."}, {"point", "A point."}, {"color", "Colours."}}),
            "#include <stdio.h>\n"
            "#define MAX(a, b) ((a) > (b) ? (a) : (b))\n"
            "\n"
            "/**\n"
            " * Adds.\n"
            " * K&R style.\n"
            " */\n"
            "int\n"
            "add(a, b)\n"
            "int a;\n"
            "int b;\n"
            "{\n"
            "  return MAX(a, b) + b;\n"
            "}\n"
            "\n"
            "#ifdef HAVE_FOO\n"
            "/**\n"
            " * Does foo.\n"
            " */\n"
            "static void foo(void) { }\n"
            "#endif\n"
            "\n"
            "int x; /* trailing, not foo's */\n"
            "/**\n"
            " * A point.\n"
            " */\n"
            "struct point { int x, y; };\n"
            "\n"
            "/* separated by a blank line: not color's */\n"
            "\n"
            "/**\n"
            " * Colours.\n"
            " */\n"
            "enum color { RED, GREEN };\n"
            "typedef struct point point_t;\n"
            "int proto(int);\n"
            "int (*fp)(int);\n");
}

TEST(C, HeadersAlsoHavePrototypesTypedefsAndUnions) {
  const char* header =
      "#ifndef LIB_H\n"
      "#define LIB_H\n"
      "\n"
      "/** A handle. */\n"
      "typedef struct {\n"
      "  int fd;\n"
      "} handle_t;\n"
      "\n"
      "union value { int i; double d; };\n"
      "\n"
      "#if defined(X)\n"
      "    /* Opens it. */\n"
      "    int lib_open(const char *path, handle_t *out);\n"
      "#endif\n"
      "char *lib_name(void), lib_other(int);\n"
      "void (*lib_signal(int sig, void (*fn)(int)))(int);\n"
      "extern int (*lib_hook)(int);\n"
      "typedef int (*callback_t)(void *);\n"
      "#endif\n";
  ParsedFile f = C(header, true);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"typedef handle_t", "union value", "prototype lib_open",
                                                "prototype lib_name", "prototype lib_signal", "typedef callback_t"}));
  EXPECT_EQ(f.routines[0].signature, "typedef struct { ... } handle_t;");
  EXPECT_EQ(Patch(f, {{"handle_t", "The handle."}, {"lib_open", "Opens `path`;\nfills *out."}, {"lib_signal", "Sets it."}}),
            "#ifndef LIB_H\n"
            "#define LIB_H\n"
            "\n"
            "/**\n"
            " * The handle.\n"
            " */\n"
            "typedef struct {\n"
            "  int fd;\n"
            "} handle_t;\n"
            "\n"
            "union value { int i; double d; };\n"
            "\n"
            "#if defined(X)\n"
            "    /**\n"
            "     * Opens `path`;\n"
            "     * fills *out.\n"
            "     */\n"
            "    int lib_open(const char *path, handle_t *out);\n"
            "#endif\n"
            "char *lib_name(void), lib_other(int);\n"
            "/**\n"
            " * Sets it.\n"
            " */\n"
            "void (*lib_signal(int sig, void (*fn)(int)))(int);\n"
            "extern int (*lib_hook)(int);\n"
            "typedef int (*callback_t)(void *);\n"
            "#endif\n");
  // In a .c file the same text has no prototypes or typedefs.
  EXPECT_EQ(Names(C(header)), (std::vector<std::string>{"union value"}));
}

TEST(C, DeclarationsInsideTheExternCGuardOfAHeaderAreFound) {
  ParsedFile f = C("#ifdef __cplusplus\nextern \"C\" {\n#endif\n\nint f(int);\n\n#ifdef __cplusplus\n}\n#endif\n", true);
  ASSERT_EQ(Names(f), std::vector<std::string>{"prototype f"});
  EXPECT_EQ(Patch(f, {{"f", "Eff."}}),
            "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n/**\n * Eff.\n */\nint f(int);\n\n#ifdef __cplusplus\n}\n#endif\n");
}

TEST(C, EscapesCommentEndAndKeepsCrlf) {
  ParsedFile f = C("int f(void)\r\n{\r\n  return 0; /* zero */\r\n}\r\n");
  EXPECT_EQ(f.eol, "\r\n");
  EXPECT_EQ(Patch(f, {{"f", "Returns 0 (see a*/b).\n\nNo state."}}),
            "/**\r\n * Returns 0 (see a*\\/b).\r\n *\r\n * No state.\r\n */\r\nint f(void)\r\n{\r\n  return 0; /* zero */\r\n}\r\n");
}

TEST(C, ReplacingKeepsSurroundingBytesAndEarlierComments) {
  std::string src = "/* License. */\n/* Doc of f,\n * old. */   \nint f(void) { return 1; }\n";
  ParsedFile f = C(src);
  ASSERT_EQ(f.routines.size(), 1u);
  EXPECT_EQ(f.routines[0].existing_comment, "Doc of f,\nold.");
  EXPECT_EQ(f.routines[0].comment_count, 2);  // the license stacks above it
  EXPECT_EQ(Patch(f, {{"f", "New."}}), "/* License. */\n/**\n * New.\n */   \nint f(void) { return 1; }\n");
}

TEST(C, RoutineViewOfAFunctionIsTheFunctionWithItsComment) {
  ParsedFile f = C(kSource);
  EXPECT_EQ(RoutineView(f, IdOf(f, "add"), {}),
            "/* Old comment. */\nint\nadd(a, b)\nint a;\nint b;\n{\n  return MAX(a, b) + b;\n}");
  EXPECT_EQ(RoutineView(f, IdOf(f, "foo"), {}), "// line one\n//   line two\nstatic void foo(void) { }");
}

TEST(C, VerifyCatchesAChangedTokenAndADoubledComment) {
  ParsedFile f = C("int f(void) { return 1; }\n");
  EXPECT_TRUE(Verify(f, "/**\n * D.\n */\nint f(void) { return 1; }\n", {0}).ok);
  Verification changed = Verify(f, "/**\n * D.\n */\nint f(void) { return 2; }\n", {0});
  EXPECT_FALSE(changed.ok);
  EXPECT_NE(changed.problem.find("code changed"), std::string::npos) << changed.problem;
  Verification doubled = Verify(f, "/** D. */\n/**\n * D.\n */\nint f(void) { return 1; }\n", {0});
  EXPECT_FALSE(doubled.ok);
  EXPECT_NE(doubled.problem.find("doubled"), std::string::npos) << doubled.problem;
  EXPECT_FALSE(Verify(f, "/** D. */\n\nint f(void) { return 1; }\n", {0}).ok);  // not directly above
}

TEST(C, MacroHeavyCodeWithErrorsStillCommentsTheCleanParts) {
  ParsedFile f = C("int good(void) { return 1; }\n\nint bad(void) { return ( ; }\n\nint later(void) { return 3; }\n");
  EXPECT_TRUE(f.has_syntax_errors);
  std::map<int, std::string> all;
  for (const Routine& r : f.routines) all[r.id] = "Doc.";
  VerifiedPatch vp = ApplyAndVerify(f, all);
  EXPECT_FALSE(vp.applied.empty());
  for (int id : vp.applied) EXPECT_FALSE(f.routines[static_cast<size_t>(id)].in_error_region);
  EXPECT_EQ(vp.applied.size() + vp.dropped.size(), f.routines.size());
  EXPECT_EQ(vp.text.rfind("/**\n * Doc.\n */\nint good(void)", 0), 0u);
}

}  // namespace
}  // namespace scale::languages
