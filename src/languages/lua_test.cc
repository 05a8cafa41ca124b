// Golden tests for the Lua worker (unit tests, no model): input + comments -> exact output, and
// the round trip over LuaRocks and luassert judged by luac.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "languages/language.h"
#include "languages/roundtrip_util.h"
#include "languages/test_util.h"

namespace scale::languages {
namespace {

namespace fs = std::filesystem;
using testing::Names;
using testing::Patch;
using testing::Replaced;

ParsedFile Lua(std::string text) { return Parse(LanguageNamed("lua"), std::move(text)); }

const char* kModule =
    "#!/usr/bin/env lua\n"
    "---@diagnostic disable: lowercase-global\n"
    "-- Copyright (C) 2020 Example\n"
    "-- SPDX-License-Identifier: MIT\n"
    "\n"
    "local M = {}\n"
    "\n"
    "--- Old doc of add.\n"
    "---@param a number\n"
    "---@return number\n"
    "local function add(a, b) return a + b end\n"
    "\n"
    "--[[ Old block doc of M.f. ]]\n"
    "function M.f(x)\n"
    "  local function inner() end\n"
    "  table.sort(x, function(p, q) return p < q end)\n"
    "  return inner\n"
    "end\n"
    "\n"
    "--[==[\n"
    "Old long doc of M.obj.m.\n"
    "]==]\n"
    "function M.obj:m() end\n"
    "\n"
    "---@diagnostic disable-next-line: unused-local\n"
    "glob = function() end\n"
    "local bound = function(...) end\n"
    "M.field = function() end\n"
    "M.tbl = {\n"
    "  get = function(k) return k end,\n"
    "  sub = { deep = function() end },\n"
    "  [1] = function() end,\n"
    "}\n"
    "local a, b = function() end, function() end\n"
    "x = 1; function late() end\n"
    "return M\n";

TEST(Lua, FindsDeclaredBoundAndTableFieldFunctions) {
  ParsedFile f = Lua(kModule);
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"function add", "function M.f", "function M.f.inner", "method M.obj.m",
                                                "function glob", "function bound", "function M.field",
                                                "function M.tbl.get", "function M.tbl.sub.deep", "function late"}));
  EXPECT_EQ(f.routines[0].signature, "local function add(a, b)");
  EXPECT_EQ(f.routines[0].existing_comment, "Old doc of add.\n@param a number\n@return number");
  EXPECT_EQ(f.routines[1].existing_comment, "Old block doc of M.f.");
  EXPECT_EQ(f.routines[3].existing_comment, "Old long doc of M.obj.m.");
  EXPECT_EQ(f.routines[3].name, "m");
  EXPECT_EQ(f.routines[5].signature, "local bound = function(...)");
  EXPECT_EQ(f.routines[8].skip_reason, "shares its line with code before it");
  EXPECT_EQ(f.routines[9].skip_reason, "shares its line with code before it");
}

TEST(Lua, CommentsGoAboveTheBindingReplacingLineAndBlockDocs) {
  ParsedFile f = Lua(kModule);
  std::string out = Patch(f, {{"add", "Adds two numbers.\n@param a number\n@param b number\n@return number"},
                              {"M.f", "Sorts x."},
                              {"M.f.inner", "Does nothing."},
                              {"M.obj.m", "A method."},
                              {"glob", "Global."},
                              {"bound", "Bound."},
                              {"M.field", "A field."},
                              {"M.tbl.get", "Gets k."}});
  EXPECT_EQ(out, Replaced(kModule, {
                     {"--- Old doc of add.\n---@param a number\n---@return number\n",
                      "--- Adds two numbers.\n--- @param a number\n--- @param b number\n--- @return number\n"},
                     {"--[[ Old block doc of M.f. ]]\n", "--- Sorts x.\n"},
                     {"  local function inner", "  --- Does nothing.\n  local function inner"},
                     {"--[==[\nOld long doc of M.obj.m.\n]==]\n", "--- A method.\n"},
                     {"---@diagnostic disable-next-line", "--- Global.\n---@diagnostic disable-next-line"},
                     {"local bound", "--- Bound.\nlocal bound"},
                     {"M.field", "--- A field.\nM.field"},
                     {"  get =", "  --- Gets k.\n  get ="},
                 }));
}

