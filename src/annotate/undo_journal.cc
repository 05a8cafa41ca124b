#include "annotate/undo_journal.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/fs.h"

namespace scale::annotate {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json ToJson(const UndoRun& run) {
  json files = json::array();
  for (const auto& f : run.files) {
    files.push_back({{"path", f.path.string()}, {"original_sha256", f.original_hash}, {"new_sha256", f.new_hash},
                     {"backup", f.backup}});
  }
  return {{"run_id", run.id}, {"created", run.created}, {"created_ns", run.created_ns},
          {"restored", run.restored}, {"files", files}};
}

UndoRun FromJson(const json& j, const fs::path& dir) {
  UndoRun run;
  run.id = j.at("run_id").get<std::string>();
  run.created = j.value("created", "");
  run.created_ns = j.value("created_ns", 0LL);
  run.restored = j.value("restored", false);
  run.dir = dir;
  for (const auto& f : j.at("files")) {
    run.files.push_back({f.at("path").get<std::string>(), f.at("original_sha256").get<std::string>(),
                         f.at("new_sha256").get<std::string>(), f.at("backup").get<std::string>()});
  }
  return run;
}

void SaveManifest(const UndoRun& run) { WriteFileAtomic(run.dir / "manifest.json", ToJson(run).dump(2) + "\n"); }

}  // namespace

UndoJournal::UndoJournal(const fs::path& root, HashFn hash) : hash_(std::move(hash)) {
  auto now = std::chrono::system_clock::now();
  run_.created_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  localtime_r(&t, &tm);
  char stamp[32], created[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  std::strftime(created, sizeof created, "%Y-%m-%d %H:%M:%S", &tm);
  run_.created = created;
  std::error_code ec;
  fs::create_directories(root, ec);
  // The id sorts by time; the pid and a counter keep concurrent runs apart.
  for (int n = 0; n < 1000; ++n) {
    std::string id = std::string(stamp) + "-" + std::to_string(getpid()) + (n ? "-" + std::to_string(n) : "");
    if (fs::create_directory(root / id, ec)) {
      run_.id = id;
      run_.dir = root / id;
      return;
    }
  }
  throw Error(kExitIo, (root).string() + ": cannot create an undo journal directory" + (ec ? ": " + ec.message() : ""));
}

void UndoJournal::Record(const fs::path& path, std::string_view original, std::string_view replacement) {
  UndoEntry entry;
  std::error_code ec;
  entry.path = fs::absolute(path, ec);
  if (ec) entry.path = path;
  entry.original_hash = hash_(original);
  entry.new_hash = hash_(replacement);
  char name[32];
  std::snprintf(name, sizeof name, "%04zu.orig", run_.files.size() + 1);
  entry.backup = name;
  WriteFileAtomic(run_.dir / entry.backup, original);
  run_.files.push_back(std::move(entry));
  WriteManifest();
}

size_t UndoJournal::Finish() {
  if (run_.files.empty() && !run_.dir.empty()) {
    std::error_code ec;
    fs::remove_all(run_.dir, ec);
  }
  return run_.files.size();
}

void UndoJournal::WriteManifest() const { SaveManifest(run_); }

std::vector<UndoRun> ListUndoRuns(const fs::path& root) {
  std::vector<UndoRun> runs;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return runs;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    fs::path manifest = entry.path() / "manifest.json";
    if (!fs::is_regular_file(manifest, ec)) continue;
    try {
      runs.push_back(FromJson(json::parse(ReadFile(manifest, 64 << 20)), entry.path()));
    } catch (const std::exception&) {
      continue;  // a damaged manifest must not hide the other runs
    }
  }
  std::sort(runs.begin(), runs.end(), [](const UndoRun& a, const UndoRun& b) {
    return a.created_ns != b.created_ns ? a.created_ns > b.created_ns : a.id > b.id;
  });
  return runs;
}

RestoreResult RestoreRun(const fs::path& root, const std::string& run_id, bool force, const HashFn& hash) {
  std::vector<UndoRun> runs = ListUndoRuns(root);
  const UndoRun* run = nullptr;
  for (const auto& r : runs) {
    if (run_id.empty() ? !r.restored : r.id == run_id) {
      run = &r;
      break;
    }
  }
  if (!run) {
    if (!run_id.empty()) throw Error(kExitUsage, "no undo run '" + run_id + "' (see scale undo --list)");
    throw Error(kExitWorkFailed, "nothing to undo (no `scale comment -i` run left to restore)");
  }
  RestoreResult result;
  result.run_id = run->id;
  // First check everything, then write: a half-restored run is worse than none.
  std::vector<std::pair<const UndoEntry*, std::string>> writes;
  for (const auto& f : run->files) {
    std::string saved = ReadFile(run->dir / f.backup);
    if (hash(saved) != f.original_hash) {
      throw Error(kExitInput, (run->dir / f.backup).string() + ": saved original is damaged (hash mismatch)");
    }
    std::error_code ec;
    if (!fs::exists(f.path, ec)) {
      if (!force) {
        result.refused.push_back(f.path.string() + ": missing (deleted since the run)");
        continue;
      }
    } else {
      std::string current = ReadFile(f.path);
      std::string h = hash(current);
      if (h == f.original_hash) {
        result.unchanged.push_back(f.path.string());
        continue;
      }
      if (h != f.new_hash && !force) {
        result.refused.push_back(f.path.string() + ": changed since the run (use --force to overwrite)");
        continue;
      }
    }
    writes.emplace_back(&f, std::move(saved));
  }
  if (!result.refused.empty()) return result;
  for (const auto& [entry, data] : writes) {
    WriteFileAtomic(entry->path, data);
    result.restored.push_back(entry->path.string());
  }
  UndoRun done = *run;
  done.restored = true;
  SaveManifest(done);
  return result;
}

}  // namespace scale::annotate
