#include "summarize/walker.h"

namespace scale::summarize {

WalkResult Walk(const std::vector<std::filesystem::path>& paths, const WalkOptions& options) {
  walk::Options o;
  o.include = options.include;
  o.exclude = options.exclude;
  o.max_file_bytes = options.max_file_bytes;
  o.read_contents = true;
  return walk::Walk(paths, o);
}

}  // namespace scale::summarize
