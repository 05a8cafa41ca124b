// The held-out split of a harvest, by file: every row of a file lands in the same split, so no
// routine's neighbours (or its copies in the same file) leak from training into evaluation.
#pragma once

#include <cstdint>
#include <string_view>

namespace scale::distill {

// True when the file named `file_key` ("root/path") is held out: a SHA-256 of the seed and the key
// read as a fraction in [0, 1) falls below `fraction`. A pure function of (seed, key).
bool HeldOutFile(uint64_t seed, std::string_view file_key, double fraction);

}  // namespace scale::distill
