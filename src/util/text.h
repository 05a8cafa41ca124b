// The one set of line and whitespace helpers: a line is what ends at '\n' or at the end of the text
// (so "a\n" is one line, "a" is one line, "" is none), and whitespace is ASCII only (UTF-8 untouched).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace scale {

// The whitespace every helper here uses: the C locale's isspace set. Only ASCII bytes, so a
// UTF-8 sequence (all bytes >= 0x80) is never cut.
inline constexpr std::string_view kWhitespace = " \t\n\v\f\r";

// Whether a '\r' ending a line (CRLF) is dropped from it or kept as part of the line.
enum class Cr { kDrop, kKeep };

// The lines of `text`, without their '\n'. Views into `text`.
std::vector<std::string_view> SplitLineViews(std::string_view text, Cr cr = Cr::kDrop);
// The same lines as owned strings, for callers that edit them.
std::vector<std::string> SplitLines(std::string_view text, Cr cr = Cr::kDrop);

// `s` without leading and trailing kWhitespace.
std::string_view TrimView(std::string_view s);
std::string Trim(std::string_view s);

// True when `s` is empty or all kWhitespace.
bool IsBlank(std::string_view s);

// `parts` with `sep` between each two ("" for none).
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// `text` with every occurrence of `from` (non-empty) replaced by `to`, left to right, never
// rescanning what was put in.
std::string ReplaceAll(std::string_view text, std::string_view from, std::string_view to);

}  // namespace scale
