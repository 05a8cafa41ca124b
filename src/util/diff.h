// Unified diffs in the format of `diff -u` (GNU diffutils): the same hunks, ranges, context and
// "\ No newline at end of file" markers; the "---"/"+++" lines carry the given labels, no timestamps.
// Used by `scale comment --diff`. Pure functions; deterministic for the same inputs.
#pragma once

#include <string>
#include <string_view>

namespace scale {

// Returns "" when the texts are equal. `context` lines of context around each change (diff -u: 3).
// Lines are split at '\n' only, so CRLF files diff with their '\r' kept on each line.
std::string UnifiedDiff(std::string_view old_text, std::string_view new_text, const std::string& old_label,
                        const std::string& new_label, int context = 3);

}  // namespace scale
