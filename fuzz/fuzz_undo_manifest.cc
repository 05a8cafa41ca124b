// libFuzzer target: the undo manifest reader (annotate::ParseUndoManifest) on arbitrary text.
//
// Invariants: nothing but scale::Error escapes; an accepted manifest has only absolute paths and
// backup names that are plain file names inside the run directory (no '/', not "." / "..", no
// leading '.'): `scale undo` must never be steered to read or write outside what was journaled.
#include <string>

#include "annotate/undo_journal.h"
#include "fuzz_util.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace scale;
  using namespace scale::fuzz;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const std::filesystem::path dir = TempPath("undo-run");
  try {
    annotate::UndoRun run = annotate::ParseUndoManifest(text, dir);
    FUZZ_CHECK(run.dir == dir, "run dir changed");
    for (const annotate::UndoEntry& f : run.files) {
      FUZZ_CHECK(f.path.is_absolute(), "relative path accepted: " + Excerpt(f.path.string()));
      FUZZ_CHECK(!f.backup.empty() && f.backup.find('/') == std::string::npos && f.backup[0] != '.',
                 "unsafe backup name accepted: " + Excerpt(f.backup));
      FUZZ_CHECK((dir / f.backup).parent_path() == dir, "backup outside the run directory: " + Excerpt(f.backup));
    }
  } catch (const Error&) {
    return 0;
  }
  return 0;
}
