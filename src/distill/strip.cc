#include "distill/strip.h"

namespace scale::distill {

std::string WithoutComment(const languages::ParsedFile& file, int id, std::string_view placeholder) {
  const languages::Routine& r = file.routines.at(static_cast<size_t>(id));
  const std::string& text = file.text;
  if (!r.has_comment || r.comment_end <= r.comment_begin || r.comment_end > text.size()) return text;
  size_t begin = r.comment_begin, end = r.comment_end;
  if (!placeholder.empty()) return text.substr(0, begin) + std::string(placeholder) + text.substr(end);
  // Whole lines when nothing but blanks shares them with the comment.
  size_t line_start = begin;
  while (line_start > 0 && text[line_start - 1] != '\n') --line_start;
  bool alone_before = text.find_first_not_of(" \t", line_start) >= begin;
  size_t after = text.find_first_not_of(" \t\r", end);
  bool alone_after = after == std::string::npos || text[after] == '\n';
  if (alone_before && alone_after) {
    begin = line_start;
    end = after == std::string::npos ? text.size() : after + 1;
  }
  return text.substr(0, begin) + text.substr(end);
}

}  // namespace scale::distill
