// Byte sizes as people type and read them. Units are binary everywhere (K = 1024, "1GB" = 1 GiB),
// so a size that a user types, a limit we print and a size we report mean the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace scale {

// "800M", "1G", "1.5GiB", "2gb", "512k", "500KiB", "4096", "10B" -> bytes (rounded down). A
// number (at most one '.'), optional spaces and an optional unit K, M, G or T, any case,
// optionally followed by "i" and/or "B"; what FormatBytes prints parses back. Zero, negative or unparsable sizes throw Error(kExitUsage, "<what>: invalid
// size '<text>' (...)").
uint64_t ParseByteSize(std::string_view text, std::string_view what);

// "512 B", "1.5 KiB", "800.0 MiB", "1.50 GiB": the largest binary unit not above the value.
std::string FormatBytes(uint64_t bytes);

}  // namespace scale
