// Golden tests for the C worker (unit tests, no model): input + comments -> exact output.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "languages/language.h"
#include "languages/roundtrip_util.h"
#include "languages/test_util.h"
#include "testing/read_all.h"

namespace scale::languages {
namespace {

using testing::IdOf;
using testing::Names;
using testing::Patch;

ParsedFile C(std::string text, bool header = false) {
  ParseOptions options;
  options.c_header = header;
  return Parse(LanguageNamed("c"), std::move(text), options);
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
    "/* separated by two blank lines: not color's */\n"
    "\n"
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
  EXPECT_FALSE(f.routines[3].has_comment);  // two blank lines separate it (one is fine: see LibyamlStyle...)
  EXPECT_EQ(f.routines[2].signature, "struct point { ... }");
}

TEST(C, CommentsReplaceBlocksAndLineRunsAndGoInsideIfdef) {
  ParsedFile f = C(kSource);
  EXPECT_EQ(Patch(f, {{"add", "Adds.\nK&R style."}, {"foo", "Does foo."}, {"point", "A point."}, {"color", "Colours."}}),
            testing::Replaced(kSource, {{"/* Old comment. */\n", "/**\n * Adds.\n * K&R style.\n */\n"},
                               {"// line one\n//   line two\n", "/**\n * Does foo.\n */\n"},
                               {"struct point {", "/**\n * A point.\n */\nstruct point {"},
                               {"enum color", "/**\n * Colours.\n */\nenum color"}}));
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
            testing::Replaced(header, {{"/** A handle. */\n", "/**\n * The handle.\n */\n"},
                              {"    /* Opens it. */\n", "    /**\n     * Opens `path`;\n     * fills *out.\n     */\n"},
                              {"void (*lib_signal", "/**\n * Sets it.\n */\nvoid (*lib_signal"}}));
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

// Issue 11 item 17: libyaml writes `/*\n * What it does.\n */`, a blank line, then the function.
// That comment is the function's: it is read, replaced in place (the blank line stays), and no
// second comment is added under it.
const char* kLibyaml =
    "\n"
    "#include \"yaml_private.h\"\n"
    "\n"
    "/*\n"
    " * Get the library version.\n"
    " */\n"
    "\n"
    "YAML_DECLARE(const char *)\n"
    "yaml_get_version_string(void)\n"
    "{\n"
    "    return YAML_VERSION_STRING;\n"
    "}\n"
    "\n"
    "/*\n"
    " * Free a dynamic memory block.\n"
    " */\n"
    "\n"
    "static void\n"
    "yaml_free(void *ptr)\n"
    "{\n"
    "    if (ptr) free(ptr);\n"
    "}\n";

TEST(C, LibyamlStyleCommentOneBlankLineAboveIsTheRoutines) {
  ParsedFile f = C(kLibyaml);
  ASSERT_EQ(Names(f), (std::vector<std::string>{"function yaml_get_version_string", "function yaml_free"}));
  EXPECT_TRUE(f.routines[0].has_comment);
  EXPECT_EQ(f.routines[0].existing_comment, "Get the library version.");
  EXPECT_EQ(f.routines[1].existing_comment, "Free a dynamic memory block.");
  EXPECT_EQ(f.routines[1].comment_count, 1);
  std::string out = Patch(f, {{"yaml_get_version_string", "Returns the version."}, {"yaml_free", "Frees ptr."}});
  // Both docs open with `/*`: the file's own style (DocStyle) is kept for the new ones.
  EXPECT_EQ(f.style.origin, "file");
  EXPECT_EQ(f.style.open, "/*");
  EXPECT_EQ(out,
            "\n#include \"yaml_private.h\"\n\n/*\n * Returns the version.\n */\n\nYAML_DECLARE(const char *)\n"
            "yaml_get_version_string(void)\n{\n    return YAML_VERSION_STRING;\n}\n\n/*\n * Frees ptr.\n */\n\n"
            "static void\nyaml_free(void *ptr)\n{\n    if (ptr) free(ptr);\n}\n");
  // A comment added under the old one would leave two: the verifier refuses that.
  std::string doubled = kLibyaml;
  doubled.insert(doubled.find("static void"), "/** Frees ptr. */\n");
  EXPECT_FALSE(Verify(f, doubled, {1}).ok);
}

// curl writes its comments directly above, with the function's name as the first line.
TEST(C, CurlStyleCommentDirectlyAboveIsTheRoutines) {
  ParsedFile f = C(
      "/*\n * Curl_is_absolute_url()\n *\n * Returns the length of the scheme if the given URL is absolute.\n */\n"
      "size_t Curl_is_absolute_url(const char *url, char *buf, size_t buflen)\n{\n  return 0;\n}\n");
  ASSERT_EQ(f.routines.size(), 1u);
  EXPECT_EQ(f.routines[0].existing_comment,
            "Curl_is_absolute_url()\n\nReturns the length of the scheme if the given URL is absolute.");
}

// What a blank line may NOT bridge: a section banner, the file's header, a comment that is not
// alone (code or another comment right above it), two blank lines, or a comment that only
// precedes other comments. A comment before #include belongs to no routine.
TEST(C, BannersHeadersAndSectionCommentsAcrossABlankLineAreNotTheRoutines) {
  const char* src =
      "/*\n * util.c - helpers for the parser.\n */\n"
      "\n"
      "int first(void) { return 1; }\n"
      "\n"
      "/* Helpers. */\n"
      "\n"
      "#include <string.h>\n"
      "\n"
      "int second(void) { return 2; }\n"
      "\n"
      "/****************************************************************\n"
      " * Parsing\n"
      " ****************************************************************/\n"
      "\n"
      "int third(void) { return 3; }\n"
      "int x;\n"
      "/* about x */\n"
      "\n"
      "int fourth(void) { return 4; }\n"
      "\n"
      "/* Section: output. */\n"
      "\n"
      "/* Doc of fifth. */\n"
      "int fifth(void) { return 5; }\n";
  ParsedFile f = C(src);
  ASSERT_EQ(f.routines.size(), 5u);
  for (size_t i = 0; i < 4; ++i) EXPECT_FALSE(f.routines[i].has_comment) << f.routines[i].name;
  EXPECT_EQ(f.routines[4].existing_comment, "Doc of fifth.");
  EXPECT_EQ(f.routines[4].comment_count, 2);  // the section comment stacks above it
  // New comments go directly above, every other comment stays.
  std::string out = Patch(f, {{"first", "One."}, {"third", "Three."}, {"fifth", "Five."}});
  EXPECT_NE(out.find(" */\n\n/**\n * One.\n */\nint first"), std::string::npos) << out;
  EXPECT_NE(out.find("****/\n\n/**\n * Three.\n */\nint third"), std::string::npos) << out;
  EXPECT_NE(out.find("/* Section: output. */\n\n/**\n * Five.\n */\nint fifth"), std::string::npos) << out;
}

// Issue 11 item 5: directives and licences are kept byte for byte. Next-line directives stay on
// the line right above the function (the doc goes above them); a region directive or a licence
// stays above the doc.
TEST(C, DirectivesAndLicencesAreKeptAndTheDocGoesAroundThem) {
  const char* src =
      "/* SPDX-License-Identifier: MIT */\n"
      "int first(void) { return 1; }\n"
      "\n"
      "// NOLINTNEXTLINE(readability-function-size)\n"
      "int big(void) { return 2; }\n"
      "\n"
      "/* clang-format off */\n"
      "int table(void) { return 3; }\n"
      "/* clang-format on */\n"
      "\n"
      "/* Old doc of g. */\n"
      "// NOLINTNEXTLINE\n"
      "/* ARGSUSED */\n"
      "int g(int unused) { return 4; }\n"
      "\n"
      "// Old doc of h,\n"
      "// in a run.\n"
      "// NOLINTNEXTLINE(bugprone-foo)\n"
      "int h(void) { return 5; }\n";
  ParsedFile f = C(src);
  ASSERT_EQ(f.routines.size(), 5u);
  for (size_t i = 0; i < 3; ++i) EXPECT_FALSE(f.routines[i].has_comment) << f.routines[i].name;
  EXPECT_EQ(f.routines[3].existing_comment, "Old doc of g.");
  EXPECT_EQ(f.routines[4].existing_comment, "Old doc of h,\nin a run.");
  EXPECT_EQ(Patch(f, {{"first", "One."}, {"big", "Two."}, {"table", "Three."}, {"g", "Four."}, {"h", "Five."}}),
            "/* SPDX-License-Identifier: MIT */\n"
            "/**\n * One.\n */\n"
            "int first(void) { return 1; }\n"
            "\n"
            "/**\n * Two.\n */\n"
            "// NOLINTNEXTLINE(readability-function-size)\n"
            "int big(void) { return 2; }\n"
            "\n"
            "/* clang-format off */\n"
            "/**\n * Three.\n */\n"
            "int table(void) { return 3; }\n"
            "/* clang-format on */\n"
            "\n"
            "/**\n * Four.\n */\n"
            "// NOLINTNEXTLINE\n"
            "/* ARGSUSED */\n"
            "int g(int unused) { return 4; }\n"
            "\n"
            "/**\n * Five.\n */\n"
            "// NOLINTNEXTLINE(bugprone-foo)\n"
            "int h(void) { return 5; }\n");
  // A copyright header directly above the first function is the file's, also as a // run.
  for (const char* header : {"/*\n * Copyright (c) 2020 Foo Ltd.\n * All rights reserved.\n */\n",
                             "// Copyright 2021 The Authors\n// Use of this source code is governed by a BSD licence.\n"}) {
    ParsedFile lic = C(std::string(header) + "int f(void) { return 0; }\n");
    ASSERT_EQ(lic.routines.size(), 1u);
    EXPECT_FALSE(lic.routines[0].has_comment) << header;
    EXPECT_EQ(Patch(lic, {{"f", "Zero."}}), std::string(header) + "/**\n * Zero.\n */\nint f(void) { return 0; }\n");
  }
  // Losing or moving a directive is refused, even though the code tokens are the same.
  ParsedFile one = C("// NOLINTNEXTLINE\nint f(void) { return 0; }\n");
  EXPECT_FALSE(Verify(one, "/**\n * D.\n */\nint f(void) { return 0; }\n", {0}).ok);
  EXPECT_FALSE(Verify(one, "// NOLINTNEXTLINE\n/**\n * D.\n */\nint f(void) { return 0; }\n", {0}).ok);
  EXPECT_TRUE(Verify(one, "/**\n * D.\n */\n// NOLINTNEXTLINE\nint f(void) { return 0; }\n", {0}).ok);
}

TEST(C, ClassifyCommentKnowsDirectivesLicencesAndDecoration) {
  auto role = [](const char* c, bool header = false) { return ClassifyComment(LanguageNamed("c"), c, {header, ""}); };
  EXPECT_EQ(role("// NOLINT"), CommentRole::kNextLineDirective);
  EXPECT_EQ(role("// NOLINTNEXTLINE(foo)"), CommentRole::kNextLineDirective);
  EXPECT_EQ(role("// NOLINTBEGIN"), CommentRole::kDirective);
  EXPECT_EQ(role("/* clang-format off */"), CommentRole::kDirective);
  EXPECT_EQ(role("// clang-format on"), CommentRole::kDirective);
  EXPECT_EQ(role("/* ARGSUSED */"), CommentRole::kNextLineDirective);
  EXPECT_EQ(role("/* -*- mode: c; c-basic-offset: 4 -*- */"), CommentRole::kDirective);
  EXPECT_EQ(role("// #region Helpers"), CommentRole::kDirective);
  EXPECT_EQ(role("/* SPDX-License-Identifier: GPL-2.0 */"), CommentRole::kLicence);
  EXPECT_EQ(role("/*\n * Licensed under the Apache License, Version 2.0\n */"), CommentRole::kLicence);
  EXPECT_EQ(role("/* Permission is hereby granted, free of charge, ... */"), CommentRole::kLicence);
  EXPECT_EQ(role("/* Copyright 2020 Foo */", true), CommentRole::kLicence);
  EXPECT_EQ(role("/* Returns the copyright string. */"), CommentRole::kDoc);  // not in the header
  EXPECT_EQ(role("/* Returns the copyright string. */", true), CommentRole::kLicence);
  EXPECT_EQ(role("/*************/"), CommentRole::kOther);
  EXPECT_EQ(role("// ------------"), CommentRole::kOther);
  EXPECT_EQ(role("/** */"), CommentRole::kDoc);  // an empty doc waiting to be filled
  EXPECT_EQ(role("/*! Doxygen doc. */"), CommentRole::kDoc);
  EXPECT_EQ(role("/* global state of the parser */"), CommentRole::kDoc);  // ESLint's, not C's
  EXPECT_EQ(role("/* Does it. */"), CommentRole::kDoc);
  EXPECT_STREQ(CommentRoleName(CommentRole::kNextLineDirective), "next-line directive");
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

// ---- Macros in declarations (c.cc, MaskCMacros; docs/languages/c.md) ---------------------------

TEST(C, ExportMacrosBeforeTheTypeBelongToTheFunction) {
  const char* src =
      "#include \"lua.h\"\n"
      "\n"
      "LUA_API int lua_gettop (lua_State *L) {\n"
      "  return cast_int(L->top - (L->ci->func + 1));\n"
      "}\n"
      "\n"
      "LUALIB_API lua_State *luaL_newstate (void) {\n"
      "  return lua_newstate(l_alloc, NULL);\n"
      "}\n";
  ParsedFile f = C(src);
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"function lua_gettop", "function luaL_newstate"}));
  EXPECT_EQ(f.routines[0].signature, "LUA_API int lua_gettop (lua_State *L)");
  EXPECT_EQ(f.routines[1].start_line, 7);
  EXPECT_EQ(Patch(f, {{"lua_gettop", "Returns the stack top."}, {"luaL_newstate", "Creates a state."}}),
            testing::Replaced(src, {{"LUA_API int", "/**\n * Returns the stack top.\n */\nLUA_API int"},
                                    {"LUALIB_API", "/**\n * Creates a state.\n */\nLUALIB_API"}}));
}

