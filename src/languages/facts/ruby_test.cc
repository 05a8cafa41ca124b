// Golden tests for the Ruby fact reader (facts/ruby.cc): each routine's facts as one line.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "languages/facts/facts_test_util.h"
#include "languages/language.h"

namespace scale::languages {
namespace {

using facts_test::Describe;
using facts_test::Named;

TEST(RubyFacts, ParameterKindsAndConstructor) {
  const std::string text =
      "class Client < Base\n"
      "  def initialize(host, port = 80, *rest, timeout:, retries: 3, **opts, &on_error)\n"
      "    raise ArgumentError, 'host' if host.nil?\n"
      "    @host = host\n"
      "  end\n"
      "\n"
      "  def host=(value)\n"
      "    @host = value\n"
      "  end\n"
      "end\n"
      "module Util; end\n";
  ParsedFile file = Parse(LanguageNamed("ruby"), text);
  EXPECT_EQ(Describe(Named(file, "Client").facts), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Describe(Named(file, "Util").facts), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Describe(Named(file, "Client.initialize").facts),
            "(host, port?, *rest, timeout, retries?, **opts, &on_error) returns=no gen=no raises=yes "
            "raised=ArgumentError ctor");
  EXPECT_EQ(Describe(Named(file, "Client.host=").facts), "(value) returns=no gen=no raises=no");
}

TEST(RubyFacts, ImplicitReturnsAreUnknown) {
  const std::string text =
      "def total(items)\n"
      "  items.sum\n"
      "end\n"
      "def find(id)\n"
      "  return nil unless id\n"
      "  items.each { |i| return i if i.id == id }\n"
      "end\n"
      "def early(x)\n"
      "  return if x\n"
      "  log(x)\n"
      "end\n"
      "def double(x) = x * 2\n"
      "def nop; end\n";
  ParsedFile file = Parse(LanguageNamed("ruby"), text);
  EXPECT_EQ(Describe(Named(file, "total").facts), "(items) returns=? gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "find").facts), "(id) returns=yes gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "early").facts), "(x) returns=? gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "double").facts), "(x) returns=? gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "nop").facts), "() returns=? gen=no raises=no");
}

TEST(RubyFacts, YieldAndRaiseInsideBlocksCount) {
  const std::string text =
      "class List\n"
      "  def each\n"
      "    @items.each do |item|\n"
      "      raise StopIteration if item.nil?\n"
      "      yield item\n"
      "    end\n"
      "  end\n"
      "\n"
      "  private def check(x)\n"
      "    fail Errors::Invalid.new(x) unless x\n"
      "    raise \"bad #{x}\" if x == 0\n"
      "    raise(IOError, 'io')\n"
      "  rescue KeyError => e\n"
      "    raise e\n"
      "  rescue IndexError\n"
      "    raise\n"
      "  end\n"
      "\n"
      "  def self.build(...) = new(...)\n"
      "end\n";
  ParsedFile file = Parse(LanguageNamed("ruby"), text);
  EXPECT_EQ(Describe(Named(file, "List.each").facts), "() returns=? gen=yes raises=yes raised=StopIteration");
  EXPECT_EQ(Describe(Named(file, "List.check").facts),
            "(x) returns=? gen=no raises=yes raised=Errors::Invalid raised=RuntimeError raised=IOError");
  EXPECT_EQ(Describe(Named(file, "List.self.build").facts), "() incomplete returns=? gen=no raises=no");
}

TEST(RubyFacts, NestedDefinitionsAndLambdasDoNotCount) {
  const std::string text =
      "def outer(list)\r\n"
      "\tchecker = ->(x) { raise ArgumentError unless x; return x }\r\n"
      "\tmapper = lambda do |x|\r\n"
      "\t\treturn x * 2\r\n"
      "\tend\r\n"
      "\tdef inner(y)\r\n"
      "\t\tyield y\r\n"
      "\tend\r\n"
      "\tlist.map(&mapper)\r\n"
      "end\r\n";
  ParsedFile file = Parse(LanguageNamed("ruby"), text);
  EXPECT_EQ(Describe(Named(file, "outer").facts), "(list) returns=? gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "outer.inner").facts), "(y) returns=? gen=yes raises=no");
}

TEST(RubyFacts, DestructuredAndAnonymousParameters) {
  const std::string text =
      "def pairs(first, (key, (value, *extra)), *, **nil, &)\n"
      "  [first, key, value, extra]\n"
      "end\n"
      "def opts(a, *, **, &) = a\n";
  ParsedFile file = Parse(LanguageNamed("ruby"), text);
  EXPECT_EQ(Describe(Named(file, "pairs").facts), "(first, {key,value,extra}) returns=? gen=no raises=no");
  EXPECT_EQ(Describe(Named(file, "opts").facts), "(a) returns=? gen=no raises=no");
}

}  // namespace
}  // namespace scale::languages
