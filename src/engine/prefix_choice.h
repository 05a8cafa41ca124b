// Which token prefixes the scheduler keeps: the common-prefix measure it places prompts by, and
// the choice of retained prefixes worth writing to the disk cache at the end of a run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "llama.h"

namespace scale::engine {

using Tokens = std::vector<llama_token>;

// Leading tokens a and b have in common.
size_t CommonPrefix(const Tokens& a, const Tokens& b);

// Of the cuts of the `held` sequences that this run's `shared` prefixes (with the requests that
// used each) start with, the `max_count` worth most (length x requests, cuts shorter than
// `min_share` never), longest first so that trimming a sequence for a shorter one never destroys
// a longer one still to be saved.
std::vector<Tokens> PrefixesWorthSaving(const std::vector<const Tokens*>& held,
                                        const std::map<Tokens, int64_t>& shared, size_t min_share,
                                        size_t max_count);

}  // namespace scale::engine
