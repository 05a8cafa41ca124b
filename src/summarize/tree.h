// The summary tree of a walked repository: chunks -> files -> folders -> the repo (root folder).
// Nodes are stored in post-order (a node after all of its children; files before sub-folders,
// both in name order), which is also the job order handed to the engine, so the lowest ready
// job index is always the next chunk in reading order.
#pragma once

#include <string>
#include <vector>

#include "summarize/walker.h"

namespace scale::summarize {

enum class NodeKind { kChunk, kFile, kFolder, kRepo };
const char* NodeKindName(NodeKind kind);  // "chunk", "file", "folder", "repo"

struct Node {
  NodeKind kind = NodeKind::kChunk;
  std::string path;     // '/'-separated below the root; "." for the repo
  int start_line = 0;   // chunks (and files: 1..last line); 0 for folders
  int end_line = 0;
  std::string code;     // chunk text
  std::string language; // chunks: "python", "c", "javascript" or "text"
  std::vector<size_t> children;  // chunks of a file; files then sub-folders of a folder
  long parent = -1;

  // Filled in by Summarize().
  std::string summary;
  std::string error;        // why there is no summary
  bool cached = false;      // answer came from the summary cache
  bool reused = false;      // only one child: its summary stands for this node (no request)
  bool preset = false;      // summary (or error) given, e.g. by a shard file: Summarize keeps it
  int prompt_tokens = 0;
  int cached_prompt_tokens = 0;
  int completion_tokens = 0;
};

struct Tree {
  std::string root_name;  // the root directory's name, for titles
  std::vector<Node> nodes;
  size_t root = 0;        // index of the repo node (always the last)
  size_t Count(NodeKind kind) const;
};

Tree BuildTree(const WalkResult& walk, int chunk_lines);

// A file and its chunks, ready to be placed in a tree (their children/parent links are set there).
struct FileNodes {
  Node file;                // kind kFile, path = the '/'-separated path below the root
  std::vector<Node> chunks;
  std::string sha256;       // of the file's bytes (a shard file carries it; CutFiles fills it)
};

// The same tree BuildTree makes, from files already cut into chunks (by a shard run): folders
// come from the paths. `files` must be in walk order (byte order of the paths).
Tree BuildTreeFromFiles(const std::string& root_name, std::vector<FileNodes> files);

// The files and chunks of `walk` as BuildTree cuts them (walk order).
std::vector<FileNodes> CutFiles(const WalkResult& walk, int chunk_lines);

}  // namespace scale::summarize
