// Tests of loading scale-cfg: the shipped prompts load, and missing pieces are usage errors.
#include "annotate/config.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::annotate {
namespace {

using languages::Language;

TEST(ConfigTest, ShippedPromptsLoadWithExamplesAndRules) {
  Prompts p = LoadPrompts(std::string(SCALE_SOURCE_DIR) + "/scale-cfg",
                          {Language::kPython, Language::kC, Language::kJavaScript});
  EXPECT_NE(p.system.find("no code"), std::string::npos);
  EXPECT_NE(p.summary.find("summary"), std::string::npos);
  for (auto language : {Language::kPython, Language::kC, Language::kJavaScript}) {
    const std::string& t = p.Template(language);
    EXPECT_NE(t.find("EXAMPLE 1 (complex)"), std::string::npos) << LanguageName(language);
    EXPECT_NE(t.find("EXAMPLE 2 (mid-size)"), std::string::npos);
    EXPECT_NE(t.find("EXAMPLE 3 (trivial)"), std::string::npos);
    EXPECT_NE(t.find("EVERY parameter"), std::string::npos);
    EXPECT_NE(t.back(), '\n');  // trailing blank lines trimmed
  }
}

TEST(ConfigTest, MissingTemplateIsAUsageError) {
  testing::TempDir dir;
  dir.Write("comment.txt", "system\n");
  dir.Write("summary.txt", "summary\n");
  dir.Write("python.txt", "py\n");
  EXPECT_EQ(LoadPrompts(dir.path(), {Language::kPython}).Template(Language::kPython), "py");
  try {
    LoadPrompts(dir.path(), {Language::kPython, Language::kC});
    FAIL() << "no error for a missing c.txt";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_NE(std::string(e.what()).find("c.txt"), std::string::npos) << e.what();
  }
}

TEST(ConfigTest, EmptyPromptIsAUsageError) {
  testing::TempDir dir;
  dir.Write("comment.txt", "  \n\n");
  dir.Write("summary.txt", "summary\n");
  try {
    LoadPrompts(dir.path(), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos);
  }
}

TEST(ConfigTest, ConfigFlagMustBeADirectory) {
  EXPECT_THROW(FindConfigDir("/nonexistent/scale-cfg"), Error);
  testing::TempDir dir;
  EXPECT_EQ(FindConfigDir(dir.path().string()), dir.path());
  // Without the flag the source tree's scale-cfg is found.
  EXPECT_TRUE(std::filesystem::exists(FindConfigDir("") / "comment.txt"));
}

}  // namespace
}  // namespace scale::annotate
