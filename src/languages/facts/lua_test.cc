// Golden tests for the Lua fact reader (facts/lua.cc): each routine's facts as one line.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "languages/facts/facts_test_util.h"
#include "languages/language.h"

namespace scale::languages {
namespace {

using facts_test::Describe;
using facts_test::Named;

ParsedFile Lua(std::string text) { return Parse(LanguageNamed("lua"), std::move(text)); }

TEST(LuaFacts, FunctionsAndMethods) {
  const std::string text =
      "local M = {}\n"
      "\n"
      "function M.new(name, opts)\n"
      "  return setmetatable({ name = name }, M)\n"
      "end\n"
      "\n"
      "function M.util.log(fmt, ...)\n"
      "  print(string.format(fmt, ...))\n"
      "end\n"
      "\n"
      "function M:rename(name)\n"
      "  if type(name) ~= 'string' then error('name must be a string', 2) end\n"
      "  self.name = name\n"
      "  return\n"
      "end\n"
      "\n"
      "local function noop() end\n";
  ParsedFile file = Lua(text);
  EXPECT_EQ(Describe(Named(file, "M.new").facts), "(name, opts) returns=yes gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "M.util.log").facts), "(fmt, *...) returns=no gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "M.rename").facts), "(name) recv=self returns=no gen=no raises=yes");
  EXPECT_EQ(Describe(Named(file, "noop").facts), "() returns=no gen=no raises=no");
}

TEST(LuaFacts, BoundFunctionsAndTableFields) {
  const std::string text =
      "local parse = function(src)\r\n"
      "\tassert(src, 'src')\r\n"
      "\treturn tokens(src), #src\r\n"
      "end\r\n"
      "Handlers = {\r\n"
      "\ton_tick = function(self, dt)\r\n"
      "\t\tcoroutine.yield(dt)\r\n"
      "\tend,\r\n"
      "}\r\n";
  ParsedFile file = Lua(text);
  EXPECT_EQ(Describe(Named(file, "parse").facts), "(src) returns=yes gen=no raises=yes");
  // An explicit `self` is an ordinary parameter.
  EXPECT_EQ(Describe(Named(file, "Handlers.on_tick").facts), "(self, dt) returns=no gen=yes raises=no");
}

TEST(LuaFacts, NestedFunctionsDoNotCount) {
  const std::string text =
      "function run(jobs)\n"
      "  local function fail(msg) error(msg) end\n"
      "  local co = coroutine.wrap(function() coroutine.yield(1) end)\n"
      "  table.sort(jobs, function(a, b) return a.prio < b.prio end)\n"
      "  local ok = pcall(function() return jobs[1]() end)\n"
      "  self:error('not a raise')\n"
      "end\n";
  ParsedFile file = Lua(text);
  EXPECT_EQ(Describe(Named(file, "run").facts), "(jobs) returns=no gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "run.fail").facts), "(msg) returns=no gen=no raises=yes");
}

}  // namespace
}  // namespace scale::languages