TEST(C, ZlibKAndRDefinitionsWithZexportFarAndLocal) {
  const char* src =
      "/* Resets the stream. */\n"
      "int ZEXPORT inflateReset(strm)\n"
      "z_streamp strm;\n"
      "{\n"
      "    struct inflate_state FAR *state;\n"
      "    state = (struct inflate_state FAR *)strm->state;\n"
      "    return inflateResetKeep(strm);\n"
      "}\n"
      "\n"
      "local block_state deflate_stored(s, flush)\n"
      "    deflate_state *s;\n"
      "    int flush;\n"
      "{\n"
      "    return need_more;\n"
      "}\n"
      "\n"
      "const char * ZEXPORT zError(err)\n"
      "    int err;\n"
      "{\n"
      "    return ERR_MSG(err);\n"
      "}\n";
  ParsedFile f = C(src);
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"function inflateReset", "function deflate_stored", "function zError"}));
  EXPECT_EQ(f.routines[0].existing_comment, "Resets the stream.");
  EXPECT_EQ(f.routines[1].signature, "local block_state deflate_stored(s, flush)\n    deflate_state *s;\n    int flush;");
  EXPECT_EQ(Patch(f, {{"inflateReset", "Resets the inflate state."}, {"deflate_stored", "Copies stored blocks."},
                      {"zError", "Returns the message for an error code."}}),
            testing::Replaced(src, {{"/* Resets the stream. */", "/**\n * Resets the inflate state.\n */"},
                                    {"local block", "/**\n * Copies stored blocks.\n */\nlocal block"},
                                    {"const char * ZEXPORT", "/**\n * Returns the message for an error code.\n */\nconst char * ZEXPORT"}}));
}

