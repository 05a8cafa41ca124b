// Golden tests for the Ruby worker (unit tests, no model): input + comments -> exact output, and
// the round trip over the Ruby standard library judged by Ruby itself.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "languages/language.h"
#include "languages/roundtrip_util.h"
#include "languages/test_util.h"

namespace scale::languages {
namespace {

namespace fs = std::filesystem;
using testing::Names;
using testing::Patch;
using testing::Replaced;

ParsedFile Rb(std::string text) { return Parse(LanguageNamed("ruby"), std::move(text)); }

std::string Skips(const ParsedFile& f) {
  std::string out;
  for (const Routine& r : f.routines) {
    if (!r.skip_reason.empty()) out += r.qualified_name + ": " + r.skip_reason + "\n";
  }
  return out;
}

const char* kLibrary =
    "#!/usr/bin/env ruby\n"
    "# frozen_string_literal: true\n"
    "\n"
    "# Copyright 2024 Example Corp.\n"
    "# SPDX-License-Identifier: MIT\n"
    "\n"
    "require \"set\"\n"
    "\n"
    "module Shapes\n"
    "  # Old doc of Circle.\n"
    "  # @see Square\n"
    "  class Circle < Base\n"
    "    attr_reader :r\n"
    "\n"
    "    def initialize(r)\n"
    "      @r = r\n"
    "    end\n"
    "\n"
    "    def area = 3.14 * r * r\n"
    "    def empty?; r.zero?; end\n"
    "\n"
    "    # rubocop:disable Metrics/AbcSize\n"
    "    def ==(other)\n"
    "      other.is_a?(Circle) && other.r == r\n"
    "    end\n"
    "    # rubocop:enable Metrics/AbcSize\n"
    "\n"
    "    private def helper(x)\n"
    "      def inner; end\n"
    "      x\n"
    "    end\n"
    "\n"
    "    def self.unit\n"
    "      new(1)\n"
    "    end\n"
    "\n"
    "    class << self\n"
    "      def zero\n"
    "        new(0)\n"
    "      end\n"
    "    end\n"
    "\n"
    "    define_method(:radius) { r }\n"
    "  end\n"
    "\n"
    "  class Internal # :nodoc: all\n"
    "    def hidden; end\n"
    "  end\n"
    "\n"
    "  # :nodoc:\n"
    "  def self_helper; end\n"
    "\n"
    "  def quiet # :nodoc:\n"
    "  end\n"
    "end\n"
    "\n"
    "class Shapes::Square; def side; end; end\n"
    "\n"
    "=begin\n"
    "Old block doc of top.\n"
    "=end\n"
    "def top\n"
    "  <<~TEXT\n"
    "    # not a comment\n"
    "  TEXT\n"
    "end\n";

TEST(Ruby, FindsClassesModulesAndMethodsNestedInTheirScope) {
  ParsedFile f = Rb(kLibrary);
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{
                          "module Shapes", "class Shapes.Circle", "method Shapes.Circle.initialize",
                          "method Shapes.Circle.area", "method Shapes.Circle.empty?", "method Shapes.Circle.==",
                          "method Shapes.Circle.helper", "function Shapes.Circle.helper.inner",
                          "singleton_method Shapes.Circle.self.unit", "method Shapes.Circle.zero",
                          "class Shapes.Internal", "method Shapes.Internal.hidden", "method Shapes.self_helper",
                          "method Shapes.quiet", "class Shapes.Square", "method Shapes.Square.side", "function top"}));
  EXPECT_EQ(f.routines[1].signature, "class Circle < Base");
  EXPECT_EQ(f.routines[1].existing_comment, "Old doc of Circle.\n@see Square");
  EXPECT_EQ(f.routines[3].signature, "def area");
  EXPECT_EQ(f.routines[6].signature, "private def helper(x)");
  EXPECT_EQ(f.routines[16].existing_comment, "Old block doc of top.");
  EXPECT_FALSE(f.routines[0].has_comment);  // the licence belongs to the file
  EXPECT_EQ(Skips(f),
            "Shapes.Circle.self.unit: singleton method (def self.x): left alone\n"
            "Shapes.Internal: marked # :nodoc: (RDoc and YARD leave it undocumented)\n"
            "Shapes.Internal.hidden: marked # :nodoc: (RDoc and YARD leave it undocumented)\n"
            "Shapes.self_helper: marked # :nodoc: (RDoc and YARD leave it undocumented)\n"
            "Shapes.quiet: marked # :nodoc: (RDoc and YARD leave it undocumented)\n"
            "Shapes.Square.side: shares its line with code before it\n");
}

