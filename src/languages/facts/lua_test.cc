// Golden tests for the Lua fact reader (facts/lua.cc): each routine's facts as one line.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "languages/language.h"

namespace scale::languages {
namespace {

const Routine& Named(const ParsedFile& file, std::string_view name) {
  for (const Routine& r : file.routines) {
    if (r.qualified_name == name) return r;
  }
  ADD_FAILURE() << "no routine " << name;
  static const Routine none;
  return none;
}

const char* KnownText(Known k) { return k == Known::kYes ? "yes" : k == Known::kNo ? "no" : "?"; }

// Every field of the facts, so that a golden line catches any change.
std::string Describe(const RoutineFacts& f) {
  std::string out;
  if (f.has_parameters) {
    out += "(";
    for (size_t i = 0; i < f.parameters.size(); ++i) {
      const Parameter& p = f.parameters[i];
      if (i > 0) out += ", ";
      out += p.kind == Parameter::kVariadic ? "*" : p.kind == Parameter::kKeywords ? "**" : p.kind == Parameter::kBlock ? "&" : "";
      out += p.name;
      if (!p.members.empty()) {
        out += "{";
        for (size_t m = 0; m < p.members.size(); ++m) out += (m ? "," : "") + p.members[m];
        out += "}";
      }
      if (p.optional) out += "?";
    }
    out += ")";
  } else {
    out += "no-params";
  }
  if (!f.parameters_complete) out += " incomplete";
  for (const std::string& r : f.receivers) out += " recv=" + r;
  for (const std::string& t : f.type_parameters) out += " tparam=" + t;
  out += std::string(" returns=") + KnownText(f.returns_value);
  out += std::string(" gen=") + KnownText(f.generator);
  out += std::string(" raises=") + KnownText(f.raises);
  for (const std::string& r : f.raised) out += " raised=" + r;
  if (f.returns_result != Known::kUnknown) out += std::string(" result=") + KnownText(f.returns_result);
  if (f.async) out += " async";
  if (f.constructor) out += " ctor";
  if (!f.return_type.empty()) out += " type=" + f.return_type;
  return out;
}

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
