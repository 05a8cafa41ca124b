// The comment cache's keys (annotate/comment_cache.h): what changes a key and what does not.
#include "annotate/comment_cache.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace scale::annotate {
namespace {

using languages::LanguageNamed;

const char kFile[] =
    "class Shop:\n"
    "    \"\"\"A shop.\"\"\"\n"
    "\n"
    "    def price(self, x):\n"
    "        \"\"\"Doubles x.\"\"\"\n"
    "        return x * 2\n"
    "\n"
    "def free():\n"
    "    \"\"\"Nothing.\"\"\"\n"
    "    return 0\n";

const languages::Routine& Named(const languages::ParsedFile& f, const std::string& name) {
  for (const auto& r : f.routines) {
    if (r.qualified_name == name) return r;
  }
  throw std::runtime_error("no routine " + name);
}

std::string KeyOf(const std::string& text, const std::string& name, const std::string& settings = "s") {
  auto f = languages::Parse(LanguageNamed("python"), text);
  return CommentCache::Key(settings, f, Named(f, name));
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(CommentCacheTest, CodeWithoutCommentsCutsItsOwnAndNestedComments) {
  auto f = languages::Parse(LanguageNamed("python"), kFile);
  std::string shop = CodeWithoutComments(f, Named(f, "Shop"));
  EXPECT_EQ(shop.find("A shop"), std::string::npos) << shop;
  EXPECT_EQ(shop.find("Doubles"), std::string::npos) << shop;
  EXPECT_NE(shop.find("return x * 2"), std::string::npos) << shop;
  EXPECT_EQ(shop.find("def free"), std::string::npos) << shop;
}

TEST(CommentCacheTest, KeysFollowCodeCommentAndSettings) {
  const std::string base = KeyOf(kFile, "Shop.price");
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(KeyOf(kFile, "Shop.price"), base);                                    // deterministic
  EXPECT_NE(KeyOf(kFile, "Shop.price", "other settings"), base);                 // model, prompts, sampling
  EXPECT_NE(KeyOf(Replace(kFile, "x * 2", "x * 3"), "Shop.price"), base);        // its code
  EXPECT_NE(KeyOf(Replace(kFile, "Doubles x.", "Doubles it."), "Shop.price"), base);  // its comment
  // Code elsewhere, or a nested routine's comment, leaves it alone; an enclosing class is redone
  // when code inside it changes, not when a nested comment does.
  EXPECT_EQ(KeyOf(Replace(kFile, "return 0", "return 1"), "Shop.price"), base);
  const std::string shop = KeyOf(kFile, "Shop");
  EXPECT_EQ(KeyOf(Replace(kFile, "Doubles x.", "Doubles it."), "Shop"), shop);
  EXPECT_NE(KeyOf(Replace(kFile, "x * 2", "x * 3"), "Shop"), shop);
}

TEST(CommentCacheTest, RecordedKeysSurviveAReload) {
  testing::TempDir dir("commentcache");
  const std::string key = KeyOf(kFile, "free");
  {
    CommentCache cache(dir.file("cache"));
    EXPECT_FALSE(cache.Contains(key));
    cache.Add(key);
    cache.Save();
  }
  CommentCache again(dir.file("cache"));
  EXPECT_TRUE(again.Contains(key));
  EXPECT_FALSE(again.Contains(KeyOf(kFile, "Shop")));
}

}  // namespace
}  // namespace scale::annotate
