#include "eval/dataset.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::eval {
namespace {

TEST(FirstParagraph, StopsAtBlankLineAndTags) {
  EXPECT_EQ(FirstParagraph("Returns the sum.\n\nMore text."), "Returns the sum.");
  EXPECT_EQ(FirstParagraph("  Spans\n  two   lines.\n"), "Spans two lines.");
  EXPECT_EQ(FirstParagraph("Summary line.\n@param x the x\n@return y"), "Summary line.");
  EXPECT_EQ(FirstParagraph("Summary.\nArgs:\n    x: the x."), "Summary.");
  EXPECT_EQ(FirstParagraph("Summary.\n:param x: the x"), "Summary.");
  EXPECT_EQ(FirstParagraph("\n\n  Leading blank lines.\n"), "Leading blank lines.");
  EXPECT_EQ(FirstParagraph(""), "");
  EXPECT_EQ(FirstParagraph("@return nothing"), "");
}

TEST(LoadDataset, CodeXGlueRowsUseDocstringTokens) {
  testing::TempDir dir;
  std::string path = dir.Write("d.jsonl",
                               R"({"code":"def a\nend","docstring":"Does A, twice.\n\n@return x","docstring_tokens":["Does","A","twice","."],"language":"ruby","func_name":"Foo.a"})"
                               "\n\n"
                               R"({"code":"int b(void);","docstring":"First para.\n\nSecond.","language":"C"})"
                               "\n");
  std::vector<EvalRow> rows = LoadDataset(path, {});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].reference, "Does A twice .");  // the tokens, exactly what CodeXGLUE scores
  EXPECT_EQ(rows[0].id, "Foo.a");
  EXPECT_EQ(rows[0].language, "ruby");
  EXPECT_EQ(rows[0].code, "def a\nend");
  EXPECT_EQ(rows[1].reference, "First para.");     // no tokens: first paragraph of the docstring
  EXPECT_EQ(rows[1].id, "row-1");
  EXPECT_EQ(rows[1].language, "c");
  EXPECT_EQ(rows[1].index, 1u);
}

TEST(LoadDataset, FieldsLimitAndLanguageOverride) {
  testing::TempDir dir;
  std::string path = dir.Write("d.jsonl", R"({"src":"x = 1","summary":"Sets x."})" "\n"
                                          R"({"src":"y = 2","summary":"Sets y."})" "\n");
  DatasetOptions o;
  o.code_field = "src";
  o.ref_field = "summary";
  o.language = "Python";
  o.limit = 1;
  std::vector<EvalRow> rows = LoadDataset(path, o);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].code, "x = 1");
  EXPECT_EQ(rows[0].reference, "Sets x.");
  EXPECT_EQ(rows[0].language, "python");
}

TEST(LoadDataset, ErrorsAreOneLineWithExitCodes) {
  testing::TempDir dir;
  auto code_of = [&](const std::string& content, DatasetOptions o = {}) {
    try {
      LoadDataset(dir.Write("e.jsonl", content), o);
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
      return e.exit_code();
    }
    return 0;
  };
  EXPECT_EQ(code_of("not json\n"), kExitInput);
  EXPECT_EQ(code_of(R"({"docstring":"x","language":"go"})" "\n"), kExitInput);   // no code
  EXPECT_EQ(code_of(R"({"code":"x","language":"go"})" "\n"), kExitInput);        // no reference
  EXPECT_EQ(code_of(R"({"code":"x","docstring":"d"})" "\n"), kExitUsage);        // no language
  EXPECT_EQ(code_of("\n\n"), kExitInput);                                         // no rows
  EXPECT_THROW(LoadDataset(dir.file("missing.jsonl"), {}), Error);
}

}  // namespace
}  // namespace scale::eval
