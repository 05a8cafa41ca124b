// Bytes as lower-case hexadecimal and back: how scale keeps exact bytes (paths, model text that
// is not UTF-8) inside JSON, and how digests are shown.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scale {

std::string HexEncode(std::string_view bytes);  // two lower-case digits per byte
// The bytes of `hex`; nullopt for an odd length or a character outside [0-9a-f].
std::optional<std::string> HexDecode(std::string_view hex);

}  // namespace scale
