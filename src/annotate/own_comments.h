// scale's record of the comments it wrote, so that a later run can tell its own comments (safe to
// refresh) from people's (kept unless --existing update). A comment is known by a hash of its
// language and its prose as a re-parse reads it back (Routine::existing_comment); nothing is ever
// marked in the code itself. A comment someone edited by hand no longer matches: it is theirs.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "languages/language.h"
#include "util/hash_record.h"

namespace scale::annotate {

class OwnComments {
 public:
  // Loads the record kept in `file` (missing or unreadable: an empty record).
  explicit OwnComments(std::filesystem::path file);

  bool Contains(languages::Language language, std::string_view prose) const;
  void Add(languages::Language language, std::string_view prose);

  // Appends what Add recorded since loading (one hash per line, the file 0600). Never throws: a
  // record that could not be saved only means scale treats those comments as people's next time.
  void Save();

 private:
  static std::string Key(languages::Language language, std::string_view prose);
  HashRecord record_;
};

}  // namespace scale::annotate
