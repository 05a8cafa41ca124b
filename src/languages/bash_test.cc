// Golden tests for the Bash worker (unit tests, no model): input + comments -> exact output, and
// the round trip over bash-completion's scripts judged by bash itself.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "languages/language.h"
#include "languages/roundtrip_util.h"
#include "languages/test_util.h"

namespace scale::languages {
namespace {

namespace fs = std::filesystem;
using testing::Names;
using testing::Patch;
using testing::Replaced;

ParsedFile Sh(std::string text) { return Parse(LanguageNamed("bash"), std::move(text)); }

const char* kScript =
    "#!/usr/bin/env bash\n"
    "# -*- mode: sh -*-\n"
    "#\n"
    "# Copyright (C) 2020 Example\n"
    "# SPDX-License-Identifier: GPL-2.0-or-later\n"
    "\n"
    "set -euo pipefail\n"
    "\n"
    "# Old doc of usage.\n"
    "# Prints help.\n"
    "usage() {\n"
    "  cat <<EOF\n"
    "# not a comment: heredoc text\n"
    "usage: x\n"
    "EOF\n"
    "}\n"
    "\n"
    "# shellcheck disable=SC2034\n"
    "function main {\n"
    "  helper() { echo \"$1\"; }\n"
    "  if true; then\n"
    "    deep() ( : )\n"
    "  fi\n"
    "  helper a\n"
    "}\n"
    "\n"
    "function both() {\n"
    "  :\n"
    "}\n"
    "x=1; late() { :; }\n"
    "main \"$@\"\n"
    "# vim: set ft=sh:\n";

TEST(Bash, FindsFunctionsInEverySpellingNestedInTheirFunction) {
  ParsedFile f = Sh(kScript);
  EXPECT_FALSE(f.has_syntax_errors);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"function usage", "function main", "function main.helper",
                                                "function main.deep", "function both", "function late"}));
  EXPECT_EQ(f.routines[0].signature, "usage()");
  EXPECT_EQ(f.routines[0].existing_comment, "Old doc of usage.\nPrints help.");
  EXPECT_EQ(f.routines[1].signature, "function main");
  EXPECT_FALSE(f.routines[1].has_comment);
  EXPECT_EQ(f.routines[4].signature, "function both()");
  EXPECT_EQ(f.routines[5].skip_reason, "shares its line with code before it");
}

TEST(Bash, CommentsGoAboveShellcheckDirectivesAndReplaceOldOnes) {
  ParsedFile f = Sh(kScript);
  std::string out = Patch(f, {{"usage", "Prints the usage text."},
                              {"main", "Runs the tool.\n\nArguments: the command line."},
                              {"main.helper", "Echoes its first argument."},
                              {"main.deep", "Does nothing in a subshell."},
                              {"both", "Both spellings."}});
  EXPECT_EQ(out, Replaced(kScript, {
                     {"# Old doc of usage.\n# Prints help.\n", "# Prints the usage text.\n"},
                     {"# shellcheck disable", "# Runs the tool.\n#\n# Arguments: the command line.\n# shellcheck disable"},
                     {"  helper()", "  # Echoes its first argument.\n  helper()"},
                     {"    deep()", "    # Does nothing in a subshell.\n    deep()"},
                     {"function both", "# Both spellings.\nfunction both"},
                 }));
}

