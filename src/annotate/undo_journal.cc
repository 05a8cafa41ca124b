#include "annotate/undo_journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/fault.h"
#include "util/fs.h"
#include "util/hex.h"
#include "util/json_text.h"
#include "util/log.h"
#include "util/sha256.h"

namespace scale::annotate {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr size_t kKeyBytes = 32;

std::string FromHex(const std::string& hex) {
  std::optional<std::string> bytes = HexDecode(hex);
  if (!bytes) throw Error(kExitInput, "bad hex path");
  return *bytes;
}

// Reads a file of the journal: a regular file owned by this user, never through a link.
std::string ReadOwnFile(const fs::path& path, uint64_t max_bytes) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) throw Error(kExitInput, path.string() + ": missing");
  if (!S_ISREG(st.st_mode)) throw Error(kExitInput, path.string() + ": not a regular file");
  if (st.st_uid != geteuid()) throw Error(kExitInput, path.string() + ": owned by another user");
  return ReadFile(path, max_bytes);
}

// The per-user key that authenticates manifests, created on first use.
std::string JournalKey(const fs::path& root) {
  fs::path key_file = root / ".key";
  int fd = open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0) {
    std::string key = RandomBytes(kKeyBytes);
    bool ok = write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && fsync(fd) == 0;
    close(fd);
    if (!ok) {
      unlink(key_file.c_str());
      throw Error(kExitIo, key_file.string() + ": cannot write the journal key");
    }
    return key;
  }
  if (errno != EEXIST) throw Error(kExitIo, key_file.string() + ": cannot create the journal key: " + std::strerror(errno));
  std::string key = ReadOwnFile(key_file, 4096);
  if (key.size() != kKeyBytes) throw Error(kExitIo, key_file.string() + ": damaged journal key");
  return key;
}

json ToJson(const UndoRun& run) {
  json files = json::array();
  for (const auto& f : run.files) {
    files.push_back({{"path", JsonSafe(f.path)}, {"path_hex", HexEncode(f.path.native())},
                     {"original_sha256", f.original_hash}, {"new_sha256", f.new_hash}, {"backup", f.backup},
                     {"mode", f.mode}});
  }
  return {{"run_id", run.id}, {"created", run.created}, {"created_ns", run.created_ns},
          {"restored", run.restored}, {"files", files}};
}

std::string Str(const json& j, const char* key) {
  if (!j.contains(key) || !j.at(key).is_string()) throw Error(kExitInput, std::string("field '") + key + "' missing or not a string");
  return j.at(key).get<std::string>();
}

UndoRun FromJson(const json& j, const fs::path& dir) {
  UndoRun run;
  if (!j.is_object() || !j.contains("files") || !j.at("files").is_array()) throw Error(kExitInput, "not an undo manifest");
  run.id = Str(j, "run_id");
  run.created = j.contains("created") && j["created"].is_string() ? j["created"].get<std::string>() : "";
  run.created_ns = j.contains("created_ns") && j["created_ns"].is_number_integer() ? j["created_ns"].get<long long>() : 0;
  run.restored = j.contains("restored") && j["restored"].is_boolean() && j["restored"].get<bool>();
  run.dir = dir;
  for (const auto& f : j.at("files")) {
    if (!f.is_object()) throw Error(kExitInput, "a file entry is not an object");
    UndoEntry e;
    e.path = f.contains("path_hex") ? fs::path(FromHex(Str(f, "path_hex"))) : fs::path(Str(f, "path"));
    e.original_hash = Str(f, "original_sha256");
    e.new_hash = Str(f, "new_sha256");
    e.backup = Str(f, "backup");
    if (f.contains("mode") && f["mode"].is_number_unsigned()) e.mode = f["mode"].get<unsigned>() & 07777;
    run.files.push_back(std::move(e));
  }
  return run;
}

