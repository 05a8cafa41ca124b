#include "lsp/positions.h"

#include <algorithm>

namespace scale::lsp {
namespace {

// Length of the UTF-8 sequence a lead byte starts (1 for a stray continuation or invalid byte).
size_t SequenceLength(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

// The sequence at `i` as (bytes, units). A truncated or malformed sequence is one byte, one unit.
std::pair<size_t, int> CharAt(std::string_view text, size_t i, Encoding encoding) {
  size_t n = SequenceLength(static_cast<unsigned char>(text[i]));
  if (i + n > text.size()) n = 1;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
      n = 1;
      break;
    }
  }
  if (encoding == Encoding::kUtf8) return {n, static_cast<int>(n)};
  return {n, n == 4 ? 2 : 1};  // code points above U+FFFF are a surrogate pair in UTF-16
}

// Start of line `line` (0-based), or text.size() when there are fewer lines.
size_t LineStart(std::string_view text, int line) {
  size_t i = 0;
  for (int l = 0; l < line; ++l) {
    while (i < text.size() && text[i] != '\n' && text[i] != '\r') ++i;
    if (i >= text.size()) return text.size();
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    ++i;
  }
  return i;
}

}  // namespace

size_t OffsetOf(std::string_view text, Position pos, Encoding encoding) {
  if (pos.line < 0) return 0;
  size_t i = LineStart(text, pos.line);
  int units = 0;
  while (i < text.size() && text[i] != '\n' && text[i] != '\r') {
    auto [bytes, width] = CharAt(text, i, encoding);
    if (units + width > pos.character) break;  // also stops inside a surrogate pair
    units += width;
    i += bytes;
  }
  return i;
}

Position PositionOf(std::string_view text, size_t offset, Encoding encoding) {
  offset = std::min(offset, text.size());
  Position pos;
  size_t i = 0;
  while (i < offset) {
    char c = text[i];
    if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        if (i + 1 == offset) break;  // between \r and \n: still the end of this line
        ++i;
      }
      ++i;
      ++pos.line;
      pos.character = 0;
      continue;
    }
    auto [bytes, width] = CharAt(text, i, encoding);
    if (i + bytes > offset) break;
    pos.character += width;
    i += bytes;
  }
  return pos;
}

Position ParsePosition(const nlohmann::json& j) {
  return {j.at("line").get<int>(), j.at("character").get<int>()};
}

nlohmann::json ToJson(Position pos) { return {{"line", pos.line}, {"character", pos.character}}; }

void ApplyChange(std::string& text, const nlohmann::json& change, Encoding encoding) {
  std::string replacement = change.at("text").get<std::string>();
  if (!change.contains("range")) {
    text = std::move(replacement);
    return;
  }
  const auto& range = change.at("range");
  size_t begin = OffsetOf(text, ParsePosition(range.at("start")), encoding);
  size_t end = OffsetOf(text, ParsePosition(range.at("end")), encoding);
  if (end < begin) std::swap(begin, end);
  text.replace(begin, end - begin, replacement);
}

std::optional<std::string> UriToPath(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (uri.size() < kScheme.size()) return std::nullopt;
  std::string scheme(uri.substr(0, kScheme.size()));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  if (scheme != kScheme) return std::nullopt;
  std::string_view rest = uri.substr(kScheme.size());
  // An authority ("file://host/path") is dropped; "localhost" and "" are the usual ones.
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  rest = rest.substr(slash);
  std::string path;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size() && hex(rest[i + 1]) >= 0 && hex(rest[i + 2]) >= 0) {
      path += static_cast<char>(hex(rest[i + 1]) * 16 + hex(rest[i + 2]));
      i += 2;
    } else if (rest[i] == '?' || rest[i] == '#') {
      break;
    } else {
      path += rest[i];
    }
  }
  if (path.size() >= 3 && path[0] == '/' && std::isalpha(static_cast<unsigned char>(path[1])) && path[2] == ':') {
    path.erase(0, 1);
  }
  return path;
}

}  // namespace scale::lsp