TEST(C, PrototypeWrappersOfAreReadAsParameterLists) {
  const char* header =
      "ZEXTERN int ZEXPORT deflate OF((z_streamp strm, int flush));\n"
      "typedef voidpf (*alloc_func) OF((voidpf opaque, uInt items, uInt size));\n";
  ParsedFile f = C(header, /*header=*/true);
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"prototype deflate", "typedef alloc_func"}));
  EXPECT_EQ(Patch(f, {{"deflate", "Compresses."}}),
            testing::Replaced(header, {{"ZEXTERN int", "/**\n * Compresses.\n */\nZEXTERN int"}}));
  // In a source file the prototype is no routine, and no longer an error next to the definition.
  ParsedFile c = C("local void fixedtables OF((struct inflate_state FAR *state));\n"
                   "local void fixedtables(state)\nstruct inflate_state FAR *state;\n{\n    state->lencode = lenfix;\n}\n");
  EXPECT_FALSE(c.has_syntax_errors);
  EXPECT_EQ(Names(c), (std::vector<std::string>{"function fixedtables"}));
}

TEST(C, StaticInlineAndAttributesNeedNoMasking) {
  const char* src =
      "static inline int add(int a, int b) { return a + b; }\n"
      "\n"
      "__attribute__((noreturn)) static void die(const char *msg) {\n"
      "  for (;;) {}\n"
      "}\n"
      "\n"
      "static l_noret error (LoadState *S, const char *why) {\n"
      "  luaO_pushfstring(S->L, \"%s: bad binary format (%s)\", S->name, why);\n"
      "}\n";
  ParsedFile f = C(src);
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"function add", "function die", "function error"}));
  EXPECT_EQ(Patch(f, {{"add", "Adds."}, {"die", "Dies."}, {"error", "Raises."}}),
            testing::Replaced(src, {{"static inline", "/**\n * Adds.\n */\nstatic inline"},
                                    {"__attribute__", "/**\n * Dies.\n */\n__attribute__"},
                                    {"static l_noret", "/**\n * Raises.\n */\nstatic l_noret"}}));
}