TEST(Ruby, CommentsGoAboveDefsReplacingOldDocsAndKeepingDirectives) {
  ParsedFile f = Rb(kLibrary);
  std::string out = Patch(f, {{"Shapes", "Shapes of the plane."},
                              {"Shapes.Circle", "A circle.\n\n@param r [Numeric] the radius"},
                              {"Shapes.Circle.area", "The area.\n@return [Float]"},
                              {"Shapes.Circle.empty?", "Whether r is zero."},
                              {"Shapes.Circle.==", "Same radius."},
                              {"Shapes.Circle.helper", "Helps."},
                              {"Shapes.Circle.zero", "The empty circle."},
                              {"Shapes.Square", "A square."},
                              {"top", "The top text."}});
  EXPECT_EQ(out, Replaced(kLibrary, {
                     {"module Shapes\n", "# Shapes of the plane.\nmodule Shapes\n"},
                     {"  # Old doc of Circle.\n  # @see Square\n", "  # A circle.\n  #\n  # @param r [Numeric] the radius\n"},
                     {"    def area", "    # The area.\n    # @return [Float]\n    def area"},
                     {"    def empty?", "    # Whether r is zero.\n    def empty?"},
                     // rubocop:disable governs up to its :enable: the doc goes next to the code.
                     {"    def ==", "    # Same radius.\n    def =="},
                     {"    private def", "    # Helps.\n    private def"},
                     {"      def zero", "      # The empty circle.\n      def zero"},
                     {"class Shapes::Square", "# A square.\nclass Shapes::Square"},
                     {"=begin\nOld block doc of top.\n=end\n", "# The top text.\n"},
                 }));
}

