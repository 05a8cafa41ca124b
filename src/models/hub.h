// Downloads GGUF files from a Hugging Face Hub (or a mirror: $HF_ENDPOINT) into the model cache,
// models_dir/OWNER/REPO/<commit>/FILE: one folder per revision, so files of different commits
// never mix and a partial download is only ever resumed with bytes of its own commit.
// A file appears under its final name only after its size and SHA-256 match the Hub's (the LFS
// object id of the listing, else the X-Linked-Etag of the Hub's download redirect); until then it
// is FILE.partial, which a later pull resumes with an HTTP Range request. FILE.verified (see
// util/verified_file.h) records the check, so a cached file is re-hashed only once it changed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace scale::models {

struct HubOptions {
  std::string endpoint = "https://huggingface.co";  // no trailing slash
  std::string token;                                // sent as "Authorization: Bearer ..." if set
  std::string revision = "main";
  int max_attempts = 5;    // per file: transfers that drop mid-file are resumed this many times
  long stall_timeout_s = 60;
  long connect_timeout_s = 30;
};

// Defaults overridden by $HF_ENDPOINT and $HF_TOKEN (then $HUGGING_FACE_HUB_TOKEN).
HubOptions HubOptionsFromEnv();

struct HubFile {
  std::string path;     // path inside the repository ("sub/x-Q4_K_M.gguf")
  int64_t size = -1;    // bytes, -1 when the Hub did not say
  std::string sha256;   // LFS object id (lowercase hex), empty when unknown
};

struct RepoListing {
  std::string repo;
  std::string commit;   // resolved commit id, 40 (or 64) lowercase hex, "" when the Hub gave none;
                        // downloads use it so all files come from one commit
  std::vector<HubFile> files;
};

// OWNER/REPO, each part [A-Za-z0-9._-]+ . Throws Error(kExitUsage) otherwise.
void ValidateRepoId(const std::string& repo);

// Lists the repository's files (revision API, then the tree API for sizes and hashes).
// Throws Error(kExitNetwork) with a one-line reason: unreachable, 401 (token), 403 (gated), 404,
// a refused redirect, or an answer that is not what the Hub sends (not JSON, a field of the wrong
// type, a commit id or SHA-256 that is not hex): a mirror's mistake never passes as "no hash".
RepoListing ListRepo(const HubOptions& options, const std::string& repo);

// Shell-style glob (* ? [abc] [!a-z]), case-insensitive; '*' also crosses '/'.
bool GlobMatch(const std::string& pattern, const std::string& text);

// The .gguf files matching any of `includes` (all .gguf files when empty), sorted by path. When
// one shard of a split model (NAME-00001-of-00003.gguf) matches, all its shards are taken.
std::vector<HubFile> SelectGguf(const std::vector<HubFile>& files, const std::vector<std::string>& includes);

// Where a repository's files are cached: models_dir/OWNER/REPO.
std::filesystem::path RepoDir(const std::filesystem::path& models_dir, const std::string& repo);

// The folder name of a revision: the listing's commit id, else the requested revision (branch,
// tag) percent-encoded, so that it is always one safe path component.
std::string RevisionKey(const RepoListing& listing, const std::string& revision);
// RepoDir(models_dir, listing.repo) / RevisionKey(listing, revision).
std::filesystem::path RevisionDir(const std::filesystem::path& models_dir, const RepoListing& listing,
                                  const std::string& revision);

struct DownloadResult {
  std::filesystem::path path;
  uint64_t bytes = 0;
  bool already_present = false;
  int resumes = 0;  // transfers that continued a partial file
};

// Downloads one file into dest (creating parents), resuming dest + ".partial" (opened without
// following symlinks, created 0644 masked by the umask). Checks size and SHA-256 whenever the Hub
// gives them, also for a copy already at dest (already_present; re-hashed only if it changed since
// its marker, deleted and fetched again if it does not match). When `reuse_from` (the repository's
// folder) is given, a copy with the same SHA-256 in another revision's folder, or at
// reuse_from/FILE (the layout before revision folders), is moved to dest instead of downloaded.
// A 206 with the wrong Content-Range restarts the file from byte 0 once. Throws
// Error(kExitNetwork): HTTP errors, a refused redirect (https -> http), network failure after
// max_attempts (the .partial is kept for the next run), checksum mismatch (the .partial is
// deleted; a resumed file is first fetched once more from byte 0). Error(kExitIo): disk.
DownloadResult DownloadHubFile(const HubOptions& options, const RepoListing& listing, const HubFile& file,
                               const std::filesystem::path& dest, const std::filesystem::path& reuse_from = {});

struct PullResult {
  std::vector<DownloadResult> files;
  std::filesystem::path first;  // the file to pass to -m (the first shard of a split model)
};

// ListRepo + SelectGguf + DownloadHubFile for each into RevisionDir(models_dir, ...). Throws Error(kExitModel) when the repo has no
// .gguf file, Error(kExitUsage) when none matches the --include patterns.
PullResult Pull(const HubOptions& options, const std::string& repo, const std::vector<std::string>& includes,
                const std::filesystem::path& models_dir);

}  // namespace scale::models