// A manifest file is "<hmac hex>\n<json>": the MAC covers the exact JSON bytes.
void SaveManifest(const UndoRun& run, const std::string& key) {
  std::string body = ToJson(run).dump(2) + "\n";
  FaultPoint("journal:before-manifest");
  WriteFileAtomic(run.dir / "manifest.json", HmacSha256Hex(key, body) + "\n" + body, 0600);
  FaultPoint("journal:after-manifest");
}

// The JSON of an authentic manifest, or throws Error(kExitInput) saying why not.
std::string AuthenticBody(const fs::path& manifest, const std::string& key) {
  std::string text = ReadOwnFile(manifest, 64 << 20);
  size_t nl = text.find('\n');
  if (nl == std::string::npos) throw Error(kExitInput, manifest.string() + ": not authenticated");
  std::string body = text.substr(nl + 1);
  if (text.substr(0, nl) != HmacSha256Hex(key, body)) {
    throw Error(kExitInput, manifest.string() + ": authentication failed (not written by scale for this user)");
  }
  return body;
}

}  // namespace

UndoRun ParseUndoManifest(std::string_view text, const fs::path& dir) {
  try {
    UndoRun run = FromJson(json::parse(text), dir);
    for (const auto& f : run.files) {
      fs::path b(f.backup);
      if (f.backup.empty() || b.has_parent_path() || f.backup == "." || f.backup == ".." || f.backup[0] == '.') {
        throw Error(kExitInput, "bad backup name '" + JsonSafe(std::string_view(f.backup)) + "'");
      }
      if (!f.path.is_absolute()) throw Error(kExitInput, "path is not absolute: " + JsonSafe(f.path));
    }
    return run;
  } catch (const Error& e) {
    throw Error(kExitInput, (dir / "manifest.json").string() + ": " + e.what());
  } catch (const std::exception& e) {
    throw Error(kExitInput, (dir / "manifest.json").string() + ": not a valid undo manifest (" + e.what() + ")");
  }
}

UndoLock::UndoLock(const fs::path& root) {
  EnsurePrivateDir(root);
  fs::path lock = root / ".lock";
  fd_ = open(lock.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd_ < 0) throw Error(kExitIo, lock.string() + ": cannot open the journal lock: " + std::strerror(errno));
  if (flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  LogInfo("waiting for another scale run to finish writing files...");
  while (flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) throw Error(kExitIo, lock.string() + ": cannot lock: " + std::strerror(errno));
  }
}

UndoLock::~UndoLock() {
  if (fd_ >= 0) close(fd_);  // releases the flock
}

