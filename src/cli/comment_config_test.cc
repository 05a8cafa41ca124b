// The [comment] table of .scale.toml as parse options (cli/comment_config.h), and end to end:
// a pinned style reaches the file and `--json`, a learned one is reported, bad pins are one line.
#include "cli/comment_config.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::cli {
namespace {

using languages::LanguageNamed;

std::string UsageErrorOf(const settings::CommentConfig& config) {
  try {
    ResolveCommentConfig(config);
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(CommentConfig, PinsBecomeStylesPerLanguageAndBadOnesAreRefused) {
  settings::CommentConfig config;
  config.macros = {"LUA_API", "ZEXPORT"};
  config.styles["c"] = {"x.toml:4", "", "/*", "** ", "*/", 100, ""};
  config.styles["rb"] = {"x.toml:9", "# ", "", "", "", 90, ""};
  CommentParseConfig resolved = ResolveCommentConfig(config);
  languages::ParseOptions c = ParseOptionsFor("src/lapi.h", LanguageNamed("c"), resolved);
  EXPECT_TRUE(c.c_header);
  EXPECT_EQ(c.macros, config.macros);
  ASSERT_TRUE(c.style.has_value());
  EXPECT_EQ(c.style->origin, "project");
  EXPECT_EQ(c.style->open, "/*");
  EXPECT_EQ(c.style->width, 100);
  languages::ParseOptions ruby = ParseOptionsFor("a.rb", LanguageNamed("ruby"), resolved);
  ASSERT_TRUE(ruby.style.has_value());
  EXPECT_TRUE(ruby.style->lines);
  EXPECT_EQ(ruby.style->gutter, "# ");
  EXPECT_EQ(ruby.style->width, 90);
  EXPECT_FALSE(ParseOptionsFor("a.py", LanguageNamed("python"), resolved).style.has_value());

  settings::CommentConfig bad;
  bad.macros_where = "x.toml:2";
  bad.macros = {"NOT A NAME"};
  EXPECT_NE(UsageErrorOf(bad).find("x.toml:2: comment.macros: 'NOT A NAME' is not an identifier"), std::string::npos);
  bad = {};
  bad.styles["cobol"] = {"x.toml:3", "* ", "", "", "", 0, ""};
  EXPECT_NE(UsageErrorOf(bad).find("x.toml:3: comment.style.cobol: unknown language"), std::string::npos);
  bad = {};
  bad.styles["java"] = {"x.toml:5", "", "/*", "", "", 0, ""};
  EXPECT_NE(UsageErrorOf(bad).find("x.toml:5: comment.style.java: java tools read only '/**'"), std::string::npos);
}

// preset names a style: Doxygen or plain blocks for C and C++, docstring sections for Python;
// the explicit keys refine it, and a name the language has no such style for is refused.
TEST(CommentConfig, PresetsNameTheStyles) {
  settings::CommentConfig config;
  config.styles["c"] = {"x.toml:2", "", "", "", "", 0, "", "doxygen"};
  config.styles["cpp"] = {"x.toml:4", "", "", "", "", 100, "", "plain"};
  config.styles["python"] = {"x.toml:6", "", "", "", "", 0, "", "numpy"};
  CommentParseConfig resolved = ResolveCommentConfig(config);
  const languages::DocStyle& c = resolved.styles.at(LanguageNamed("c"));
  EXPECT_FALSE(c.lines);
  EXPECT_EQ(c.open, "/**");
  EXPECT_EQ(c.gutter, " * ");
  EXPECT_EQ(c.close, " */");
  EXPECT_EQ(c.sections, "");
  const languages::DocStyle& cpp = resolved.styles.at(LanguageNamed("cpp"));
  EXPECT_EQ(cpp.open, "/*") << "plain: a comment Doxygen does not read";
  EXPECT_EQ(cpp.sections, "plain") << "the prompt is told to leave out @param/@return";
  EXPECT_EQ(cpp.width, 100);
  EXPECT_EQ(resolved.styles.at(LanguageNamed("python")).sections, "numpy");

  settings::CommentConfig bad;
  bad.styles["python"] = {"x.toml:7", "", "", "", "", 0, "", "doxygen"};
  EXPECT_NE(UsageErrorOf(bad).find("x.toml:7: comment.style.python.preset: 'doxygen' is not a preset for python "
                                   "(c and cpp: doxygen, plain; python: google, numpy, sphinx)"),
            std::string::npos);
  bad.styles.clear();
  bad.styles["ruby"] = {"x.toml:9", "", "", "", "", 0, "", "plain"};
  EXPECT_NE(UsageErrorOf(bad).find("x.toml:9: comment.style.ruby.preset: 'plain' is not a preset for ruby"), std::string::npos);
  bad.prefix = "tool.scale.";  // read from a pyproject.toml: messages name the key as written there
  EXPECT_NE(UsageErrorOf(bad).find("x.toml:9: tool.scale.comment.style.ruby.preset: 'plain'"), std::string::npos);
}

// Through the binary with the real model: the file's own style is reported, and a project pin wins.
TEST(CommentConfig, LearnedAndPinnedStylesEndToEnd) {
  testing::TempDir dir;
  const std::string sqlite =
      "/*\n** One.\n*/\nstatic int one(void){ return 1; }\n\n/*\n** Two.\n*/\nstatic int two(void){ return 2; }\n\n"
      "static int three(void){ return 3; }\n";
  std::string file = dir.Write("proj/func.c", sqlite);
  std::vector<std::string> args = {"comment", "-m", scale::testing::StoriesModel(), "--format", "raw",
                                   "--max-tokens", "12", "--json", "-i", file};
  auto r = scale::testing::RunScaleWith(args, {{"SCALE_HOME", dir.file("home")}}, dir.file("proj"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto report = nlohmann::json::parse(r.out);
  const auto& style = report["files"][0]["doc_style"];
  EXPECT_EQ(style["origin"], "file");
  EXPECT_EQ(style["samples"], 2);
  EXPECT_EQ(style["open"], "/*");
  EXPECT_EQ(style["gutter"], "** ");
  std::string after = ReadFile(file);
  size_t three = after.find("static int three");
  ASSERT_NE(three, std::string::npos);
  EXPECT_EQ(after.rfind("*/\n", three), three - 3) << after;      // a new comment right above, closed with `*/`
  EXPECT_NE(after.substr(0, three).rfind("\n/*\n** "), std::string::npos) << after;

  // A pin in the project's .scale.toml: new comments are written as it says, whatever the file does.
  dir.Write("proj/.scale.toml", "[comment.style.c]\nopen = \"/**\"\ngutter = \" * \"\nclose = \" */\"\n");
  dir.Write("proj/func.c", sqlite);
  r = scale::testing::RunScaleWith(args, {{"SCALE_HOME", dir.file("home")}}, dir.file("proj"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["files"][0]["doc_style"]["origin"], "project");
  after = ReadFile(file);
  EXPECT_NE(after.find("/**\n * "), std::string::npos) << after;

  // A pin the language cannot use is one line and exit 2, before any model is loaded.
  dir.Write("proj/.scale.toml", "[comment.style.c]\nclose = \"**\"\n");
  r = scale::testing::RunScaleWith(args, {{"SCALE_HOME", dir.file("home")}}, dir.file("proj"));
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_NE(r.err.find(".scale.toml:1: comment.style.c: the closing '**' does not end with */"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace scale::cli