TEST(Ruby, ClassifyCommentKnowsMagicCommentsAndTools) {
  Language rb = LanguageNamed("ruby");
  EXPECT_EQ(ClassifyComment(rb, "#!/usr/bin/env ruby"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(rb, "# frozen_string_literal: true"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(rb, "# encoding: ascii-8bit"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(rb, "# -*- coding: utf-8 -*-"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(rb, "# rubocop:disable Style/Foo"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(rb, "# :nodoc:"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(rb, "# typed: strict"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(rb, "# vim: set ft=ruby:"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(rb, "# Returns the sum."), CommentRole::kDoc);
  EXPECT_EQ(ClassifyComment(rb, "=begin\nA doc.\n=end"), CommentRole::kDoc);
  EXPECT_EQ(ClassifyComment(rb, "# ----------"), CommentRole::kOther);
}

TEST(Ruby, DirectivesAboveARoutineStayAndTheDocGoesBelowThem) {
  const std::string src =
      "# frozen_string_literal: true\n"
      "class A\n"
      "end\n";
  ParsedFile f = Rb(src);
  ASSERT_EQ(f.routines.size(), 1u);
  EXPECT_FALSE(f.routines[0].has_comment);
  EXPECT_EQ(Patch(f, {{"A", "An A."}}), Replaced(src, {{"class A\n", "# An A.\nclass A\n"}}));
}

TEST(Ruby, ARoutineRightUnderALicenceRunIsSkippedSinceADocWouldJoinIt) {
  ParsedFile f = Rb("class A\n  # Permission is hereby granted, free of charge\n  def b; end\nend\n");
  ASSERT_EQ(f.routines.size(), 2u);
  EXPECT_EQ(f.routines[1].skip_reason, "a licence comment right above: a new # doc would join it");
}

TEST(Ruby, CrlfTabsAndBomAreKept) {
  const std::string src =
      "\xEF\xBB\xBFmodule M\r\n"
      "\t# old\r\n"
      "\tdef f(a)\r\n"
      "\t\ta\r\n"
      "\tend\r\n"
      "\r\n"
      "\tdef g\r\n"
      "\tend\r\n"
      "end\r\n";
  ParsedFile f = Rb(src);
  EXPECT_EQ(f.eol, "\r\n");
  EXPECT_EQ(Names(f), (std::vector<std::string>{"module M", "method M.f", "method M.g"}));
  std::string out = Patch(f, {{"M", "Em."}, {"M.f", "New f.\nTwo lines."}, {"M.g", "Gee."}});
  EXPECT_EQ(out, Replaced(src, {{"\xEF\xBB\xBFmodule M", "\xEF\xBB\xBF# Em.\r\nmodule M"},
                                {"\t# old\r\n", "\t# New f.\r\n\t# Two lines.\r\n"},
                                {"\tdef g", "\t# Gee.\r\n\tdef g"}}));
}

TEST(Ruby, RoutineViewShowsChildrenAsSignatureAndComment) {
  ParsedFile f = Rb("class K\n  X = 1\n\n  def a(x)\n    x\n  end\nend\n");
  std::string view = RoutineView(f, 0, {{1, "Returns x."}});
  EXPECT_EQ(view, "class K\n  X = 1\n\n  # Returns x.\n  def a(x) ...\nend");
}

// --- round trip over real code -----------------------------------------------------------------

// Ruby's own verdict: the patched file still compiles when the original did, and Ripper's tokens
// (comments, spaces and newlines left out) are the same.
constexpr const char* kRubyJudge = R"RB(
require 'ripper'
SKIP = %i[on_comment on_sp on_nl on_ignored_nl on_embdoc_beg on_embdoc on_embdoc_end].freeze
def toks(s) = Ripper.lex(s).reject { |_, t, _| SKIP.include?(t) }.map { |_, t, v| [t, v] }
def compiles?(s)
  RubyVM::InstructionSequence.compile(s)
  true
rescue SyntaxError
  false
end
a = File.read(ARGV[0], mode: 'rb')
b = File.read(ARGV[1], mode: 'rb')
if compiles?(a) && !compiles?(b)
  puts 'patched file does not compile'
  exit
end
ta = toks(a)
tb = toks(b)
if ta != tb
  i = ta.zip(tb).index { |x, y| x != y } || [ta.size, tb.size].min
  puts "token #{i}: #{ta[i].inspect} became #{tb[i].inspect}"
  exit
end
puts 'OK'
)RB";

std::string RunRubyJudge(const fs::path& judge, const std::string& original, const std::string& patched) {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() / ("scale-ruby-judge-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string n = std::to_string(counter++);
  fs::path a = dir / (n + "-a.rb"), b = dir / (n + "-b.rb");
  std::ofstream(a, std::ios::binary) << original;
  std::ofstream(b, std::ios::binary) << patched;
  std::string cmd = "ruby " + judge.string() + " " + a.string() + " " + b.string() + " 2>/dev/null";
  std::string result;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[512];
    while (fgets(buf, sizeof buf, p)) result += buf;
    pclose(p);
  }
  fs::remove(a);
  fs::remove(b);
  while (!result.empty() && result.back() == '\n') result.pop_back();
  return result == "OK" ? "" : "ruby: " + (result.empty() ? std::string("no answer") : result);
}

fs::path RubyCorpus() {
#ifdef SCALE_RUBY_CORPUS
  return SCALE_RUBY_CORPUS;
#else
  const char* env = std::getenv("SCALE_RUBY_CORPUS");  // local runs before the build wires it in
  return env ? fs::path(env) : fs::path();
#endif
}

TEST(Ruby, RoundTripOverTheStandardLibrary) {
  fs::path root = RubyCorpus();
  if (root.empty()) GTEST_SKIP() << "no Ruby corpus: SCALE_RUBY_CORPUS (Debian source ruby3.1, lib/) is not set";
  std::vector<std::pair<fs::path, Language>> files;
  testing::Gather(root, {".rb", ".rake", ".gemspec"}, LanguageNamed("ruby"), files);
  ASSERT_GT(files.size(), 500u) << "the Ruby corpus in " << root << " looks incomplete";
  testing::Judge judge;
  if (std::system("ruby -e 'exit 0' >/dev/null 2>&1") == 0) {
    fs::path script = fs::temp_directory_path() / ("scale-ruby-judge-" + std::to_string(::getpid()) + ".rb");
    std::ofstream(script) << kRubyJudge;
    judge = [script](const fs::path&, const std::string& a, const std::string& b) { return RunRubyJudge(script, a, b); };
  } else {
    std::printf("[ruby] no ruby on PATH: the independent judge is left out\n");
  }
  testing::RunAll("ruby", files, judge);
}

}  // namespace
}  // namespace scale::languages
