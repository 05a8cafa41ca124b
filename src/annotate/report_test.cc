// Tests of the text and JSON reports built from pipeline results (no model involved).
#include "annotate/report.h"

#include <gtest/gtest.h>

namespace scale::annotate {
namespace {

FileResult Sample() {
  FileResult r;
  r.path = "a.py";
  r.language = "python";
  r.original = "x";
  r.output = "y";
  r.routines = {{0, "f", "function", 1, RoutineStatus::kCommented, ""},
                {1, "C", "class", 5, RoutineStatus::kUpdated, ""},
                {2, "C.m", "method", 6, RoutineStatus::kFailed, "answer is code, not a comment"},
                {3, "g", "function", 9, RoutineStatus::kSkipped, "inside a syntax error (lines 9-10)"}};
  r.requests = 4;
  r.prompt_tokens = 1000;
  r.cached_prompt_tokens = 600;
  r.completion_tokens = 80;
  r.seconds = 1.25;
  return r;
}

TEST(ReportTest, TextNamesFailuresAndSkipsWithReasons) {
  std::string text = FormatReport({Sample()});
  EXPECT_EQ(text,
            "a.py: 4 routines: 1 commented, 1 updated, 0 kept, 1 skipped, 1 failed; tokens 1000 in (600 cached), 80 out; "
            "1.2 s\n"
            "  failed method C.m (line 6): answer is code, not a comment\n"
            "  skipped function g (line 9): inside a syntax error (lines 9-10)\n");
}

TEST(ReportTest, RefusedFilesAndTotals) {
  std::string text = FormatReport({Sample(), RefusedFile("b.bin", "binary file (NUL byte at offset 3)"),
                                   RefusedFile("e.py", "empty file: nothing to do", FileStatus::kEmpty)});
  EXPECT_NE(text.find("b.bin: refused: binary file (NUL byte at offset 3)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("e.py: empty file: nothing to do\n"), std::string::npos) << text;
  EXPECT_NE(text.find("total: 3 files (1 failed or refused); 1 commented"), std::string::npos) << text;
}

TEST(ReportTest, JsonCarriesCountsRoutinesAndTotals) {
  auto j = ReportJson({Sample(), RefusedFile("b.bin", "binary")});
  ASSERT_EQ(j["files"].size(), 2u);
  const auto& f = j["files"][0];
  EXPECT_EQ(f["status"], "ok");
  EXPECT_TRUE(f["changed"].get<bool>());
  EXPECT_EQ(f["counts"]["failed"], 1);
  EXPECT_EQ(f["routines"][2]["reason"], "answer is code, not a comment");
  EXPECT_EQ(f["routines"][0].count("reason"), 0u);
  EXPECT_EQ(j["files"][1]["status"], "refused");
  EXPECT_EQ(j["total"]["commented"], 1);
  EXPECT_EQ(j["total"]["prompt_tokens"], 1000);
}

}  // namespace
}  // namespace scale::annotate
