#include "util/verified_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/fs.h"
#include "util/plain_file.h"
#include "util/sha256.h"

namespace scale {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr size_t kMaxMarkerBytes = 4096;

// The marker's text, read without following a symlink (a marker is never legitimately one) and
// capped; "" when absent or unusable.
std::string ReadMarkerText(const fs::path& marker) {
  std::string text;
  return ReadPlainFile(marker, kMaxMarkerBytes, &text) ? text : "";
}

int64_t CoarseNowNs() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

struct Marker {
  std::string sha256;
  VerifiedStamp stamp;
};

// A marker is our own small JSON object; anything else (hand-edited, truncated) counts as none.
std::optional<Marker> ReadMarkerAt(const fs::path& marker) {
  json j = json::parse(ReadMarkerText(marker), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  auto unsigned_field = [&](const char* key, uint64_t* out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_unsigned()) return false;
    *out = it->get<uint64_t>();
    return true;
  };
  auto signed_field = [&](const char* key, int64_t* out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) return false;
    *out = it->get<int64_t>();
    return true;
  };
  Marker m;
  auto sha = j.find("sha256");
  if (sha == j.end() || !sha->is_string() || !IsSha256Hex(sha->get<std::string>())) return std::nullopt;
  m.sha256 = sha->get<std::string>();
  if (!unsigned_field("dev", &m.stamp.dev) || !unsigned_field("ino", &m.stamp.ino) ||
      !unsigned_field("size", &m.stamp.size) || !signed_field("mtime_ns", &m.stamp.mtime_ns) ||
      !signed_field("ctime_ns", &m.stamp.ctime_ns)) {
    return std::nullopt;
  }
  return m;
}

std::optional<Marker> ReadMarker(const fs::path& file) { return ReadMarkerAt(MarkerPath(file)); }

std::string MarkerJson(const std::string& sha256, const VerifiedStamp& s) {
  json j = {{"sha256", sha256}, {"dev", s.dev}, {"ino", s.ino}, {"size", s.size},
            {"mtime_ns", s.mtime_ns}, {"ctime_ns", s.ctime_ns}};
  return j.dump() + "\n";
}

}  // namespace

bool IsSha256Hex(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::optional<VerifiedStamp> StampOf(const fs::path& file) {
  struct stat st;
  if (stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  VerifiedStamp s;
  s.dev = uint64_t(st.st_dev);
  s.ino = uint64_t(st.st_ino);
  s.size = uint64_t(st.st_size);
  s.mtime_ns = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  s.ctime_ns = int64_t(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
  return s;
}

fs::path MarkerPath(const fs::path& file) { return file.string() + ".verified"; }

std::string TrustedSha256(const fs::path& file) {
  std::optional<Marker> m = ReadMarker(file);
  std::optional<VerifiedStamp> now = StampOf(file);
  return m && now && m->stamp == *now ? m->sha256 : "";
}

std::string RecordedSha256(const fs::path& file) {
  std::optional<Marker> m = ReadMarker(file);
  return m ? m->sha256 : "";
}

void WriteVerifiedMarker(const fs::path& file, const std::string& sha256) {
  std::optional<VerifiedStamp> s;
  // File times come from the kernel's coarse clock (a tick of 1-10 ms): a change made later in the
  // tick of the file's last change would keep the same stamp and go unnoticed ("racy git"). So the
  // stamp is recorded only once that tick is over; in practice this waits a few ms after a download.
  for (int tries = 0;; ++tries) {
    s = StampOf(file);
    if (!s) throw Error(kExitIo, "cannot record the checksum of " + file.string() + ": it is gone");
    if (s->ctime_ns < CoarseNowNs()) break;
    if (tries == 200) return;  // a clock that does not move: no marker, the next run hashes again
    usleep(5000);
  }
  WriteFileAtomic(MarkerPath(file), MarkerJson(sha256, *s), 0644);
}

std::string RememberedSha256(const fs::path& file, const fs::path& marker) {
  std::optional<VerifiedStamp> before = StampOf(file);
  if (std::optional<Marker> m = ReadMarkerAt(marker); m && before && m->stamp == *before) return m->sha256;
  // The same racy-git rule as WriteVerifiedMarker, applied before hashing: a stamp taken once its
  // tick is over changes with any later write, so the record can never vouch for other bytes.
  bool settled = false;
  for (int tries = 0; tries < 200; ++tries) {
    const int64_t now = CoarseNowNs();
    before = StampOf(file);
    if (!before) break;
    if (before->ctime_ns < now) {
      settled = true;
      break;
    }
    usleep(5000);
  }
  const std::string sha256 = Sha256File(file);
  if (settled && StampOf(file) == before) {
    try {
      WriteFileAtomic(marker, MarkerJson(sha256, *before), 0600);
    } catch (const Error&) {
      // Only a cache: the next run hashes again.
    }
  }
  return sha256;
}

void RemoveVerifiedMarker(const fs::path& file) {
  std::error_code ec;
  fs::remove(MarkerPath(file), ec);
}

}  // namespace scale
