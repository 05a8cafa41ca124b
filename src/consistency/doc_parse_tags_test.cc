// DocParse: the @-tag dialects (Doxygen, Javadoc, JSDoc/TSDoc, PHPDoc, YARD, LDoc/LuaCATS).
#include <gtest/gtest.h>

#include "consistency/doc_parse.h"
#include "consistency/doc_parse_test_util.h"

namespace scale::consistency {
namespace {

using testing::Describe;

TEST(DocParse, TagsCTemplateWithDirection) {
  constexpr std::string_view text =
      "Appends len bytes to the end of a growable buffer.\n"
      "\n"
      "The storage at least doubles when it is full, so appending is amortised O(1). On failure the buffer\n"
      "is left unchanged and still owns its old storage.\n"
      "\n"
      "@param[in,out] buf The buffer to append to; its data, len and cap are updated.\n"
      "@param data The bytes to copy; need not be NUL-terminated.\n"
      "@param len The number of bytes to copy from data.\n"
      "@return 0 on success, -ENOMEM if the storage could not be grown.";
  EXPECT_EQ(Describe("c", text),
            "tags\n"
            "params \"@param\" 5-7\n"
            "  buf 5-5 \"@param \" \" \" \"\"\n"
            "  data 6-6 \"@param \" \" \" \"\"\n"
            "  len 7-7 \"@param \" \" \" \"\"\n"
            "returns \"@return\" 8-8\n");
}

TEST(DocParse, TagsDoxygenBackslashCommands) {
  constexpr std::string_view text =
      "\\brief Parses a header line.\n"
      "\n"
      "\\param[in] line the raw line; a\n"
      "\\c NULL line is not accepted.\n"
      "\\param[out] key,value where the parts go\n"
      "@param [in, out] state the parser state\n"
      "\\tparam T the character type\n"
      "\\return true on success\n"
      "\\retval false when malformed\n"
      "\\throw std::invalid_argument if the line is empty\n"
      "\\throws ParseError";
  EXPECT_EQ(Describe("cpp", text),
            "tags\n"
            "other \"\\brief\" 0-0\n"
            "params \"\\param\" 2-5\n"
            "  line 2-3 \"\\param \" \" \" \"\"\n"
            "  key 4-4 \"\\param \" \" \" \"\"\n"
            "  value 4-4 \"\\param \" \" \" \"\"\n"
            "  state 5-5 \"@param \" \" \" \"\"\n"
            "other \"\\tparam\" 6-6\n"
            "returns \"\\return\" 7-8\n"
            "raises \"\\throw\" 9-10\n"
            "  std::invalid_argument 9-9 \"\\throw \" \" \" \"\"\n"
            "  ParseError 10-10 \"\\throws \" \" \" \"\"\n");
}

TEST(DocParse, TagsCppTemplate) {
  constexpr std::string_view text =
      "Returns the value stored for key and marks it as the most recently used entry.\n"
      "\n"
      "The entry moves to the front of the recency list, so it is the last to be evicted. The reference\n"
      "stays valid until the entry is evicted or erased.\n"
      "\n"
      "@tparam Key The key type; must be hashable and equality-comparable.\n"
      "@tparam Value The mapped type.\n"
      "@param key The key to look up.\n"
      "@return A reference to the stored value.\n"
      "@throws std::out_of_range if no entry has this key.";
  EXPECT_EQ(Describe("cpp", text),
            "tags\n"
            "other \"@tparam\" 5-6\n"
            "params \"@param\" 7-7\n"
            "  key 7-7 \"@param \" \" \" \"\"\n"
            "returns \"@return\" 8-8\n"
            "raises \"@throws\" 9-9\n"
            "  std::out_of_range 9-9 \"@throws \" \" \" \"\"\n");
}

TEST(DocParse, TagsJavadocWithTypeParametersAndOtherTags) {
  constexpr std::string_view text =
      "Groups items by the key a function computes for each of them.\n"
      "\n"
      "The groups keep the order in which their first item was met; see {@link Map} and\n"
      "{@code LinkedHashMap} for the order.\n"
      "\n"
      "@param <K> the type of the keys\n"
      "@param <V> the type of the items\n"
      "@param items the items to group; none may be null\n"
      "@param key computes the group key of an item\n"
      "@return a new map from each key to the items that have it, in encounter order\n"
      "@throws IllegalArgumentException if an item is null\n"
      "@throws IOException if the journal cannot be written\n"
      "@see Collectors#groupingBy\n"
      "@since 2.1\n"
      "@deprecated use {@link #groupAll}";
  EXPECT_EQ(Describe("java", text),
            "tags\n"
            "other \"@param\" 5-6\n"
            "params \"@param\" 7-8\n"
            "  items 7-7 \"@param \" \" \" \"\"\n"
            "  key 8-8 \"@param \" \" \" \"\"\n"
            "returns \"@return\" 9-9\n"
            "raises \"@throws\" 10-11\n"
            "  IllegalArgumentException 10-10 \"@throws \" \" \" \"\"\n"
            "  IOException 11-11 \"@throws \" \" \" \"\"\n"
            "other \"@see\" 12-12\n"
            "other \"@since\" 13-13\n"
            "other \"@deprecated\" 14-14\n");
}

TEST(DocParse, TagsJsDocTemplate) {
  constexpr std::string_view text =
      "Loads a JSON configuration file and applies environment overrides.\n"
      "\n"
      "A missing file is not an error: the defaults are returned instead. Each key of the file can be\n"
      "overridden by an environment variable named APP_<KEY>.\n"
      "\n"
      "@param {string} path - The configuration file to read.\n"
      "@param {Object} [options] - Optional settings.\n"
      "@param {Object} [options.defaults={}] - Values used for keys the file does not set.\n"
      "@param {Object} [options.env=process.env] - Where to look for APP_* overrides.\n"
      "@returns {Promise<Object>} The merged configuration.\n"
      "@throws {SyntaxError} The file is not valid JSON.\n"
      "@throws {Error} The file exists but cannot be read.";
  EXPECT_EQ(Describe("javascript", text),
            "tags\n"
            "params \"@param\" 5-8\n"
            "  path 5-5 \"@param \" \" - \" \"\"\n"
            "  options 6-6 \"@param \" \" - \" \"\"\n"
            "  options.defaults 7-7 \"@param \" \" - \" \"\"\n"
            "  options.env 8-8 \"@param \" \" - \" \"\"\n"
            "returns \"@returns\" 9-9\n"
            "raises \"@throws\" 10-11\n"
            "  SyntaxError 10-10 \"@throws \" \" \" \"\"\n"
            "  Error 11-11 \"@throws \" \" \" \"\"\n");
}

TEST(DocParse, TagsJsDocTypesOptionalsYieldsAndExamples) {
  constexpr std::string_view text =
      "Sums numbers.\n"
      "\n"
      "@param {...number} nums The numbers.\n"
      "@param {{a: number, b: {c: string}}} obj An object\n"
      "  spread over two lines.\n"
      "@param bare\n"
      "@param {number} [scale = 1] How much.\n"
      "@yields {number} The running total.\n"
      "@example\n"
      "sum(1, 2);\n"
      "\n"
      "@example\n"
      "// Only {@link sum} is exported.";
  EXPECT_EQ(Describe("javascript", text),
            "tags\n"
            "params \"@param\" 2-6\n"
            "  nums 2-2 \"@param \" \" \" \"\"\n"
            "  obj 3-4 \"@param \" \" \" \"\"\n"
            "  bare 5-5 \"@param \" \" \" \"\"\n"
            "  scale 6-6 \"@param \" \" \" \"\"\n"
            "yields \"@yields\" 7-7\n"
            "other \"@example\" 8-12\n");
}

TEST(DocParse, TagsJsDocThrowsWithAndWithoutAType) {
  EXPECT_EQ(Describe("javascript",
                     "Runs.\n\n@throws Will throw if the input is empty.\n@throws TypeError when x is a string\n"
                     "@exception RangeError\n@throws {TypeError|RangeError} either"),
            "tags\n"
            "raises \"@throws\" 2-5\n"
            "  TypeError 3-3 \"@throws \" \" \" \"\"\n"
            "  RangeError 4-4 \"@exception \" \" \" \"\"\n"
            "  TypeError 5-5 \"@throws \" \" \" \"\"\n"
            "  RangeError 5-5 \"@throws \" \" \" \"\"\n");
}

TEST(DocParse, TagsTsDocTemplate) {
  constexpr std::string_view text =
      "Loads a configuration.\n"
      "\n"
      "@typeParam T - The shape of the configuration.\n"
      "@param path - The configuration file to read.\n"
      "@param options - The defaults and the environment.\n"
      "@returns The merged configuration.\n"
      "@throws {@link SyntaxError} The file is not valid JSON.\n"
      "@throws {@link Error | the base error} The file exists but cannot be read.";
  EXPECT_EQ(Describe("typescript", text),
            "tags\n"
            "other \"@typeParam\" 2-2\n"
            "params \"@param\" 3-4\n"
            "  path 3-3 \"@param \" \" - \" \"\"\n"
            "  options 4-4 \"@param \" \" - \" \"\"\n"
            "returns \"@returns\" 5-5\n"
            "raises \"@throws\" 6-7\n"
            "  SyntaxError 6-6 \"@throws \" \" \" \"\"\n"
            "  Error 7-7 \"@throws \" \" \" \"\"\n");
  EXPECT_EQ(Describe("tsx", "Shows a count.\n\n@param props - count is the number to show."),
            "tags\n"
            "params \"@param\" 2-2\n"
            "  props 2-2 \"@param \" \" - \" \"\"\n");
}

TEST(DocParse, TagsPhpDoc) {
  constexpr std::string_view text =
      "Returns one page of rows.\n"
      "\n"
      "@param array<int, array<string, mixed>> $rows All rows, in display order.\n"
      "@param int $page The page to return, starting at 1.\n"
      "@param $perPage How many rows a page holds.\n"
      "@param int|string ...$ids The ids.\n"
      "@param callable&object &$sink Receives the page.\n"
      "@return array{items: array<int, array<string, mixed>>, page: int} The page's rows.\n"
      "@throws \\InvalidArgumentException If $page or $perPage is less than 1.\n"
      "@phpstan-param positive-int $page\n"
      "@dataProvider pages";
  EXPECT_EQ(Describe("php", text),
            "tags\n"
            "params \"@param\" 2-6\n"
            "  $rows 2-2 \"@param mixed \" \" \" \"\"\n"
            "  $page 3-3 \"@param mixed \" \" \" \"\"\n"
            "  $perPage 4-4 \"@param mixed \" \" \" \"\"\n"
            "  $ids 5-5 \"@param mixed \" \" \" \"\"\n"
            "  $sink 6-6 \"@param mixed \" \" \" \"\"\n"
            "returns \"@return\" 7-7\n"
            "raises \"@throws\" 8-8\n"
            "  \\InvalidArgumentException 8-8 \"@throws \" \" \" \"\"\n"
            "other \"@phpstan-param\" 9-9\n"
            "other \"@dataProvider\" 10-10\n");
}

TEST(DocParse, TagsYardBothOrders) {
  constexpr std::string_view text =
      "Downloads a URL and decodes its body as JSON.\n"
      "\n"
      "@param url [String] the address to fetch\n"
      "@param [Integer] retries how many attempts to make\n"
      "@param opts [Hash] options\n"
      "@option opts [Float] :timeout (10.0) seconds to wait\n"
      "@yield [response] each response as it arrives\n"
      "@yieldparam response [Response] the response\n"
      "@return [Hash, Array] the decoded JSON document\n"
      "@raise [HTTPError] when the server answers with an error status\n"
      "@raise [FetchError, TimeoutError] when every attempt failed";
  EXPECT_EQ(Describe("ruby", text),
            "tags\n"
            "params \"@param\" 2-4\n"
            "  url 2-2 \"@param \" \" \" \"\"\n"
            "  retries 3-3 \"@param \" \" \" \"\"\n"
            "  opts 4-4 \"@param \" \" \" \"\"\n"
            "other \"@option\" 5-5\n"
            "yields \"@yield\" 6-6\n"
            "other \"@yieldparam\" 7-7\n"
            "returns \"@return\" 8-8\n"
            "raises \"@raise\" 9-10\n"
            "  HTTPError 9-9 \"@raise \" \" \" \"\"\n"
            "  FetchError 10-10 \"@raise \" \" \" \"\"\n"
            "  TimeoutError 10-10 \"@raise \" \" \" \"\"\n");
}

TEST(DocParse, TagsLuaCatsTemplate) {
  constexpr std::string_view text =
      "Downloads a URL and decodes its body as JSON, retrying failed requests.\n"
      "\n"
      "Failed requests are retried with exponential backoff (2 s, 4 s, 8 s, ...).\n"
      "\n"
      "@param url string the address to fetch\n"
      "@param opts? table options: retries (integer, default 3) and timeout (seconds, default 10)\n"
      "@param ... any extra headers\n"
      "@return table|nil document the decoded JSON, or nil when every attempt failed\n"
      "@return string? err why the last attempt failed";
  EXPECT_EQ(Describe("lua", text),
            "tags\n"
            "params \"@param\" 4-6\n"
            "  url 4-4 \"@param \" \" any \" \"\"\n"
            "  opts 5-5 \"@param \" \" any \" \"\"\n"
            "  ... 6-6 \"@param \" \" any \" \"\"\n"
            "returns \"@return\" 7-8\n");
}

TEST(DocParse, TagsLDoc) {
  constexpr std::string_view text =
      "Splits a string.\n"
      "@tparam string s the string to split\n"
      "@tparam[opt] string sep the separator\n"
      "@param n how many parts at most\n"
      "@treturn {string,...} the parts\n"
      "@error when s is nil";
  EXPECT_EQ(Describe("lua", text),
            "tags\n"
            "params \"@tparam\" 1-3\n"
            "  s 1-1 \"@tparam any \" \" \" \"\"\n"
            "  sep 2-2 \"@tparam any \" \" \" \"\"\n"
            "  n 3-3 \"@param \" \" \" \"\"\n"
            "returns \"@treturn\" 4-4\n"
            "other \"@error\" 5-5\n");
}

TEST(DocParse, TagsRunsApartAreSeparateSectionsAndIndentationIsKept) {
  constexpr std::string_view text =
      "Adds.\n"
      "  @param a first\n"
      "\n"
      "  @param b second\n"
      "  continued.\n"
      "\n"
      "Some words between.\n"
      "\n"
      "  @param c third\n"
      "  @see x";
  EXPECT_EQ(Describe("java", text),
            "tags\n"
            "params \"@param\" 1-4\n"
            "  a 1-1 \"  @param \" \" \" \"\"\n"
            "  b 3-4 \"  @param \" \" \" \"\"\n"
            "params \"@param\" 8-8\n"
            "  c 8-8 \"  @param \" \" \" \"\"\n"
            "other \"@see\" 9-9\n");
}

TEST(DocParse, TagsProse) {
  for (auto [language, text] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"java", "Returns the sum.\n\nSee {@link Other} and\n{@link Third}; mail x@y.z for more."},
           {"javascript", "Returns the value.\nReturns: nothing else."},
           {"c", "Returns the sum.\n\\n is not a command, nor is \\c here."},
           {"lua", "Returns the sum of a and b."},
       }) {
    EXPECT_EQ(Describe(language, text), "prose\n") << text;
  }
}

}  // namespace
}  // namespace scale::consistency
