// `scale distill --teacher MODEL DIR...`: a larger model writes the answers. Every routine of the
// trees gets the exact request `scale comment` would send the student (harvest's prompt, the
// routine's own comment removed); the teacher's answer goes through scale comment's sanitizer and
// harvest's filters. Answers are journalled as they arrive, so a stopped run resumes where it was.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "distill/harvest.h"
#include "engine/llm.h"

namespace scale {
class Progress;
}

namespace scale::distill {

struct TeacherOptions {
  engine::SamplingParams sampling;  // as scale comment's (greedy by default)
  double time_limit_s = 0;          // per request
  // Append-only journal of answers (one JSON object per line). Lines whose key matches a routine
  // of this run are reused instead of asked again; a torn last line is ignored.
  std::filesystem::path journal;
};

struct TeacherReport {
  int asked = 0;    // requests sent to the teacher in this run
  int reused = 0;   // answers taken from the journal
  int kept = 0;     // rows written
  std::map<std::string, int> rejected;  // why the teacher's answer was not used -> routines
  bool interrupted = false;             // cancelled (Ctrl-C): the journal has what was answered
};

struct Teaching {
  Harvest harvest;  // rows (answers filled, split by file) and the walk's report
  TeacherReport teacher;
};

// Throws HarvestRoots' errors, and Error(kExitIo) when the journal cannot be written. The rows are
// sorted like a harvest's and do not depend on the order answers arrived in or on a resume.
Teaching TeachRoots(engine::Llm& teacher, const std::vector<std::filesystem::path>& roots,
                    const HarvestOptions& options, const TeacherOptions& teacher_options, Progress* progress);

// The journal key of a request: the teacher, the sampling, the routine's identity and the prompt.
std::string TeacherKey(const engine::Llm& teacher, const engine::SamplingParams& sampling, const HarvestedRow& row);

}  // namespace scale::distill