TEST(Bash, ClassifyCommentKnowsShellcheckAndModelines) {
  Language sh = LanguageNamed("bash");
  EXPECT_EQ(ClassifyComment(sh, "#!/bin/sh"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(sh, "# shellcheck disable=SC2086"), CommentRole::kNextLineDirective);
  EXPECT_EQ(ClassifyComment(sh, "# shellcheck source=lib.sh"), CommentRole::kNextLineDirective);
  EXPECT_EQ(ClassifyComment(sh, "# -*- shell-script -*-"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(sh, "# vim: ft=sh"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(sh, "# ex: filetype=sh"), CommentRole::kDirective);
  EXPECT_EQ(ClassifyComment(sh, "# Prints help."), CommentRole::kDoc);
  EXPECT_EQ(ClassifyComment(sh, "###########"), CommentRole::kOther);
}

TEST(Bash, ARoutineRightUnderALicenceRunIsSkippedSinceADocWouldJoinIt) {
  ParsedFile f = Sh("# Copyright (C) 2020 Example\nf() { :; }\n");
  ASSERT_EQ(f.routines.size(), 1u);
  EXPECT_EQ(f.routines[0].skip_reason, "a licence comment right above: a new # doc would join it");
}

TEST(Bash, CrlfTabsAndBomAreKept) {
  const std::string src =
      "\xEF\xBB\xBF" "f() {\r\n"
      "\t# old\r\n"
      "\tg() {\r\n"
      "\t\t:\r\n"
      "\t}\r\n"
      "}\r\n";
  ParsedFile f = Sh(src);
  EXPECT_EQ(f.eol, "\r\n");
  EXPECT_EQ(Names(f), (std::vector<std::string>{"function f", "function f.g"}));
  std::string out = Patch(f, {{"f", "Eff."}, {"f.g", "New g.\nTwo lines."}});
  EXPECT_EQ(out, Replaced(src, {{"\xEF\xBB\xBF" "f()", "\xEF\xBB\xBF# Eff.\r\nf()"},
                                {"\t# old\r\n", "\t# New g.\r\n\t# Two lines.\r\n"}}));
}

TEST(Bash, RoutineViewShowsChildrenAsSignatureAndComment) {
  ParsedFile f = Sh("f() {\n  g() {\n    :\n  }\n  g\n}\n");
  EXPECT_EQ(RoutineView(f, 0, {{1, "Gee."}}), "f() {\n  # Gee.\n  g() { ... }\n  g\n}");
}

// --- round trip over real code -----------------------------------------------------------------

// bash's own verdict, without running the script: the file's text becomes the body of a function
// that is defined, never called, and `declare -f` prints it back as bash parsed it - comments
// dropped, heredocs and strings kept. The patched file must print the same; `bash -n` must accept it.
std::string Declared(const fs::path& dir, const std::string& name, const std::string& text, bool* ok) {
  fs::path script = dir / (name + ".sh");
  std::ofstream(script, std::ios::binary) << "shopt -s extglob\n__scale_judge() {\n" << text << "\n:\n}\n"
                                          << "declare -f __scale_judge\n";
  std::string out;
  if (FILE* p = popen(("bash " + script.string() + " 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    *ok = pclose(p) == 0;
  }
  fs::remove(script);
  return out;
}

std::string BashJudge(const std::string& original, const std::string& patched) {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() / ("scale-bash-judge-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string n = std::to_string(counter++);
  bool ok_a = false, ok_b = false;
  std::string a = Declared(dir, n + "a", original, &ok_a);
  if (!ok_a) return "";  // bash cannot read the original either
  std::string b = Declared(dir, n + "b", patched, &ok_b);
  if (!ok_b) return "bash rejects the patched file";
  if (a != b) return "bash parses the patched file differently (declare -f)";
  fs::path file = dir / (n + "c.sh");
  std::ofstream(file, std::ios::binary) << patched;
  int rc = std::system(("bash -O extglob -n " + file.string() + " >/dev/null 2>&1").c_str());
  fs::remove(file);
  return rc == 0 ? "" : "bash -n rejects the patched file";
}

fs::path BashCorpus() {
#ifdef SCALE_BASH_CORPUS
  return SCALE_BASH_CORPUS;
#else
  const char* env = std::getenv("SCALE_BASH_CORPUS");  // local runs before the build wires it in
  return env ? fs::path(env) : fs::path();
#endif
}

// bash-completion's scripts: bash_completion itself and completions/* (no extension).
TEST(Bash, RoundTripOverBashCompletion) {
  fs::path root = BashCorpus();
  if (root.empty()) GTEST_SKIP() << "no Bash corpus: SCALE_BASH_CORPUS (Debian source bash-completion) is not set";
  std::vector<std::pair<fs::path, Language>> files;
  Language bash = LanguageNamed("bash");
  if (fs::is_regular_file(root / "bash_completion")) files.emplace_back(root / "bash_completion", bash);
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root / "completions", ec)) {
    if (e.is_regular_file() && !e.is_symlink() && e.path().filename() != "Makefile.am") found.push_back(e.path());
  }
  std::sort(found.begin(), found.end());
  for (auto& p : found) files.emplace_back(p, bash);
  testing::Gather(root, {".sh", ".bash"}, bash, files);
  ASSERT_GT(files.size(), 300u) << "the Bash corpus in " << root << " looks incomplete";
  testing::Judge judge;
  if (std::system("bash -c 'exit 0' >/dev/null 2>&1") == 0) {
    judge = [](const fs::path&, const std::string& a, const std::string& b) { return BashJudge(a, b); };
  }
  testing::RunAll("bash", files, judge);
}

}  // namespace
}  // namespace scale::languages