TEST(C, IfBranchesAroundASignatureKeepTheFirstForTheParse) {
  const char* src =
      "#ifdef STDC\n"
      "int scale_by(int a, int b)\n"
      "#else\n"
      "int scale_by(a, b) int a; int b;\n"
      "#endif\n"
      "{\n"
      "  return a * b;\n"
      "}\n"
      "\n"
      "#ifdef WIDE\n"
      "static long twice(long a) {\n"
      "#else\n"
      "static int twice(int a) {\n"
      "#endif\n"
      "  if (a > 0\n"
      "#ifdef CHECK\n"
      "      && a < 100\n"
      "#endif\n"
      "     ) return a * 2;\n"
      "  return 0;\n"
      "}\n";
  ParsedFile f = C(src);
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"function scale_by", "function twice"}));
  EXPECT_EQ(f.routines[0].start_line, 1);  // the #ifdef is part of the definition
  EXPECT_EQ(Patch(f, {{"scale_by", "Multiplies."}, {"twice", "Doubles."}}),
            testing::Replaced(src, {{"#ifdef STDC", "/**\n * Multiplies.\n */\n#ifdef STDC"},
                                    {"#ifdef WIDE", "/**\n * Doubles.\n */\n#ifdef WIDE"}}));
}

TEST(C, ProjectConfigMacrosCoverWhatTheHeuristicCannotSee) {
  const char* src =
      "DEPRECATED(\"use g\") int old_api(void) {\n"
      "  return 1;\n"
      "}\n"
      "\n"
      "int fast(void) NOEXCEPT {\n"
      "  return 2;\n"
      "}\n";
  ParsedFile plain = C(src);
  EXPECT_TRUE(plain.has_syntax_errors);
  // Unlisted, the attribute macro with arguments puts old_api in a syntax error; `NOEXCEPT`
  // alone tree-sitter happens to take, listed it is masked all the same.
  EXPECT_EQ(Names(plain), (std::vector<std::string>{"function old_api", "function fast"}));
  EXPECT_TRUE(plain.routines[0].in_error_region);
  EXPECT_FALSE(plain.routines[1].in_error_region);
  ParseOptions options;
  options.macros = {"DEPRECATED", "NOEXCEPT"};
  ParsedFile f = Parse(LanguageNamed("c"), src, options);
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"function old_api", "function fast"}));
  EXPECT_EQ(f.routines[1].signature, "int fast(void) NOEXCEPT");
  EXPECT_EQ(Patch(f, {{"old_api", "Old."}, {"fast", "Fast."}}),
            testing::Replaced(src, {{"DEPRECATED(", "/**\n * Old.\n */\nDEPRECATED("},
                                    {"int fast", "/**\n * Fast.\n */\nint fast"}}));
}

