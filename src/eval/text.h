// Unicode-aware character classes for the metrics: enough of Python's str semantics (\w, \s,
// lower()) that CodeXGLUE's tokenisation is reproduced on real docstrings, without ICU.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace scale::eval {

// One code point of a UTF-8 string: where its bytes are and what it decodes to. An invalid byte
// decodes to itself (0x80..0xFF) as a one-byte "code point", so no input is ever rejected.
struct CodePoint {
  char32_t cp = 0;
  size_t offset = 0;
  size_t length = 0;
};
std::vector<CodePoint> DecodeUtf8(std::string_view text);
void AppendUtf8(char32_t cp, std::string* out);

// Python's \w for str patterns (alphanumeric in any script, or '_'). Non-ASCII: every code point
// is a word character except the punctuation, symbol, combining-mark and space blocks listed in
// text.cc (an approximation of Unicode categories that is exact for ASCII and Latin-1).
bool IsWordChar(char32_t cp);
// Python's str.isspace() / \s.
bool IsSpaceChar(char32_t cp);
// Python's str.lower() for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic; others unchanged.
char32_t LowerCodePoint(char32_t cp);

// text.split() with Python's whitespace.
std::vector<std::string> SplitWhitespace(std::string_view text);

}  // namespace scale::eval
