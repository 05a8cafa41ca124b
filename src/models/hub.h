// Downloads GGUF files from a Hugging Face Hub (or a mirror: $HF_ENDPOINT) into the model cache.
// A file appears under its final name only after its size and SHA-256 match the Hub's metadata;
// until then it is NAME.partial, which a later pull resumes with an HTTP Range request.
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
  std::string commit;   // resolved commit id (downloads use it so all files come from one commit)
  std::vector<HubFile> files;
};

// OWNER/REPO, each part [A-Za-z0-9._-]+ . Throws Error(kExitUsage) otherwise.
void ValidateRepoId(const std::string& repo);

// Lists the repository's files (revision API, then the tree API for sizes and hashes).
// Throws Error(kExitNetwork) with a one-line reason: unreachable, 401 (token), 403 (gated), 404.
RepoListing ListRepo(const HubOptions& options, const std::string& repo);

// Shell-style glob (* ? [abc] [!a-z]), case-insensitive; '*' also crosses '/'.
bool GlobMatch(const std::string& pattern, const std::string& text);

// The .gguf files matching any of `includes` (all .gguf files when empty), sorted by path. When
// one shard of a split model (NAME-00001-of-00003.gguf) matches, all its shards are taken.
std::vector<HubFile> SelectGguf(const std::vector<HubFile>& files, const std::vector<std::string>& includes);

// Where a repository's files are cached: models_dir/OWNER/REPO.
std::filesystem::path RepoDir(const std::filesystem::path& models_dir, const std::string& repo);

struct DownloadResult {
  std::filesystem::path path;
  uint64_t bytes = 0;
  bool already_present = false;
  int resumes = 0;  // transfers that continued a partial file
};

// Downloads one file into dest (creating parents), resuming dest + ".partial". Checks size and
// SHA-256 when known. Throws Error(kExitNetwork): HTTP errors, network failure after
// max_attempts (the .partial is kept for the next run), checksum mismatch (the .partial is deleted).
DownloadResult DownloadHubFile(const HubOptions& options, const RepoListing& listing, const HubFile& file,
                               const std::filesystem::path& dest);

struct PullResult {
  std::vector<DownloadResult> files;
  std::filesystem::path first;  // the file to pass to -m (the first shard of a split model)
};

// ListRepo + SelectGguf + DownloadHubFile for each. Throws Error(kExitModel) when the repo has no
// .gguf file, Error(kExitUsage) when none matches the --include patterns.
PullResult Pull(const HubOptions& options, const std::string& repo, const std::vector<std::string>& includes,
                const std::filesystem::path& models_dir);

}  // namespace scale::models
