// LSP positions ({line, character}) <-> byte offsets in a UTF-8 buffer, in the negotiated
// encoding (UTF-16 code units by default, or UTF-8 bytes), plus file URIs <-> paths.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace scale::lsp {

enum class Encoding { kUtf16, kUtf8 };

struct Position {
  int line = 0;       // 0-based
  int character = 0;  // 0-based, in the encoding's units
};

// The byte offset of `pos`. Lines end at "\n", "\r\n" or "\r" (the spec's three). A character past
// the line's end means the end of the line (the spec's rule), a line past the last one the end of
// the text, and a position inside a character (half a surrogate pair, a UTF-8 continuation byte)
// the start of that character. Invalid UTF-8 bytes count as one unit each.
size_t OffsetOf(std::string_view text, Position pos, Encoding encoding);

// The position of byte `offset` (clamped to the text; an offset inside a character counts as
// that character's start).
Position PositionOf(std::string_view text, size_t offset, Encoding encoding);

// {"line": L, "character": C}; throws nlohmann::json::exception when `j` is not a position.
Position ParsePosition(const nlohmann::json& j);
nlohmann::json ToJson(Position pos);

// textDocument/didChange: one change event applied to `text` (a whole-text event when it has no
// range). Throws nlohmann::json::exception for a malformed event.
void ApplyChange(std::string& text, const nlohmann::json& change, Encoding encoding);

// "file:///a%20b/c.py" -> "/a b/c.py"; nullopt for other schemes. (Windows drive letters keep their
// "/C:/" form stripped to "C:/".)
std::optional<std::string> UriToPath(std::string_view uri);

}  // namespace scale::lsp
