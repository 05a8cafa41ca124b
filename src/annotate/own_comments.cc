#include "annotate/own_comments.h"

#include "util/sha256.h"

namespace scale::annotate {

OwnComments::OwnComments(std::filesystem::path file) : record_(std::move(file), "the record of scale's comments") {}

std::string OwnComments::Key(languages::Language language, std::string_view prose) {
  return Sha256Hex(std::string(languages::LanguageName(language)) + '\0' + std::string(prose));
}

bool OwnComments::Contains(languages::Language language, std::string_view prose) const {
  return record_.Contains(Key(language, prose));
}

void OwnComments::Add(languages::Language language, std::string_view prose) { record_.Add(Key(language, prose)); }

void OwnComments::Save() { record_.Save(); }

}  // namespace scale::annotate
