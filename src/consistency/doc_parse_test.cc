// DocParse: Python (Google, NumPy, Sphinx), Bash, Go and the line editing. Tags, XML and
// Markdown are in doc_parse_tags_test.cc and doc_parse_markup_test.cc.
#include "consistency/doc_parse.h"

#include <gtest/gtest.h>

#include "consistency/doc_parse_test_util.h"

namespace scale::consistency {
namespace {

using testing::Describe;

DocStructure Parse(std::string_view language, std::string_view text) {
  return ParseDoc(languages::LanguageNamed(language), text);
}

constexpr std::string_view kGoogleTemplate =
    "Download a URL and decode its body as JSON, retrying transient failures.\n"
    "\n"
    "Connection errors and timeouts are retried with exponential backoff (1 s, 2 s, 4 s, ...); HTTP\n"
    "error statuses are not retried.\n"
    "\n"
    "Args:\n"
    "    url: The address to fetch.\n"
    "    retries: How many attempts to make before giving up.\n"
    "    timeout: Seconds to wait for each response.\n"
    "    session: A requests.Session to reuse; a new one is created when None.\n"
    "\n"
    "Returns:\n"
    "    The decoded JSON document (dict, list or scalar).\n"
    "\n"
    "Raises:\n"
    "    requests.HTTPError: The server answered with an error status.\n"
    "    FetchError: Every attempt failed with a connection error or a timeout.";

TEST(DocParse, GoogleTemplateExample) {
  EXPECT_EQ(Describe("python", kGoogleTemplate),
            "google\n"
            "params \"Args\" 5-9 heading\n"
            "  url 6-6 \"    \" \": \" \"\"\n"
            "  retries 7-7 \"    \" \": \" \"\"\n"
            "  timeout 8-8 \"    \" \": \" \"\"\n"
            "  session 9-9 \"    \" \": \" \"\"\n"
            "returns \"Returns\" 11-12 heading\n"
            "raises \"Raises\" 14-16 heading\n"
            "  requests.HTTPError 15-15 \"    \" \": \" \"\"\n"
            "  FetchError 16-16 \"    \" \": \" \"\"\n");
}

TEST(DocParse, GoogleTypesVarargsContinuationsAndCrlf) {
  constexpr std::string_view text =
      "Frobnicate the widgets.\r\n"
      "\r\n"
      "Args:\r\n"
      "    widgets (list[Widget]): The widgets to frobnicate; each one\r\n"
      "        is changed in place.\r\n"
      "    *args: Extra positional values.\r\n"
      "    level (int, optional): How hard. Defaults to 3.\r\n"
      "    **kwargs (dict): Passed to :func:`frob`.\r\n"
      "\r\n"
      "Returns:\r\n"
      "    bool: True when every widget changed.\r\n"
      "\r\n"
      "Example:\r\n"
      "    >>> frobnicate([w])\r\n"
      "    True\r\n";
  EXPECT_EQ(Describe("python", text),
            "google\n"
            "params \"Args\" 2-7 heading\n"
            "  widgets 3-4 \"    \" \": \" \"\"\n"
            "  *args 5-5 \"    \" \": \" \"\"\n"
            "  level 6-6 \"    \" \": \" \"\"\n"
            "  **kwargs 7-7 \"    \" \": \" \"\"\n"
            "returns \"Returns\" 9-10 heading\n"
            "other \"Example\" 12-14 heading\n");
}

TEST(DocParse, GoogleTabsKeywordArgsYieldsAndInlineParts) {
  constexpr std::string_view text =
      "Stream the rows of a table.\n"
      "\n"
      "Keyword Arguments:\n"
      "\tbatch: Rows per query.\n"
      "\twhere (str): A filter; see\n"
      "\t\tthe query syntax.\n"
      "Yields:\n"
      "\tdict: One row.\n"
      "Raises:\n"
      "\t:exc:`KeyError`: The table does not exist.\n"
      "\tValueError if batch is not positive.\n"
      "\t\tAlso when it is not an int.\n"
      "Returns: Nothing useful.\n";
  EXPECT_EQ(Describe("python", text),
            "google\n"
            "params \"Keyword Arguments\" 2-5 heading\n"
            "  batch 3-3 \"\\t\" \": \" \"\"\n"
            "  where 4-5 \"\\t\" \": \" \"\"\n"
            "yields \"Yields\" 6-7 heading\n"
            "raises \"Raises\" 8-11 heading\n"
            "  KeyError 9-9 \"\\t\" \": \" \"\"\n"
            "  ValueError 10-11 \"\\t\" \": \" \"\"\n"
            "returns \"Returns\" 12-12 heading\n");
}

TEST(DocParse, GoogleRaisesWrappedAtTheEntryIndentation) {
  EXPECT_EQ(Describe("python",
                     "Open it.\n"
                     "\n"
                     "Raises:\n"
                     "    OSError: The file cannot be opened, for\n"
                     "    example when it is missing.\n"
                     "    PermissionDenied if not allowed.\n"
                     "    If the folder is gone."),
            "google\n"
            "raises \"Raises\" 2-6 heading\n"
            "  OSError 3-4 \"    \" \": \" \"\"\n"
            "  PermissionDenied 5-6 \"    \" \": \" \"\"\n");
}

TEST(DocParse, GoogleSectionsAtTheirOwnIndentation) {
  // An indented docstring (not dedented) and a heading-like line inside a section's description.
  constexpr std::string_view text =
      "Apply a function to pairs.\n"
      "\n"
      "    Args:\n"
      "        fn: Called as fn(a, b). Note:\n"
      "            its result is ignored.\n"
      "        a, b: The operands.\n"
      "\n"
      "    Note:\n"
      "        Slow.";
  EXPECT_EQ(Describe("python", text),
            "google\n"
            "params \"Args\" 2-5 heading\n"
            "  fn 3-4 \"        \" \": \" \"\"\n"
            "  a 5-5 \"        \" \": \" \"\"\n"
            "  b 5-5 \"        \" \": \" \"\"\n"
            "other \"Note\" 7-8 heading\n");
}

TEST(DocParse, PythonProseMentioningReturns) {
  for (std::string_view text : {
           "Return True if n is even.",
           "Returns the sum of a and b.\n\nThe caller decides what Returns: means here, and args: too.",
           "Compute the value.\n\nIt returns: nothing the caller can use.\nArguments are checked first.",
       }) {
    DocStructure doc = Parse("python", text);
    EXPECT_EQ(doc.format, "prose") << text;
    EXPECT_TRUE(doc.sections.empty()) << text;
  }
}

constexpr std::string_view kNumpy =
    "Return evenly spaced numbers over a specified interval.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "start : array_like\n"
    "    The starting value of the sequence.\n"
    "stop : array_like\n"
    "    The end value of the sequence, unless `endpoint` is set to False.\n"
    "    In that case, the sequence consists of all but the last.\n"
    "num : int, optional\n"
    "    Number of samples to generate. Default is 50. Must be non-negative.\n"
    "x, y : float\n"
    "    Coordinates.\n"
    "*args, **kwargs\n"
    "    Passed on.\n"
    "\n"
    "Returns\n"
    "-------\n"
    "samples : ndarray\n"
    "    There are `num` equally spaced samples.\n"
    "\n"
    "Raises\n"
    "------\n"
    "ValueError\n"
    "    If `num` is negative.\n"
    "\n"
    "See Also\n"
    "--------\n"
    "arange : Similar to `linspace`, but uses a step size.\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> np.linspace(2.0, 3.0, num=5)\n"
    "array([2.  , 2.25, 2.5 , 2.75, 3.  ])\n";

TEST(DocParse, NumpyAsNumpyWritesIt) {
  EXPECT_EQ(Describe("python", kNumpy),
            "numpy\n"
            "params \"Parameters\" 2-14 heading\n"
            "  start 4-5 \"\" \"\\n    \" \"\"\n"
            "  stop 6-8 \"\" \"\\n    \" \"\"\n"
            "  num 9-10 \"\" \"\\n    \" \"\"\n"
            "  x 11-12 \"\" \"\\n    \" \"\"\n"
            "  y 11-12 \"\" \"\\n    \" \"\"\n"
            "  *args 13-14 \"\" \"\\n    \" \"\"\n"
            "  **kwargs 13-14 \"\" \"\\n    \" \"\"\n"
            "returns \"Returns\" 16-19 heading\n"
            "raises \"Raises\" 21-24 heading\n"
            "  ValueError 23-24 \"\" \"\\n    \" \"\"\n"
            "other \"See Also\" 26-28 heading\n"
            "other \"Examples\" 30-33 heading\n");
}

TEST(DocParse, NumpyIndentedWithOtherParametersAndYields) {
  constexpr std::string_view text =
      "Generate chunks.\n"
      "\n"
      "  Other Parameters\n"
      "  ----------------\n"
      "  size : int\n"
      "     Bytes per chunk.\n"
      "  Yields\n"
      "  ------\n"
      "  bytes\n"
      "     The next chunk.";
  EXPECT_EQ(Describe("python", text),
            "numpy\n"
            "params \"Other Parameters\" 2-5 heading\n"
            "  size 4-5 \"  \" \"\\n     \" \"\"\n"
            "yields \"Yields\" 6-9 heading\n");
}

TEST(DocParse, Sphinx) {
  constexpr std::string_view text =
      "Send a message to a recipient.\n"
      ":class:`Message` objects are accepted too.\n"
      "\n"
      ":param str sender: The person sending the message\n"
      ":param recipient: The recipient of the message,\n"
      "    who may be absent.\n"
      ":type recipient: str\n"
      ":type priority: int\n"
      ":param priority: The priority, 1-5\n"
      ":keyword timeout: Seconds to wait.\n"
      ":return: the message id\n"
      ":rtype: int\n"
      ":raises ValueError: if the message_body exceeds 160 characters\n"
      ":raises TypeError, ~mod.KeyError: if the message_body is not a basestring\n"
      ":raises: OSError when the socket fails\n"
      "\n"
      ":type unrelated: str\n"
      ":yields: nothing really";
  EXPECT_EQ(Describe("python", text),
            "sphinx\n"
            "params \"param\" 3-9\n"
            "  sender 3-3 \":param \" \": \" \"\"\n"
            "  recipient 4-6 \":param \" \": \" \"\"\n"
            "  priority 7-8 \":param \" \": \" \"\"\n"
            "  timeout 9-9 \":param \" \": \" \"\"\n"
            "returns \"return\" 10-11\n"
            "raises \"raises\" 12-14\n"
            "  ValueError 12-12 \":raises \" \": \" \"\"\n"
            "  TypeError 13-13 \":raises \" \": \" \"\"\n"
            "  mod.KeyError 13-13 \":raises \" \": \" \"\"\n"
            "  OSError 14-14 \":raises \" \": \" \"\"\n"
            "other \"type\" 16-16\n"
            "yields \"yields\" 17-17\n");
}

TEST(DocParse, SphinxArgFieldKeepsItsTag) {
  EXPECT_EQ(Describe("python", "Add.\n\n  :arg a: first\n  :arg b: second\n      operand"),
            "sphinx\n"
            "params \"arg\" 2-4\n"
            "  a 2-2 \"  :arg \" \": \" \"\"\n"
            "  b 3-4 \"  :arg \" \": \" \"\"\n");
}

TEST(DocParse, SphinxWithoutSpaceAfterTheField) {
  EXPECT_EQ(Describe("python", ":param x:the x\n:returns:the sum"),
            "sphinx\n"
            "params \"param\" 0-0\n"
            "  x 0-0 \":param \" \": \" \"\"\n"
            "returns \"returns\" 1-1\n");
}

TEST(DocParse, ShellTemplateExample) {
  constexpr std::string_view text =
      "Downloads a release tarball and unpacks it, retrying failed downloads.\n"
      "\n"
      "Each failed download waits twice as long as the one before (2 s, 4 s, 8 s, ...).\n"
      "\n"
      "Globals:\n"
      "  MIRROR_URL: the base address of the release mirror\n"
      "  RETRIES: how many downloads to try before giving up\n"
      "Arguments:\n"
      "  $1: the version to fetch, e.g. 1.4.2\n"
      "  $2: the folder to unpack into (default: the current folder)\n"
      "Outputs:\n"
      "  An error message on stderr when every attempt failed.\n"
      "Returns:\n"
      "  2 when the download failed every time, else tar's exit status.";
  EXPECT_EQ(Describe("bash", text),
            "shell\n"
            "other \"Globals\" 4-6 heading\n"
            "params \"Arguments\" 7-9 heading\n"
            "  $1 8-8 \"  \" \": \" \"\"\n"
            "  $2 9-9 \"  \" \": \" \"\"\n"
            "other \"Outputs\" 10-11 heading\n"
            "returns \"Returns\" 12-13 heading\n");
}

TEST(DocParse, ShellIndentedDashesAndNone) {
  EXPECT_EQ(Describe("bash",
                     "Runs a subcommand.\n"
                     "\n"
                     "  Arguments:\n"
                     "    $1 - the command\n"
                     "    $@ - the rest,\n"
                     "      passed on\n"
                     "  Returns: 0 always."),
            "shell\n"
            "params \"Arguments\" 2-5 heading\n"
            "  $1 3-3 \"    \" \" - \" \"\"\n"
            "  $@ 4-5 \"    \" \" - \" \"\"\n"
            "returns \"Returns\" 6-6 heading\n");
  EXPECT_EQ(Describe("bash", "Prints the usage.\n\nGlobals:\n  None\nArguments:\n  None"),
            "shell\n"
            "other \"Globals\" 2-3 heading\n"
            "params \"Arguments\" 4-5 heading\n");
  EXPECT_EQ(Describe("bash", "Tells whether the script runs as root.\n\nIt returns 0 for root."), "prose\n");
}

TEST(DocParse, GoIsAlwaysProse) {
  EXPECT_EQ(Describe("go", "Max returns the larger of a and b.\n\n@param a first\n# Errors\nArgs:\n  a: x"), "prose\n");
}

TEST(DocParse, JoinLinesInvertsTheSplit) {
  for (std::string_view text : {"", "a", "a\n", "a\r\nb\r\n", "\n\nx\n\n", "  indented\r"}) {
    DocStructure doc = Parse("python", text);
    EXPECT_EQ(JoinLines(doc.lines), text);
  }
  EXPECT_EQ(Parse("python", "a\r\nb").lines, (std::vector<std::string>{"a\r", "b"}));
}

TEST(DocParse, RemoveLinesSqueezesTheSeams) {
  DocStructure doc = Parse("python", kGoogleTemplate);
  // The last section: the blank line before it goes too.
  EXPECT_EQ(RemoveLines(doc, {{14, 16}}),
            std::string(kGoogleTemplate.substr(0, kGoogleTemplate.find("\n\nRaises:"))));
  // A middle section: the blank lines on both sides become one.
  std::string no_returns = RemoveLines(doc, {{11, 12}});
  EXPECT_NE(no_returns.find("None.\n\nRaises:\n"), std::string::npos) << no_returns;
  EXPECT_EQ(no_returns.find("Returns"), std::string::npos);
  // One entry, and two ranges at once (overlapping and out of range ones are harmless).
  EXPECT_EQ(RemoveLines(doc, {{7, 7}, {15, 15}, {15, 16}, {40, 50}}),
            "Download a URL and decode its body as JSON, retrying transient failures.\n"
            "\n"
            "Connection errors and timeouts are retried with exponential backoff (1 s, 2 s, 4 s, ...); HTTP\n"
            "error statuses are not retried.\n"
            "\n"
            "Args:\n"
            "    url: The address to fetch.\n"
            "    timeout: Seconds to wait for each response.\n"
            "    session: A requests.Session to reuse; a new one is created when None.\n"
            "\n"
            "Returns:\n"
            "    The decoded JSON document (dict, list or scalar).\n"
            "\n"
            "Raises:");
  // Leading lines: the blank line after them goes.
  EXPECT_EQ(RemoveLines(doc, {{0, 3}}).substr(0, 6), "Args:\n");
  EXPECT_EQ(RemoveLines(doc, {}), kGoogleTemplate);
}

TEST(DocParse, RemoveLinesKeepsBlankRunsAwayFromTheCut) {
  DocStructure doc = Parse("rust", "Sum.\n\n\nMore.\n\n# Panics\n\nNever.\n\n# Errors\n\nNone.");
  EXPECT_EQ(RemoveLines(doc, {{5, 8}}), "Sum.\n\n\nMore.\n\n# Errors\n\nNone.");
}

TEST(DocParse, RemoveLinesOfCrlfText) {
  DocStructure doc = Parse("cpp", "Adds.\r\n\r\n@param a x\r\n@return y");
  EXPECT_EQ(RemoveLines(doc, {{3, 3}}), "Adds.\r\n\r\n@param a x");
  DocStructure ended = Parse("cpp", "Adds.\r\n\r\n@param a x\r\n@return y\r\n");
  EXPECT_EQ(RemoveLines(ended, {{2, 3}}), "Adds.");
}

// Truncated and malformed texts (each once broke a reader): every language reads them, ranges stay
// inside the text, and removing any section works.
TEST(DocParse, MalformedTextKeepsItsInvariants) {
  for (std::string_view text : {"#", "# ", ":raises:", ":raises: ", ":param:", "Args:", "Raises: :", "@param",
                                "@param {", "@param [x", "@throws {@link", "<param name=\"", "<param name=\"x\">",
                                "<!--", "Parameters\n---", "x\n---\n", "```", "\\param[in", "@param $", "\r\n\r\n",
                                "Returns:\r\n\tx\r", "* `", "# Arguments\n* `x", "@return\n\n@return"}) {
    for (languages::Language language : languages::AllLanguages()) {
      DocStructure doc = ParseDoc(language, text);
      EXPECT_EQ(JoinLines(doc.lines), text);
      for (const DocSection& s : doc.sections) {
        EXPECT_LE(0, s.first_line);
        EXPECT_LE(s.first_line, s.last_line);
        EXPECT_LT(s.last_line, static_cast<int>(doc.lines.size())) << text;
        for (const DocEntry& e : s.entries) {
          EXPECT_LE(s.first_line, e.first_line);
          EXPECT_LE(e.first_line, e.last_line);
          EXPECT_LE(e.last_line, s.last_line) << text;
        }
        RemoveLines(doc, {{s.first_line, s.last_line}});
      }
    }
  }
  EXPECT_EQ(Describe("rust", "#"), "markdown\nother \"#\" 0-0 heading\n");
  EXPECT_EQ(Describe("python", ":raises:"), "sphinx\nraises \"raises\" 0-0\n");
}

}  // namespace
}  // namespace scale::consistency