TEST(C, AChangedMacroIsAChangedTokenForTheProof) {
  const char* src = "LUA_API int lua_gettop (lua_State *L) {\n  return 0;\n}\n";
  ParsedFile f = C(src);
  ASSERT_EQ(f.routines.size(), 1u);
  std::string patched = ApplyComments(f, {{0, "Top."}});
  EXPECT_TRUE(Verify(f, patched, {0}).ok);
  std::string renamed = patched;
  renamed.replace(renamed.find("LUA_API"), 7, "LUA_APX");
  Verification v = Verify(f, renamed, {0});
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.problem, "code changed: token 0 was 'macro LUA_API', now 'macro LUA_APX'");
  EXPECT_EQ(CodeTokens(LanguageNamed("c"), src)[0], "macro LUA_API");
}

TEST(C, ExpressionsAndValidDeclarationsAreNotMasked) {
  // Arithmetic, casts, member access and string-literal macros stay as tree-sitter reads them.
  const char* src =
      "int f(int a, int b, int c) {\n"
      "  int x = a * b * c;\n"
      "  unsigned long long y = (unsigned long long)x;\n"
      "  printf(\"%\" PRIu64 \"\\n\", y);\n"
      "  return s.len * x;\n"
      "}\n";
  EXPECT_EQ(CodeTokens(LanguageNamed("c"), src), CodeTokens(LanguageNamed("c"), std::string(src)));
  for (const std::string& t : CodeTokens(LanguageNamed("c"), src)) EXPECT_NE(t.rfind("macro ", 0), 0u) << t;
}

