// Which server a request goes to. Requests with the same affinity key (one file's routines share
// the system prompt, the template and the file summary) rank the endpoints the same way, so they
// reach the same server and its prompt cache serves the shared prefix; different keys spread over
// the servers in proportion to their weights (weighted rendezvous hashing: a server that leaves
// moves only its own keys).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace scale::remote {

// Endpoint indices, best first, for `key`. Deterministic across runs and machines.
std::vector<size_t> RankEndpoints(std::string_view key, const std::vector<double>& weights);

}  // namespace scale::remote
