// libFuzzer target: the evaluation dataset reader (eval::LoadDataset, JSON lines) on arbitrary
// files, plus FirstParagraph on every reference. Each input is written to one fixed file per
// process (/tmp/scale-fuzz-dataset-<pid>.jsonl).
//
// Input: the file's bytes. The first byte picks the options (& 1: --language python, & 2: limit 2,
// & 4: other field names code=src, docstring=summary), so the fuzzer reaches every option path.
//
// Invariants: nothing but scale::Error escapes; rows have ascending indices, non-empty ids and a
// lower-case language; with a limit, at most that many rows; FirstParagraph never yields a
// leading/trailing space or a run of two spaces.
#include <string>

#include "eval/dataset.h"
#include "fuzz_util.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace scale;
  using namespace scale::fuzz;
  static const std::string path = TempPath("dataset") + ".jsonl";
  static TempFileCleanup cleanup{path};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  eval::DatasetOptions options;
  if (size > 0) {
    uint8_t flags = data[0];
    if (flags & 1) options.language = "python";
    if (flags & 2) options.limit = 2;
    if (flags & 4) {
      options.code_field = "src";
      options.ref_field = "summary";
    }
  }
  WriteFileOrDie(path, text);
  try {
    std::vector<eval::EvalRow> rows = eval::LoadDataset(path, options);
    if (options.limit) FUZZ_CHECK(rows.size() <= options.limit, "limit exceeded");
    for (size_t i = 0; i < rows.size(); ++i) {
      FUZZ_CHECK(i == 0 || rows[i - 1].index < rows[i].index, "row indices not ascending");
      FUZZ_CHECK(!rows[i].id.empty(), "empty row id");
      for (char c : rows[i].language) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'), "language not lower-case: " + Excerpt(rows[i].language));
      std::string para = eval::FirstParagraph(rows[i].code);
      FUZZ_CHECK(para.empty() || (para.front() != ' ' && para.back() != ' '), "FirstParagraph has edge spaces");
      FUZZ_CHECK(para.find("  ") == std::string::npos, "FirstParagraph has a double space");
    }
  } catch (const Error&) {
    return 0;
  }
  return 0;
}
