#include "annotate/write_back.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "annotate/undo_journal.h"
#include "util/error.h"
#include "util/fault.h"
#include "util/json_text.h"
#include "util/log.h"
#include "util/sha256.h"

namespace scale::annotate {
namespace fs = std::filesystem;

namespace {

void LeaveAlone(FileResult& r, const std::string& why) {
  r.status = FileStatus::kFailed;
  r.problem = why + "; left alone";
  r.output = r.original;
  LogWarning(r.path + ": " + r.problem);
}

}  // namespace

InPlaceReport WriteInPlace(std::vector<FileResult>& results, const std::map<std::string, FileStamp>& stamps,
                           const fs::path& undo_root) {
  InPlaceReport report;
  bool any = false;
  for (const auto& r : results) any |= r.changed();
  if (!any) return report;
  UndoLock lock(undo_root);
  UndoJournal journal(undo_root, [](std::string_view d) { return Sha256Hex(d); });
  auto finish = [&] {
    report.written = journal.Finish();
    if (report.written) report.undo_run = journal.run_id();
  };
  for (auto& r : results) {
    if (!r.changed()) continue;
    auto stamp = stamps.find(r.path);
    if (stamp == stamps.end()) continue;  // not read from disk (a caller bug): never write it
    bool recorded = false;  // only a recorded entry may be forgotten: never an earlier file's
    try {
      fs::path target = WriteTarget(r.path);
      journal.Record(target, r.original, r.output);
      recorded = true;
      ReplaceResult done = ReplaceFileIfUnchanged(target, r.output, stamp->second);
      if (done.status != ReplaceStatus::kReplaced) {
        recorded = false;
        journal.ForgetLast();
        LeaveAlone(r, done.status == ReplaceStatus::kChanged ? "changed on disk during the run (" + done.why + ")"
                                                             : "not replaced: " + done.why);
      }
      FaultPoint("comment:file-done");
    } catch (const Error& e) {
      if (recorded) journal.ForgetLast();
      if (e.exit_code() != kExitIo) {
        LeaveAlone(r, e.what());
        continue;
      }
      finish();
      std::string done = report.written ? "; " + std::to_string(report.written) + " file" +
                                              (report.written == 1 ? "" : "s") + " written before it (undo with: scale undo " +
                                              report.undo_run + ")"
                                        : "; nothing was written";
      throw Error(kExitIo, std::string(e.what()) + done);
    }
  }
  finish();
  return report;
}

std::vector<fs::path> OutputPaths(const fs::path& dir, const std::vector<std::string>& inputs) {
  auto climbs = [](const fs::path& p) {
    for (const auto& part : p) {
      if (part == "..") return true;
    }
    return false;
  };
  // The common base of the inputs that cannot be used as they are.
  std::optional<fs::path> base;
  for (const auto& in : inputs) {
    fs::path p(in);
    if (p.is_relative() && !climbs(p)) continue;
    std::error_code ec;
    fs::path parent = fs::weakly_canonical(fs::absolute(p, ec), ec).parent_path();
    if (!base) {
      base = parent;
      continue;
    }
    fs::path common;
    auto a = base->begin(), b = parent.begin();
    for (; a != base->end() && b != parent.end() && *a == *b; ++a, ++b) common /= *a;
    base = common;
  }
  std::vector<fs::path> out;
  std::map<fs::path, std::string> taken;
  for (const auto& in : inputs) {
    fs::path p(in);
    fs::path rel;
    if (p.is_relative() && !climbs(p)) {
      rel = p.lexically_normal();
    } else {
      std::error_code ec;
      rel = fs::weakly_canonical(fs::absolute(p, ec), ec).lexically_relative(*base);
    }
    fs::path target = (dir / rel).lexically_normal();
    auto [it, fresh] = taken.emplace(target, in);
    if (!fresh) {
      throw Error(kExitUsage, "-o " + dir.string() + ": " + in + " and " + it->second + " would both be written to " +
                                  target.string());
    }
    out.push_back(target);
  }
  return out;
}

bool SameFile(const fs::path& output, const fs::path& input) {
  std::error_code ec;
  return fs::exists(output, ec) && fs::equivalent(output, input, ec) && !ec;
}

}  // namespace scale::annotate
