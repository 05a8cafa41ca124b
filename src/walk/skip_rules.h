// What a walk leaves out by name or content, whoever walks: vendored trees, generated files (lock
// files, *.min.js, protobuf output, "DO NOT EDIT" / "@generated" stamps), minified files (very long
// lines), and for callers that read the text: empty, binary and non-UTF-8 files.
#pragma once

#include <string>
#include <string_view>

namespace scale::walk {

// vendor/, third_party/, third-party/, 3rdparty/, node_modules/, bower_components/.
bool IsVendoredDir(std::string_view name);

// "" when `rel` (a '/'-separated path) with text starting `head` is worth reading, else
// "vendored", "generated" or "minified". `head` may be just the first KiBs of the file.
std::string PolicySkipReason(const std::string& rel, std::string_view head);

// "" when `content` is text, else "empty", "binary" or "not UTF-8".
std::string ContentSkipReason(std::string_view content);

// Both, content first: what `scale summarize` skips.
std::string SkipReason(const std::string& rel, std::string_view content);

// How much of a file PolicySkipReason needs to see.
constexpr size_t kPolicyHeadBytes = 64 << 10;

}  // namespace scale::walk