TEST(Lua, ClassifyCommentKnowsLuaLsAndLuacheck) {
  Language lua = LanguageNamed("lua");
  EXPECT_EQ(ClassifyComment(lua, "---@diagnostic disable: undefined-global"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(lua, "---@diagnostic disable-next-line: x"), CommentRole::kNextLineDirective);
  EXPECT_EQ(ClassifyComment(lua, "-- luacheck: ignore 212"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(lua, "---@meta"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(lua, "--- Adds.\n---@param a number"), CommentRole::kDoc);
  EXPECT_EQ(ClassifyComment(lua, "--[[ luacheck: ignore ]]"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(lua, "--[==[ A doc. ]==]"), CommentRole::kDoc);
  EXPECT_EQ(ClassifyComment(lua, "------------"), CommentRole::kOther);
}

TEST(Lua, ARoutineRightUnderALicenceRunIsSkippedButNotUnderABlock) {
  ParsedFile f = Lua("-- Copyright (C) 2020 Example\nfunction f() end\n\n--[[ Copyright (C) 2020 ]]\nfunction g() end\n");
  ASSERT_EQ(f.routines.size(), 2u);
  EXPECT_EQ(f.routines[0].skip_reason, "a licence comment right above: a new --- doc would join it");
  EXPECT_EQ(f.routines[1].skip_reason, "");
}

TEST(Lua, CrlfTabsAndBomAreKept) {
  const std::string src =
      "\xEF\xBB\xBF" "function f()\r\n"
      "\t-- old\r\n"
      "\tlocal function g()\r\n"
      "\tend\r\n"
      "end\r\n";
  ParsedFile f = Lua(src);
  EXPECT_EQ(f.eol, "\r\n");
  EXPECT_EQ(Names(f), (std::vector<std::string>{"function f", "function f.g"}));
  std::string out = Patch(f, {{"f", "Eff."}, {"f.g", "New g.\nTwo lines."}});
  EXPECT_EQ(out, Replaced(src, {{"\xEF\xBB\xBF" "function f", "\xEF\xBB\xBF--- Eff.\r\nfunction f"},
                                {"\t-- old\r\n", "\t--- New g.\r\n\t--- Two lines.\r\n"}}));
}

TEST(Lua, RoutineViewShowsChildrenAsSignatureAndComment) {
  ParsedFile f = Lua("function f()\n  local function g(a)\n    return a\n  end\n  return g\nend\n");
  EXPECT_EQ(RoutineView(f, 0, {{1, "Gee."}}), "function f()\n  --- Gee.\n  local function g(a) ...\n  return g\nend");
}

// --- round trip over real code -----------------------------------------------------------------

// luac's listing of the compiled chunk, with line numbers, addresses and the file name left out:
// the same listing is the same program.
std::string Listing(const fs::path& file, bool* ok) {
  std::string out;
  if (FILE* p = popen(("luac5.4 -l -p " + file.string() + " 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    *ok = pclose(p) == 0;
  }
  static const std::regex noise(R"(\[\d+\]|0x[0-9a-f]+|<[^>\n]*>)");
  return std::regex_replace(out, noise, "");
}

std::string LuacJudge(const std::string& original, const std::string& patched) {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() / ("scale-lua-judge-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string n = std::to_string(counter++);
  fs::path a = dir / (n + "a.lua"), b = dir / (n + "b.lua");
  std::ofstream(a, std::ios::binary) << original;
  std::ofstream(b, std::ios::binary) << patched;
  bool ok_a = false, ok_b = false;
  std::string la = Listing(a, &ok_a), lb = Listing(b, &ok_b);
  fs::remove(a);
  fs::remove(b);
  if (!ok_a) return "";  // luac 5.4 cannot read the original either (Lua 5.1 code)
  if (!ok_b) return "luac -p rejects the patched file";
  return la == lb ? "" : "luac -l lists different code";
}

fs::path LuaCorpus() {
#ifdef SCALE_LUA_CORPUS
  return SCALE_LUA_CORPUS;
#else
  const char* env = std::getenv("SCALE_LUA_CORPUS");  // local runs before the build wires it in
  return env ? fs::path(env) : fs::path();
#endif
}

TEST(Lua, RoundTripOverLuaLibraries) {
  fs::path root = LuaCorpus();
  if (root.empty()) GTEST_SKIP() << "no Lua corpus: SCALE_LUA_CORPUS (Debian sources luarocks, lua-luassert) is not set";
  std::vector<std::pair<fs::path, Language>> files;
  testing::Gather(root, {".lua"}, LanguageNamed("lua"), files);
  ASSERT_GT(files.size(), 150u) << "the Lua corpus in " << root << " looks incomplete";
  testing::Judge judge;
  if (std::system("luac5.4 -v >/dev/null 2>&1") == 0) {
    judge = [](const fs::path&, const std::string& a, const std::string& b) { return LuacJudge(a, b); };
  }
  testing::RunAll("lua", files, judge);
}

}  // namespace
}  // namespace scale::languages