UndoJournal::UndoJournal(const fs::path& root, HashFn hash) : hash_(std::move(hash)) {
  EnsurePrivateDir(root);
  key_ = JournalKey(root);
  auto now = std::chrono::system_clock::now();
  run_.created_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  localtime_r(&t, &tm);
  char stamp[32], created[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  std::strftime(created, sizeof created, "%Y-%m-%d %H:%M:%S", &tm);
  run_.created = created;
  // The id sorts by time; the pid and a counter keep concurrent runs apart.
  int err = 0;
  for (int n = 0; n < 1000; ++n) {
    std::string id = std::string(stamp) + "-" + std::to_string(getpid()) + (n ? "-" + std::to_string(n) : "");
    if (mkdir((root / id).c_str(), 0700) == 0) {
      run_.id = id;
      run_.dir = root / id;
      return;
    }
    err = errno;
    if (err != EEXIST) break;
  }
  throw Error(kExitIo, root.string() + ": cannot create an undo journal directory: " + std::strerror(err));
}

void UndoJournal::Record(const fs::path& path, std::string_view original, std::string_view replacement) {
  UndoEntry entry;
  std::error_code ec;
  entry.path = fs::absolute(path, ec);
  if (ec) entry.path = path;
  struct stat st;
  if (stat(entry.path.c_str(), &st) == 0) entry.mode = st.st_mode & 07777;
  entry.original_hash = hash_(original);
  entry.new_hash = hash_(replacement);
  char name[32];
  std::snprintf(name, sizeof name, "%04zu.orig", run_.files.size() + 1);
  entry.backup = name;
  FaultPoint("journal:before-backup");
  // 0600 whatever the original's mode: the journal is nobody else's business.
  WriteFileAtomic(run_.dir / entry.backup, original, 0600);
  run_.files.push_back(std::move(entry));
  try {
    WriteManifest();
  } catch (...) {
    run_.files.pop_back();  // not journaled, so the caller must not replace the file
    throw;
  }
}

void UndoJournal::ForgetLast() {
  if (run_.files.empty()) return;
  fs::path backup = run_.dir / run_.files.back().backup;
  run_.files.pop_back();
  WriteManifest();
  std::error_code ec;
  fs::remove(backup, ec);
}

size_t UndoJournal::Finish() {
  if (run_.files.empty() && !run_.dir.empty()) {
    std::error_code ec;
    fs::remove_all(run_.dir, ec);
  }
  return run_.files.size();
}

void UndoJournal::WriteManifest() const { SaveManifest(run_, key_); }

std::vector<UndoRun> ListUndoRuns(const fs::path& root) {
  std::vector<UndoRun> runs;
  struct stat st;
  if (lstat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid()) return runs;
  std::string key;
  try {
    key = JournalKey(root);
  } catch (const Error& e) {
    LogWarning(std::string("undo journal unusable: ") + e.what());
    return runs;
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (lstat(entry.path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid()) continue;
    fs::path manifest = entry.path() / "manifest.json";
    if (lstat(manifest.c_str(), &st) != 0) continue;
    try {
      runs.push_back(ParseUndoManifest(AuthenticBody(manifest, key), entry.path()));
    } catch (const Error& e) {
      LogVerbose(std::string("skipping undo run: ") + e.what());  // must not hide the other runs
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
  struct Write {
    const UndoEntry* entry;
    std::string data;
    FileStamp stamp;  // of the current file; invalid when it is missing
  };
  std::vector<Write> writes;
  for (const auto& f : run->files) {
    std::string saved = ReadOwnFile(run->dir / f.backup, kDefaultReadLimit);
    if (hash(saved) != f.original_hash) {
      throw Error(kExitInput, (run->dir / f.backup).string() + ": saved original is damaged (hash mismatch)");
    }
    std::string shown = JsonSafe(f.path);
    struct stat st;
    if (lstat(f.path.c_str(), &st) != 0) {
      if (!force) {
        result.refused.push_back(shown + ": missing (deleted since the run)");
        continue;
      }
      writes.push_back({&f, std::move(saved), FileStamp{}});
      continue;
    }
    if (!S_ISREG(st.st_mode)) {
      // The journal holds real files; a link or device there now was put by someone else.
      result.refused.push_back(shown + ": no longer a regular file (a link or special file now)");
      continue;
    }
    FileStamp stamp;
    std::string current = ReadFileStamped(f.path, kDefaultReadLimit, &stamp);
    std::string h = hash(current);
    if (h == f.original_hash) {
      result.unchanged.push_back(shown);
      continue;
    }
    if (h != f.new_hash && !force) {
      result.refused.push_back(shown + ": changed since the run (use --force to overwrite)");
      continue;
    }
    writes.push_back({&f, std::move(saved), std::move(stamp)});
  }
  if (!result.refused.empty()) return result;
  for (const auto& w : writes) {
    std::string shown = JsonSafe(w.entry->path);
    if (!w.stamp.valid()) {
      WriteFileAtomic(w.entry->path, w.data, w.entry->mode);
    } else {
      ReplaceResult r = ReplaceFileIfUnchanged(w.entry->path, w.data, w.stamp);
      if (r.status != ReplaceStatus::kReplaced) {
        result.refused.push_back(shown + ": " + r.why);
        continue;
      }
    }
    result.restored.push_back(shown);
  }
  if (!result.refused.empty()) return result;  // the run stays open: undo can be tried again
  UndoRun done = *run;
  done.restored = true;
  SaveManifest(done, JournalKey(root));
  return result;
}

}  // namespace scale::annotate