// The Debian sources of zlib and Lua 5.4 (cmake/corpus.cmake, deps/corpus/debian-sources.txt):
// C as projects write it, export macros, K&R definitions and all. Per file: the functions scale
// finds, those it cannot see for syntax errors, and those that get a comment that Verify proves.
// The judge is gcc's own reading of the text without comments (-fpreprocessed -dD -E -P).
std::filesystem::path CCorpus() {
#ifdef SCALE_DEBIAN_CORPUS
  if (std::string(SCALE_DEBIAN_CORPUS).size() > 0) return std::string(SCALE_DEBIAN_CORPUS) + "/c";
#endif
  const char* env = std::getenv("SCALE_C_CORPUS_DIR");
  return env ? env : "";
}

std::string GccWithoutComments(const std::string& text) {
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  std::string name = "scale_c_judge_" + std::to_string(std::hash<std::string>{}(text));
  std::filesystem::path in = dir / (name + ".c"), out = dir / (name + ".i");
  if (FILE* f = std::fopen(in.c_str(), "wb")) {
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  std::string cmd = "gcc -fpreprocessed -dD -E -P -w '" + in.string() + "' -o '" + out.string() + "' 2>/dev/null";
  std::string result = std::system(cmd.c_str()) == 0 ? scale::testing::ReadAll(out) : "gcc failed";
  std::filesystem::remove(in);
  std::filesystem::remove(out);
  return testing::Collapse(result);
}

TEST(C, ZlibAndLuaFunctionsGetCommentsWithCodeIdentical) {
  std::filesystem::path root = CCorpus();
  if (root.empty() || !std::filesystem::exists(root / "zlib") || !std::filesystem::exists(root / "lua5.4")) {
    GTEST_SKIP() << "no zlib/lua5.4 Debian sources (cmake/corpus.cmake, or SCALE_C_CORPUS_DIR)";
  }
  std::vector<std::pair<std::filesystem::path, Language>> files;
  testing::Gather(root / "zlib", {".c"}, LanguageNamed("c"), files);
  testing::Gather(root / "lua5.4", {".c"}, LanguageNamed("c"), files);
  int found = 0, unseen = 0, commented = 0;
  for (const auto& [path, language] : files) {
    ParsedFile file = Parse(language, scale::testing::ReadAll(path), ParseOptionsForPath(path));
    std::map<int, std::string> comments;
    int f_found = 0, f_unseen = 0;
    for (const Routine& r : file.routines) {
      if (r.kind != "function") continue;
      ++f_found;
      if (!Patchable(r)) {
        ++f_unseen;
        std::printf("  skipped %s:%d %s\n", path.filename().c_str(), r.start_line, r.name.c_str());
      }
      comments[r.id] = "Doc.";
    }
    VerifiedPatch vp = ApplyAndVerify(file, comments);
    std::printf("  %-40s functions %3d  unseen %3d  commented %3zu\n",
                path.lexically_relative(root).c_str(), f_found, f_unseen, vp.applied.size());
    found += f_found;
    unseen += f_unseen;
    commented += static_cast<int>(vp.applied.size());
  }
  std::printf("  total: %zu files, functions %d, unseen %d, commented %d\n", files.size(), found, unseen, commented);
  // `ctags -x --c-kinds=f` finds 1563 functions in these 68 files: at least 90% get a comment.
  EXPECT_GE(commented, 1407);
  EXPECT_GE(found, 1550);
  testing::RunAll("c-debian", files, [](const std::filesystem::path&, const std::string& a, const std::string& b) {
    return GccWithoutComments(a) == GccWithoutComments(b) ? std::string() : std::string("gcc sees other code");
  });
}

}  // namespace
}  // namespace scale::languages
