#include "models/hub.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "models/download_progress.h"
#include "models/http.h"
#include "models/sha256.h"
#include "util/error.h"
#include "util/log.h"

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

bool GlobAt(const std::string& p, size_t pi, const std::string& t, size_t ti) {
  while (pi < p.size()) {
    char c = p[pi];
    if (c == '*') {
      while (pi < p.size() && p[pi] == '*') ++pi;
      if (pi == p.size()) return true;
      for (size_t k = ti; k <= t.size(); ++k) {
        if (GlobAt(p, pi, t, k)) return true;
      }
      return false;
    }
    if (ti >= t.size()) return false;
    if (c == '?') {
      ++pi, ++ti;
      continue;
    }
    if (c == '[') {
      size_t end = p.find(']', pi + 2);
      if (end != std::string::npos) {
        bool negate = p[pi + 1] == '!' || p[pi + 1] == '^';
        bool hit = false;
        for (size_t k = pi + 1 + (negate ? 1 : 0); k < end; ++k) {
          if (k + 2 < end && p[k + 1] == '-') {
            hit |= t[ti] >= p[k] && t[ti] <= p[k + 2];
            k += 2;
          } else {
            hit |= t[ti] == p[k];
          }
        }
        if (hit == negate) return false;
        pi = end + 1, ++ti;
        continue;
      }
    }
    if (c != t[ti]) return false;
    ++pi, ++ti;
  }
  return ti == t.size();
}

