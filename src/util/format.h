// Small number formatting shared by the reports (bench tables, eval tables, summaries).
#pragma once

#include <string>

namespace scale {

// `v` with exactly `decimals` digits after the point: FormatFixed(2.345, 1) == "2.3".
std::string FormatFixed(double v, int decimals);

}  // namespace scale
