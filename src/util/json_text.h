// Text that must go into JSON (paths, messages) but may hold bytes that are not UTF-8: a file name
// on Linux is any bytes. nlohmann::json throws on invalid UTF-8 when dumping, so everything a
// report prints passes through here first.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace scale {

// `bytes` unchanged when it is valid UTF-8; otherwise each byte that is not part of a valid
// sequence becomes the four characters "\xNN" (lowercase hex) and a literal backslash becomes
// "\\", so distinct inputs never print the same.
std::string JsonSafe(std::string_view bytes);
inline std::string JsonSafe(const std::string& bytes) { return JsonSafe(std::string_view(bytes)); }
inline std::string JsonSafe(const char* bytes) { return JsonSafe(std::string_view(bytes)); }
inline std::string JsonSafe(const std::filesystem::path& path) { return JsonSafe(std::string_view(path.native())); }

// True when `text` is valid UTF-8 (RFC 3629: no overlongs, surrogates or values above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Length of the valid UTF-8 sequence starting at text[i], or 0 if none starts there.
size_t Utf8SequenceLength(std::string_view text, size_t i);

}  // namespace scale