const std::regex& SplitRe() {
  static const std::regex re(R"((.*)-(\d{5})-of-(\d{5})\.gguf)", std::regex::icase);
  return re;
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
  return GlobAt(Lower(pattern), 0, Lower(text), 0);
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
  listing.commit = info.value("sha", std::string());
  std::map<std::string, HubFile> files;
  if (info.contains("siblings") && info["siblings"].is_array()) {
    for (const auto& s : info["siblings"]) {
      HubFile f;
      f.path = s.value("rfilename", std::string());
      if (f.path.empty()) continue;
      if (s.contains("size") && s["size"].is_number_integer()) f.size = s["size"].get<int64_t>();
      if (s.contains("lfs") && s["lfs"].is_object()) {
        f.sha256 = Lower(s["lfs"].value("sha256", std::string()));
        if (s["lfs"].contains("size") && s["lfs"]["size"].is_number_integer()) f.size = s["lfs"]["size"].get<int64_t>();
      }
      files[f.path] = f;
    }
  }

  // The tree API has sizes and LFS hashes even where the revision API leaves them out.
  json tree;
  const std::string at = listing.commit.empty() ? rev : listing.commit;
  HttpResponse t = GetJson(o, o.endpoint + "/api/models/" + repo + "/tree/" + at + "?recursive=1", what, &tree);
  if (t.ok() && tree.is_array()) {
    for (const auto& e : tree) {
      if (e.value("type", std::string()) != "file") continue;
      HubFile f;
      f.path = e.value("path", std::string());
      if (f.path.empty()) continue;
      if (e.contains("size") && e["size"].is_number_integer()) f.size = e["size"].get<int64_t>();
      if (e.contains("lfs") && e["lfs"].is_object()) {
        f.sha256 = Lower(e["lfs"].value("oid", std::string()));
        if (e["lfs"].contains("size") && e["lfs"]["size"].is_number_integer()) f.size = e["lfs"]["size"].get<int64_t>();
      }
      HubFile& slot = files[f.path];
      slot.path = f.path;
      if (f.size >= 0) slot.size = f.size;
      if (!f.sha256.empty()) slot.sha256 = f.sha256;
    }
  } else if (t.status == 401 || t.status == 403) {
    ThrowHttp(o, t, what);
  } else {
    LogVerbose("tree listing of " + what + " unavailable (" + (t.error.empty() ? "HTTP " + std::to_string(t.status) : t.error) +
               "): sizes and checksums come from the revision listing only");
  }
  for (auto& [path, f] : files) {
    // Hashes must be plain hex: they name nothing on disk, but a mirror could send anything.
    if (!f.sha256.empty() && !std::regex_match(f.sha256, std::regex("[0-9a-f]{64}"))) f.sha256.clear();
    listing.files.push_back(f);
  }
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

DownloadResult DownloadHubFile(const HubOptions& o, const RepoListing& listing, const HubFile& file,
                               const fs::path& dest) {
  // Repository paths come from the network: refuse anything that could leave the cache folder.
  fs::path rel(file.path);
  for (const auto& part : rel) {
    if (part == ".." || part.string().empty() || rel.is_absolute()) {
      throw Error(kExitNetwork, "refusing the Hub file name '" + file.path + "' (it points outside the cache)");
    }
  }
  DownloadResult result;
  result.path = dest;
  std::error_code ec;
  if (fs::exists(dest, ec) && (file.size < 0 || int64_t(fs::file_size(dest, ec)) == file.size)) {
    result.already_present = true;
    result.bytes = fs::file_size(dest, ec);
    return result;
  }
  fs::create_directories(dest.parent_path(), ec);
  if (ec) throw Error(kExitIo, "cannot create " + dest.parent_path().string() + ": " + ec.message());
  const fs::path partial = dest.string() + ".partial";
  const std::string rev = listing.commit.empty() ? UrlEncode(o.revision, false) : listing.commit;
  HttpRequest req{o.endpoint + "/" + listing.repo + "/resolve/" + rev + "/" + UrlEncode(file.path, true), AuthHeaders(o)};
  req.stall_timeout_s = o.stall_timeout_s;
  req.connect_timeout_s = o.connect_timeout_s;
  const std::string name = fs::path(file.path).filename().string();
  std::string linked_sha;

  for (int attempt = 1;; ++attempt) {
    uint64_t offset = fs::exists(partial, ec) ? fs::file_size(partial, ec) : 0;
    if (file.size >= 0 && offset > uint64_t(file.size)) {
      fs::remove(partial, ec);  // longer than the real file: not ours to resume
      offset = 0;
    }
    if (file.size >= 0 && offset == uint64_t(file.size) && offset > 0) break;  // finished earlier, verify below
    if (offset > 0) {
      ++result.resumes;
      LogInfo("resuming " + name + " at " + DownloadProgress::FormatBytes(offset));
    }
    std::FILE* out = std::fopen(partial.c_str(), offset > 0 ? "r+b" : "wb");
    if (!out) throw Error(kExitIo, "cannot write " + partial.string());
    std::fseek(out, 0, SEEK_END);
    HttpResponse r;
    {
      DownloadProgress bar(name, file.size, offset);
      r = HttpDownload(req, out, offset, [&](uint64_t now, int64_t) {
        bar.Update(offset + now);
        return true;
      });
    }
    bool write_failed = std::ferror(out) != 0;
    std::fclose(out);
    if (write_failed) throw Error(kExitIo, "could not write " + partial.string() + " (disk full?)");
    if (!r.linked_etag.empty()) linked_sha = Lower(r.linked_etag);
    if (r.status == 416) {
      // Our partial file does not fit the server's file (changed upstream): start over.
      fs::remove(partial, ec);
      if (attempt < o.max_attempts) continue;
    }
    if (r.status != 0 && (r.status < 200 || r.status >= 300)) ThrowHttp(o, r, listing.repo + "/" + file.path);
    if (r.error.empty()) break;
    if (r.status == 0 && attempt == 1 && offset == 0) ThrowHttp(o, r, listing.repo + "/" + file.path);
    if (attempt >= o.max_attempts) {
      throw Error(kExitNetwork, "download of " + name + " failed after " + std::to_string(attempt) + " attempts (" + r.error +
                                    "); run the same command again to resume from " + partial.filename().string());
    }
    LogInfo("connection lost during " + name + " (" + r.error + "); resuming");
  }

  uint64_t got = fs::file_size(partial, ec);
  if (file.size >= 0 && got != uint64_t(file.size)) {
    throw Error(kExitNetwork, "download of " + name + " ended at " + std::to_string(got) + " of " +
                                  std::to_string(file.size) + " bytes; run the same command again to resume");
  }
  std::string expected = file.sha256.empty() ? linked_sha : file.sha256;
  if (!std::regex_match(expected, std::regex("[0-9a-f]{64}"))) expected.clear();
  if (!expected.empty()) {
    std::string actual;
    {
      DownloadProgress bar("checking " + name, int64_t(got), 0);
      actual = Sha256File(partial, [&](uint64_t done) { bar.Update(done); });
    }
    if (actual != expected) {
      fs::remove(partial, ec);
      throw Error(kExitNetwork, "checksum mismatch for " + name + ": SHA-256 " + actual.substr(0, 12) + "..., the Hub says " +
                                    expected.substr(0, 12) + "...; the download was deleted, run the command again");
    }
  } else {
    LogWarning("the Hub gave no SHA-256 for " + name + ": only its size was checked");
  }
  fs::rename(partial, dest, ec);
  if (ec) throw Error(kExitIo, "cannot rename " + partial.string() + ": " + ec.message());
  result.bytes = got;
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
  const fs::path dir = RepoDir(models_dir, repo);
  for (const auto& f : chosen) {
    DownloadResult d = DownloadHubFile(o, listing, f, dir / f.path);
    LogInfo((d.already_present ? "already cached: " : "downloaded: ") + d.path.string() + " (" +
            DownloadProgress::FormatBytes(d.bytes) + ")");
    result.files.push_back(d);
  }
  result.first = result.files.front().path;
  return result;
}

}  // namespace scale::models
