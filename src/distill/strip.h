// A source file as it would be without one routine's doc comment: the input `scale comment` would
// see for that routine if nobody had written the comment, which is what a harvested row shows.
#pragma once

#include <string>
#include <string_view>

#include "languages/language.h"

namespace scale::distill {

// `file.text` without routine `id`'s comment bytes (Routine::comment_begin..comment_end). When the
// comment has its lines to itself, those whole lines go (indentation and line end included), so
// no blank line is left where the comment was; otherwise only the comment's own bytes. Throws
// std::out_of_range for an id that is not a routine of `file`; a routine without a comment gives
// the text unchanged. With a `placeholder`, the comment's bytes are replaced by it instead (lines
// kept): Python's `pass` for a body that is nothing but its docstring.
std::string WithoutComment(const languages::ParsedFile& file, int id, std::string_view placeholder = {});

}  // namespace scale::distill
