#include "util/size.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "util/error.h"

namespace scale {

uint64_t ParseByteSize(std::string_view text, std::string_view what) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  std::string number(text.substr(0, i));
  while (i < text.size() && text[i] == ' ') ++i;  // "1.50 GiB", as FormatBytes prints it
  std::string unit(text.substr(i));
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!unit.empty() && unit.back() == 'b') unit.pop_back();  // "GB", "MiB" -> "g", "mi"
  if (unit.size() == 2 && unit.back() == 'i') unit.pop_back();  // binary units either way
  double value = 0;
  bool ok = !number.empty() && number != "." && number.find('.') == number.rfind('.');
  if (ok) {
    // The characters are digits and one '.', so only a range error is left for stod to report.
    try {
      value = std::stod(number);
    } catch (const std::exception&) {
      ok = false;
    }
  }
  double scale = unit.empty() ? 1 : unit == "k" ? 0x1p10 : unit == "m" ? 0x1p20 : unit == "g" ? 0x1p30
               : unit == "t" ? 0x1p40 : 0;
  double bytes = value * scale;
  if (!ok || scale == 0 || bytes < 1 || !std::isfinite(bytes) || bytes >= 0x1p64) {
    throw Error(kExitUsage, std::string(what) + ": invalid size '" + std::string(text) +
                                "' (expected e.g. 800M, 1G, 1.5GiB or a byte count)");
  }
  return static_cast<uint64_t>(bytes);
}

std::string FormatBytes(uint64_t bytes) {
  char buf[32];
  double b = static_cast<double>(bytes);
  if (bytes >= (1ull << 30)) {
    std::snprintf(buf, sizeof buf, "%.2f GiB", b / 0x1p30);
  } else if (bytes >= (1ull << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", b / 0x1p20);
  } else if (bytes >= (1ull << 10)) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", b / 0x1p10);
  } else {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  }
  return buf;
}

}  // namespace scale
