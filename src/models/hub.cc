#include "models/hub.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "models/download_progress.h"
#include "models/http.h"
#include "walk/wildmatch.h"
#include "util/sha256.h"
#include "util/error.h"
#include "util/log.h"
#include "util/size.h"
#include "util/verified_file.h"

namespace scale::models {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::vector<std::string> AuthHeaders(const HubOptions& o) {
  if (o.token.empty()) return {};
  return {"Authorization: Bearer " + o.token};
}

// The one-line explanation for an HTTP failure talking to the Hub about `what`.
[[noreturn]] void ThrowHttp(const HubOptions& o, const HttpResponse& r, const std::string& what) {
  if (r.redirect_refused) throw Error(kExitNetwork, what + ": " + r.error);
  if (!r.error.empty() && r.status == 0) {
    throw Error(kExitNetwork, "cannot reach " + o.endpoint + " (" + r.error + ") while fetching " + what +
                                  "; check the network or set $HF_ENDPOINT to a mirror");
  }
  switch (r.status) {
    case 401:
      throw Error(kExitNetwork, o.token.empty()
                                    ? what + ": HTTP 401 (private or gated repository): set $HF_TOKEN to a Hub token with access"
                                    : what + ": HTTP 401: the token in $HF_TOKEN was refused (expired or mistyped?)");
    case 403:
      throw Error(kExitNetwork, what + ": HTTP 403: access denied (gated model: accept its licence on the Hub "
                                       "with the account of $HF_TOKEN)");
    case 404:
      throw Error(kExitNetwork, what + ": HTTP 404: not found on " + o.endpoint + " (check the name and --revision)");
    case 429:
      throw Error(kExitNetwork, what + ": HTTP 429: rate limited by the Hub; try again later or set $HF_TOKEN");
    default:
      break;
  }
  std::string detail = r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error;
  throw Error(kExitNetwork, what + ": " + detail + " from " + o.endpoint);
}

HttpResponse GetJson(const HubOptions& o, const std::string& url, const std::string& what, json* out) {
  HttpRequest req{url, AuthHeaders(o)};
  req.headers.push_back("Accept: application/json");
  req.stall_timeout_s = o.stall_timeout_s;
  req.connect_timeout_s = o.connect_timeout_s;
  HttpResponse r = HttpGet(req);
  if (!r.ok()) return r;
  try {
    *out = json::parse(r.body);
  } catch (const std::exception&) {
    throw Error(kExitNetwork, what + ": the Hub at " + o.endpoint + " answered with something that is not JSON");
  }
  return r;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const std::regex& SplitRe() {
  static const std::regex re(R"((.*)-(\d{5})-of-(\d{5})\.gguf)", std::regex::icase);
  return re;
}

bool IsCommitId(const std::string& s) {
  if (s.size() != 40 && s.size() != 64) return false;  // SHA-1 or SHA-256 object ids
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Typed reads of the Hub's JSON. A mirror may send anything; a field of the wrong type must end
// the command with one line naming the field (exit 6), never a json exception ("internal error"),
// and never be skipped silently (a hash that cannot be read would turn verification off).
// Missing and null optional fields are simply absent.
class JsonFields {
 public:
  JsonFields(const HubOptions& o, std::string what, std::string source)
      : endpoint_(o.endpoint), what_(std::move(what)), source_(std::move(source)) {}

  [[noreturn]] void Fail(const std::string& field, const std::string& got, const std::string& expected) const {
    throw Error(kExitNetwork, what_ + ": " + source_ + " from " + endpoint_ + " has " + field + " = " + got + ", expected " +
                                  expected + " (a broken mirror?)");
  }
  void RequireObject(const json& v, const std::string& field) const {
    if (!v.is_object()) Fail(field, v.type_name(), "an object");
  }
  // Present and not null, else nullptr. `obj` must be an object.
  const json* Member(const json& obj, const char* key) const {
    auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
  }
  std::string String(const json& obj, const char* key, const std::string& field) const {
    const json* v = Member(obj, key);
    if (!v) return "";
    if (!v->is_string()) Fail(field, v->type_name(), "a string");
    return v->get<std::string>();
  }
  std::string RequiredString(const json& obj, const char* key, const std::string& field) const {
    std::string s = String(obj, key, field);
    if (s.empty()) Fail(field, Member(obj, key) ? "\"\"" : "nothing", "a string");
    return s;
  }
  int64_t Size(const json& obj, const char* key, const std::string& field) const {
    const json* v = Member(obj, key);
    if (!v) return -1;
    if (!v->is_number_integer() || v->get<int64_t>() < 0) Fail(field, v->dump().substr(0, 40), "a byte count");
    return v->get<int64_t>();
  }
  const json* Object(const json& obj, const char* key, const std::string& field) const {
    const json* v = Member(obj, key);
    if (v && !v->is_object()) Fail(field, v->type_name(), "an object");
    return v;
  }
  const json* Array(const json& obj, const char* key, const std::string& field) const {
    const json* v = Member(obj, key);
    if (v && !v->is_array()) Fail(field, v->type_name(), "an array");
    return v;
  }
  std::string Sha256(const json& obj, const char* key, const std::string& field) const {
    std::string s = Lower(String(obj, key, field));
    if (!s.empty() && !IsSha256Hex(s)) Fail(field, "'" + s.substr(0, 80) + "'", "a SHA-256 (64 hex digits)");
    return s;
  }
  // One file entry: {name_key: path, size, lfs: {sha_key: hash, size}}.
  HubFile File(const json& e, const std::string& where, const char* name_key, const char* sha_key) const {
    RequireObject(e, where);
    HubFile f;
    f.path = RequiredString(e, name_key, where + "." + name_key);
    f.size = Size(e, "size", where + ".size");
    if (const json* lfs = Object(e, "lfs", where + ".lfs")) {
      f.sha256 = Sha256(*lfs, sha_key, where + ".lfs." + sha_key);
      int64_t lfs_size = Size(*lfs, "size", where + ".lfs.size");
      if (lfs_size >= 0) f.size = lfs_size;
    }
    return f;
  }

 private:
  std::string endpoint_, what_, source_;
};

// Repository paths come from the network: refuse anything that could leave the cache folder.
void CheckRepoPath(const std::string& path) {
  fs::path rel(path);
  for (const auto& part : rel) {
    if (part == ".." || part == "." || part.string().empty() || rel.is_absolute()) {
      throw Error(kExitNetwork, "refusing the Hub file name '" + path + "' (it points outside the cache)");
    }
  }
}

// What a file must be: from the listing, completed by the Hub's X-Linked-* download headers.
struct Expected {
  int64_t size = -1;
  std::string sha256;  // "" = unknown
};

// Folds the X-Linked-Etag / X-Linked-Size of the Hub's redirect into `want`. Two different values
// for one file mean the Hub (or a mirror) contradicts itself: neither can be trusted.
void MergeLinkedHeaders(const HttpResponse& r, const std::string& name, Expected* want) {
  if (IsSha256Hex(r.linked_etag)) {
    if (want->sha256.empty()) {
      want->sha256 = r.linked_etag;
    } else if (want->sha256 != r.linked_etag) {
      throw Error(kExitNetwork, "the Hub gives two SHA-256 for " + name + ": " + want->sha256.substr(0, 12) +
                                    "... in its listing, " + r.linked_etag.substr(0, 12) + "... when downloading; refusing it");
    }
  }
  if (r.linked_size >= 0) {
    if (want->size < 0) {
      want->size = r.linked_size;
    } else if (want->size != r.linked_size) {
      throw Error(kExitNetwork, "the Hub gives two sizes for " + name + ": " + std::to_string(want->size) +
                                    " bytes in its listing, " + std::to_string(r.linked_size) + " when downloading; refusing it");
    }
  }
}

std::string HashWithProgress(const fs::path& file, const std::string& name, uint64_t size) {
  DownloadProgress bar("checking " + name, int64_t(size), 0);
  return Sha256File(file, [&](uint64_t done) { bar.Update(done); });
}

void MarkPresent(const fs::path& file, uint64_t size, DownloadResult* result) {
  result->path = file;
  result->already_present = true;
  result->bytes = size;
}

// A copy already at `dest` is used when it has the Hub's size and SHA-256. The hash is trusted from
// the verified marker while the file is unchanged; otherwise the file is hashed (against the
// listing's SHA-256, or the one recorded when it was downloaded). A copy that fails is deleted.
bool UseCachedCopy(const fs::path& dest, const std::string& name, const Expected& want, DownloadResult* result) {
  std::optional<VerifiedStamp> stamp = StampOf(dest);
  if (!stamp) return false;
  if (want.size >= 0 && stamp->size != uint64_t(want.size)) {
    LogInfo("cached " + name + " is " + std::to_string(stamp->size) + " bytes, the Hub's " + std::to_string(want.size) +
            ": downloading it again");
    return false;
  }
  const std::string expected = want.sha256.empty() ? RecordedSha256(dest) : want.sha256;
  if (expected.empty()) {
    LogWarning("the Hub gives no SHA-256 for " + name + ": the cached copy is trusted on its size alone");
  } else if (TrustedSha256(dest) != expected) {
    if (HashWithProgress(dest, name, stamp->size) != expected) {
      LogWarning("cached " + name + " does not match the Hub's SHA-256 (changed or damaged on disk): downloading it again");
      std::error_code ec;
      fs::remove(dest, ec);
      RemoveVerifiedMarker(dest);
      return false;
    }
    WriteVerifiedMarker(dest, expected);
  }
  MarkPresent(dest, stamp->size, result);
  return true;
}

// Removes now-empty folders from `dir` up to (not including) `stop`.
void RemoveEmptyDirs(fs::path dir, const fs::path& stop) {
  std::error_code ec;
  while (dir != stop && dir.string().size() > stop.string().size() && fs::is_empty(dir, ec) && !ec) {
    fs::remove(dir, ec);
    dir = dir.parent_path();
  }
}

// Another revision's folder (or the pre-revision layout, repo_dir/FILE) may hold the very same
// bytes: a new commit that did not touch this file. Only a SHA-256 can prove that, so nothing is
// reused when the Hub gives none. The copy is moved, not duplicated: one file on disk.
bool AdoptIdenticalCopy(const fs::path& repo_dir, const fs::path& dest, const std::string& rel, const Expected& want,
                        DownloadResult* result) {
  if (want.sha256.empty()) return false;
  std::vector<fs::path> candidates = {repo_dir / rel};
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(repo_dir, ec)) {
    if (entry.is_directory(ec) && !entry.is_symlink(ec)) candidates.push_back(entry.path() / rel);
  }
  for (const auto& c : candidates) {
    if (c == dest) continue;
    std::optional<VerifiedStamp> stamp = StampOf(c);
    if (!stamp || (want.size >= 0 && stamp->size != uint64_t(want.size))) continue;
    std::string sha = TrustedSha256(c);
    if (sha.empty()) {
      sha = HashWithProgress(c, c.filename().string(), stamp->size);
      try {
        WriteVerifiedMarker(c, sha);  // so an unrelated copy is not hashed again on every pull
      } catch (const Error&) {
        // Only costs the same hash next time.
      }
    }
    if (sha != want.sha256) continue;
    fs::rename(c, dest, ec);
    if (ec) continue;
    RemoveVerifiedMarker(c);
    WriteVerifiedMarker(dest, sha);
    RemoveEmptyDirs(c.parent_path(), repo_dir);
    LogInfo("reusing " + c.string() + " (same SHA-256 as the Hub's) as " + dest.string());
    MarkPresent(dest, stamp->size, result);
    return true;
  }
  return false;
}

// Opens (creating 0644, masked by the umask) NAME.partial for appending and says where it ends.
// O_NOFOLLOW: a symlink there was planted, never made by scale, and writing through it would
// overwrite whatever it points to; it is removed (the link only) and the file created afresh.
std::FILE* OpenPartial(const fs::path& partial, int64_t expected_size, uint64_t* offset) {
  const int flags = O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
  int fd = open(partial.c_str(), flags, 0644);
  if (fd < 0 && errno == ELOOP) {
    LogWarning(partial.string() + " is a symbolic link (not made by scale): removed it, its target is untouched");
    unlink(partial.c_str());
    fd = open(partial.c_str(), flags | O_EXCL, 0644);
  }
  if (fd < 0) throw Error(kExitIo, "cannot write " + partial.string() + ": " + std::strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    throw Error(kExitIo, partial.string() + " is not a regular file: delete it and run the command again");
  }
  // Older versions created it 0666 & ~umask: never leave a download writable by others.
  if ((st.st_mode & 07777 & ~mode_t(0644)) != 0) fchmod(fd, st.st_mode & 0644);
  *offset = uint64_t(st.st_size);
  // Longer than the real file: not ours to resume.
  if (expected_size >= 0 && *offset > uint64_t(expected_size)) {
    if (ftruncate(fd, 0) != 0) {
      close(fd);
      throw Error(kExitIo, "cannot truncate " + partial.string() + ": " + std::strerror(errno));
    }
    *offset = 0;
  }
  std::FILE* out = fdopen(fd, "r+b");
  if (!out) {
    close(fd);
    throw Error(kExitIo, "cannot write " + partial.string());
  }
  std::fseek(out, 0, SEEK_END);
  return out;
}

// Transfers into `partial` until it is complete (by size, when known), resuming across dropped
// connections. Completes `want` from the Hub's download headers.
void FetchPartial(const HubOptions& o, const RepoListing& listing, const HubFile& file, const fs::path& partial,
                  Expected* want, DownloadResult* result) {
  const std::string rev = listing.commit.empty() ? UrlEncode(o.revision, false) : listing.commit;
  HttpRequest req{o.endpoint + "/" + listing.repo + "/resolve/" + rev + "/" + UrlEncode(file.path, true), AuthHeaders(o)};
  req.stall_timeout_s = o.stall_timeout_s;
  req.connect_timeout_s = o.connect_timeout_s;
  const std::string name = fs::path(file.path).filename().string();
  const std::string what = listing.repo + "/" + file.path;
  std::error_code ec;
  bool restarted = false;  // after a 206 for the wrong bytes

  for (int attempt = 1;; ++attempt) {
    uint64_t offset = 0;
    std::FILE* out = OpenPartial(partial, want->size, &offset);
    if (want->size >= 0 && offset == uint64_t(want->size) && offset > 0) {
      std::fclose(out);
      return;  // finished earlier, verified by the caller
    }
    if (offset > 0) {
      ++result->resumes;
      LogInfo("resuming " + name + " at " + FormatBytes(offset));
    }
    HttpResponse r;
    {
      DownloadProgress bar(name, want->size, offset);
      r = HttpDownload(req, out, offset, want->size, [&](uint64_t now, int64_t) {
        bar.Update(offset + now);
        return true;
      });
    }
    bool write_failed = std::ferror(out) != 0;
    std::fclose(out);
    if (write_failed) throw Error(kExitIo, "could not write " + partial.string() + " (disk full?)");
    MergeLinkedHeaders(r, name, want);
    if (r.redirect_refused) throw Error(kExitNetwork, "download of " + what + ": " + r.error);
    if (r.bad_range) {
      // The server sent other bytes than the ones asked for: appending them would corrupt the file.
      if (offset > 0 && !restarted) {
        LogWarning(r.error + "; downloading " + name + " again from byte 0");
        fs::remove(partial, ec);
        restarted = true;
        continue;
      }
      throw Error(kExitNetwork, "download of " + what + ": " + r.error + " (a broken mirror or proxy?)");
    }
    if (r.status == 416) {
      // Our partial file does not fit the server's file (changed upstream): start over.
      fs::remove(partial, ec);
      if (attempt < o.max_attempts) continue;
    }
    if (r.status != 0 && (r.status < 200 || r.status >= 300)) ThrowHttp(o, r, what);
    if (r.error.empty()) return;
    if (r.status == 0 && attempt == 1 && offset == 0) ThrowHttp(o, r, what);
    if (attempt >= o.max_attempts) {
      throw Error(kExitNetwork, "download of " + name + " failed after " + std::to_string(attempt) + " attempts (" + r.error +
                                    "); run the same command again to resume from " + partial.filename().string());
    }
    LogInfo("connection lost during " + name + " (" + r.error + "); resuming");
  }
}

void SyncPath(const fs::path& path, int flags) {
  int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw Error(kExitIo, "cannot open " + path.string() + ": " + std::strerror(errno));
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  if (rc != 0) throw Error(kExitIo, "cannot write " + path.string() + " to disk: " + std::strerror(err));
}

// Puts the checked download in place, durably: the bytes reach the disk before the rename, so a
// power cut cannot leave a complete-looking file (with a marker vouching for it) full of zeros.
void Install(const fs::path& partial, const fs::path& dest, const std::string& sha256) {
  SyncPath(partial, O_RDONLY | O_NOFOLLOW);
  RemoveVerifiedMarker(dest);
  std::error_code ec;
  fs::rename(partial, dest, ec);
  if (ec) throw Error(kExitIo, "cannot rename " + partial.string() + ": " + ec.message());
  SyncPath(dest.parent_path(), O_RDONLY | O_DIRECTORY);
  if (!sha256.empty()) WriteVerifiedMarker(dest, sha256);
}

}  // namespace

HubOptions HubOptionsFromEnv() {
  HubOptions o;
  std::string endpoint = Env("HF_ENDPOINT");
  if (!endpoint.empty()) o.endpoint = endpoint;
  while (!o.endpoint.empty() && o.endpoint.back() == '/') o.endpoint.pop_back();
  o.token = Env("HF_TOKEN");
  if (o.token.empty()) o.token = Env("HUGGING_FACE_HUB_TOKEN");
  return o;
}

void ValidateRepoId(const std::string& repo) {
  static const std::regex re(R"([A-Za-z0-9._-]+/[A-Za-z0-9._-]+)");
  if (!std::regex_match(repo, re) || repo.find("..") != std::string::npos) {
    throw Error(kExitUsage, "not a Hub model id: '" + repo + "' (expected OWNER/REPO, e.g. Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF)");
  }
}

bool GlobMatch(const std::string& pattern, const std::string& text) {
  // The walker's matcher: linear time whatever the pattern (a user's --include or a Hub file name).
  return walk::WildMatch(pattern, text, walk::kWildCaseFold);
}

RepoListing ListRepo(const HubOptions& o, const std::string& repo) {
  ValidateRepoId(repo);
  RepoListing listing;
  listing.repo = repo;
  const std::string rev = UrlEncode(o.revision, false);
  const std::string what = repo + (o.revision == "main" ? "" : "@" + o.revision);

  json info;
  HttpResponse r = GetJson(o, o.endpoint + "/api/models/" + repo + "/revision/" + rev + "?blobs=true", what, &info);
  if (!r.ok()) ThrowHttp(o, r, what);
  const JsonFields revision(o, what, "the revision listing");
  revision.RequireObject(info, "the answer");
  listing.commit = revision.String(info, "sha", "sha");
  // The commit names a cache folder and goes into URLs: only a real commit id may.
  if (!listing.commit.empty() && !IsCommitId(listing.commit)) revision.Fail("sha", "'" + listing.commit.substr(0, 80) + "'", "a commit id");
  std::map<std::string, HubFile> files;
  if (const json* siblings = revision.Array(info, "siblings", "siblings")) {
    for (size_t i = 0; i < siblings->size(); ++i) {
      HubFile f = revision.File((*siblings)[i], "siblings[" + std::to_string(i) + "]", "rfilename", "sha256");
      files[f.path] = f;
    }
  }

  // The tree API has sizes and LFS hashes even where the revision API leaves them out.
  json tree;
  const std::string at = listing.commit.empty() ? rev : listing.commit;
  HttpResponse t = GetJson(o, o.endpoint + "/api/models/" + repo + "/tree/" + at + "?recursive=1", what, &tree);
  if (t.ok()) {
    const JsonFields listed(o, what, "the tree listing");
    if (!tree.is_array()) listed.Fail("the answer", std::string(tree.type_name()), "an array");
    for (size_t i = 0; i < tree.size(); ++i) {
      const std::string where = "[" + std::to_string(i) + "]";
      listed.RequireObject(tree[i], where);
      if (listed.String(tree[i], "type", where + ".type") != "file") continue;
      HubFile f = listed.File(tree[i], where, "path", "oid");
      HubFile& slot = files[f.path];
      slot.path = f.path;
      if (f.size >= 0) slot.size = f.size;
      if (!f.sha256.empty()) slot.sha256 = f.sha256;
    }
  } else if (t.status == 401 || t.status == 403 || t.redirect_refused) {
    ThrowHttp(o, t, what);
  } else {
    LogVerbose("tree listing of " + what + " unavailable (" + (t.error.empty() ? "HTTP " + std::to_string(t.status) : t.error) +
               "): sizes and checksums come from the revision listing only");
  }
  for (auto& [path, f] : files) listing.files.push_back(f);
  return listing;
}

std::vector<HubFile> SelectGguf(const std::vector<HubFile>& files, const std::vector<std::string>& includes) {
  std::set<std::string> wanted;
  std::set<std::string> split_stems;
  for (const auto& f : files) {
    if (!GlobMatch("*.gguf", f.path)) continue;
    bool hit = includes.empty();
    for (const auto& p : includes) hit = hit || GlobMatch(p, f.path) || GlobMatch(p, fs::path(f.path).filename().string());
    if (!hit) continue;
    wanted.insert(f.path);
    std::smatch m;
    if (std::regex_match(f.path, m, SplitRe())) split_stems.insert(Lower(m[1].str()) + "/" + m[3].str());
  }
  std::vector<HubFile> out;
  for (const auto& f : files) {
    std::smatch m;
    bool shard = std::regex_match(f.path, m, SplitRe()) && split_stems.count(Lower(m[1].str()) + "/" + m[3].str());
    if (wanted.count(f.path) || shard) out.push_back(f);
  }
  std::sort(out.begin(), out.end(), [](const HubFile& a, const HubFile& b) { return a.path < b.path; });
  return out;
}

fs::path RepoDir(const fs::path& models_dir, const std::string& repo) {
  ValidateRepoId(repo);
  return models_dir / repo;
}

std::string RevisionKey(const RepoListing& listing, const std::string& revision) {
  if (IsCommitId(listing.commit)) return listing.commit;
  std::string key = UrlEncode(revision.empty() ? "main" : revision, false);
  // "." and ".." would name the repository folder or its parent, not a revision's folder.
  if (key.find_first_not_of('.') == std::string::npos) {
    std::string dots;
    for (size_t i = 0; i < key.size(); ++i) dots += "%2E";
    key = dots;
  }
  return key;
}

fs::path RevisionDir(const fs::path& models_dir, const RepoListing& listing, const std::string& revision) {
  return RepoDir(models_dir, listing.repo) / RevisionKey(listing, revision);
}

DownloadResult DownloadHubFile(const HubOptions& o, const RepoListing& listing, const HubFile& file,
                               const fs::path& dest, const fs::path& reuse_from) {
  CheckRepoPath(file.path);
  const std::string name = fs::path(file.path).filename().string();
  Expected want{file.size, file.sha256};
  DownloadResult result;
  result.path = dest;
  if (UseCachedCopy(dest, name, want, &result)) return result;
  std::error_code ec;
  fs::create_directories(dest.parent_path(), ec);
  if (ec) throw Error(kExitIo, "cannot create " + dest.parent_path().string() + ": " + ec.message());
  if (!reuse_from.empty() && AdoptIdenticalCopy(reuse_from, dest, file.path, want, &result)) return result;

  const fs::path partial = dest.string() + ".partial";
  for (int pass = 1;; ++pass) {
    FetchPartial(o, listing, file, partial, &want, &result);
    uint64_t got = fs::file_size(partial, ec);
    if (want.size >= 0 && got != uint64_t(want.size)) {
      throw Error(kExitNetwork, "download of " + name + " ended at " + std::to_string(got) + " of " +
                                    std::to_string(want.size) + " bytes; run the same command again to resume");
    }
    result.bytes = got;
    if (want.sha256.empty()) {
      LogWarning("the Hub gave no SHA-256 for " + name + ": only its size was checked");
      break;
    }
    std::string actual = HashWithProgress(partial, name, got);
    if (actual == want.sha256) break;
    fs::remove(partial, ec);
    // Bytes kept from an earlier run may be what is wrong (a crash, another revision's partial):
    // one fresh transfer from byte 0 settles it before the user is told.
    if (pass == 1 && result.resumes > 0) {
      LogWarning("resumed download of " + name + " does not match the Hub's SHA-256: downloading it again from byte 0");
      result.resumes = 0;
      continue;
    }
    throw Error(kExitNetwork, "checksum mismatch for " + name + ": SHA-256 " + actual.substr(0, 12) + "..., the Hub says " +
                                  want.sha256.substr(0, 12) + "...; the download was deleted, run the command again");
  }
  Install(partial, dest, want.sha256);
  return result;
}

PullResult Pull(const HubOptions& o, const std::string& repo, const std::vector<std::string>& includes,
                const fs::path& models_dir) {
  RepoListing listing = ListRepo(o, repo);
  std::vector<HubFile> all_gguf = SelectGguf(listing.files, {});
  if (all_gguf.empty()) throw Error(kExitModel, repo + " has no .gguf files (scale runs GGUF models only; look for a -GGUF repository)");
  std::vector<HubFile> chosen = SelectGguf(listing.files, includes);
  if (chosen.empty()) {
    std::string names;
    for (size_t i = 0; i < all_gguf.size() && i < 6; ++i) names += (i ? ", " : "") + all_gguf[i].path;
    if (all_gguf.size() > 6) names += ", ...";
    throw Error(kExitUsage, "no .gguf file in " + repo + " matches --include (there are: " + names + ")");
  }
  PullResult result;
  const fs::path dir = RevisionDir(models_dir, listing, o.revision);
  for (const auto& f : chosen) {
    DownloadResult d = DownloadHubFile(o, listing, f, dir / f.path, RepoDir(models_dir, repo));
    LogInfo((d.already_present ? "already cached: " : "downloaded: ") + d.path.string() + " (" +
            FormatBytes(d.bytes) + ")");
    result.files.push_back(d);
  }
  result.first = result.files.front().path;
  return result;
}

}  // namespace scale::models
