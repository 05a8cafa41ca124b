// Training data: the JSONL schema, tokenization of prompt and answer, the content-hash split, and
// the errors. Uses a scripted tokenizer (one token per byte, BOS 1000, "<E>" = end of turn 1001
// when special tokens are parsed), so every expected token list is computed here by hand.
#include "train/dataset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::train {
namespace {

constexpr int32_t kBos = 1000, kEot = 1001;

// Scripted tokenizer: not a model's. format() marks each role and ends with the assistant opener.
Tokenizer Scripted(int32_t end_of_turn = kEot) {
  Tokenizer t;
  t.tokenize = [](std::string_view text, bool add_special, bool parse_special) {
    std::vector<int32_t> out;
    if (add_special) out.push_back(kBos);
    for (size_t i = 0; i < text.size(); ++i) {
      if (parse_special && text.substr(i, 3) == "<E>") {
        out.push_back(kEot);
        i += 2;
      } else {
        out.push_back(static_cast<unsigned char>(text[i]));
      }
    }
    return out;
  };
  t.format = [](const std::vector<engine::Message>& messages) {
    std::string out;
    for (const auto& m : messages) {
      out += m.role == engine::Role::kSystem ? "[S]" : m.role == engine::Role::kUser ? "[U]" : "[A]";
      out += m.content + "<E>";
    }
    return out + "[A]";
  };
  t.end_of_turn = end_of_turn;
  return t;
}

std::vector<int32_t> Bytes(std::string_view s) {
  std::vector<int32_t> out;
  for (char c : s) out.push_back(static_cast<unsigned char>(c));
  return out;
}

std::vector<int32_t> Cat(std::vector<int32_t> a, const std::vector<int32_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitInput) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

// The answers of a split, as text (rows are told apart by their answers in these tests).
std::set<std::string> Answers(const std::vector<Row>& rows) {
  std::set<std::string> out;
  for (const auto& r : rows) {
    std::string s;
    for (size_t i = size_t(r.n_prompt); i < r.tokens.size(); ++i) {
      if (r.tokens[i] < 256) s += char(r.tokens[i]);
    }
    out.insert(s);
  }
  return out;
}

TEST(Dataset, PromptFormIsUsedAsIsAndAnswerEndsWithEndOfTurn) {
  Row r = ParseRow(R"({"prompt": "ab<E>", "answer": "cd<E>"})", 7, Scripted());
  // The prompt's "<E>" is its special token; the answer's is plain text.
  std::vector<int32_t> prompt = Cat({kBos}, Cat(Bytes("ab"), {kEot}));
  EXPECT_EQ(r.tokens, Cat(Cat(prompt, Bytes("cd<E>")), {kEot}));
  EXPECT_EQ(r.n_prompt, int(prompt.size()));
  EXPECT_EQ(r.line, 7);
  EXPECT_FALSE(r.held_out);
}

TEST(Dataset, NoEndOfTurnWhenTheTokenizerHasNone) {
  Row r = ParseRow(R"({"prompt": "p", "answer": "a"})", 1, Scripted(-1));
  EXPECT_EQ(r.tokens, (std::vector<int32_t>{kBos, 'p', 'a'}));
  EXPECT_EQ(r.n_prompt, 2);
}

TEST(Dataset, MessagesFormGoesThroughTheChatTemplate) {
  Row r = ParseRow(R"({"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}],
                      "answer": "x", "meta": {"from": "distill", "n": [1, 2]}})",
                   2, Scripted());
  std::vector<int32_t> prompt = Cat(Cat(Cat(Cat({kBos}, Bytes("[S]s")), {kEot}), Cat(Bytes("[U]u"), {kEot})), Bytes("[A]"));
  EXPECT_EQ(r.n_prompt, int(prompt.size()));
  EXPECT_EQ(r.tokens, Cat(Cat(prompt, Bytes("x")), {kEot}));
}

TEST(Dataset, LoadsFileCountsAnswerTokensAndSkipsEmptyLines) {
  testing::TempDir dir;
  std::string path = dir.Write("d.jsonl", "{\"prompt\": \"p1\", \"answer\": \"abc\"}\n\n   \r\n"
                                          "{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}], \"answer\": \"de\"}\r\n");
  DatasetOptions o;
  o.holdout = 0;
  Dataset d = LoadDataset(path, Scripted(), o);
  ASSERT_EQ(d.train.size(), 2u);
  EXPECT_TRUE(d.eval.empty());
  EXPECT_EQ(d.train[0].line, 1);
  EXPECT_EQ(d.train[1].line, 4);
  EXPECT_EQ(d.answer_tokens, (3 + 1) + (2 + 1));  // answers plus their end of turn
  EXPECT_EQ(d.skipped_too_long, 0);
}

// 200 rows "p<i>" -> "a<i>".
std::string ManyRows(bool reversed) {
  std::vector<std::string> lines;
  for (int i = 0; i < 200; ++i) {
    lines.push_back("{\"prompt\": \"p" + std::to_string(i) + "\", \"answer\": \"a" + std::to_string(i) + "\"}\n");
  }
  if (reversed) std::reverse(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l;
  return out;
}

TEST(Dataset, SplitDependsOnContentAndSeedNotOnOrder) {
  testing::TempDir dir;
  std::string forward = dir.Write("f.jsonl", ManyRows(false));
  std::string backward = dir.Write("b.jsonl", ManyRows(true));
  DatasetOptions o;
  o.holdout = 0.25;
  o.seed = 7;
  Dataset a = LoadDataset(forward, Scripted(), o);
  Dataset b = LoadDataset(backward, Scripted(), o);
  EXPECT_EQ(a.train.size() + a.eval.size(), 200u);
  EXPECT_EQ(Answers(a.eval), Answers(b.eval));
  EXPECT_EQ(Answers(a.train), Answers(b.train));
  // A hash split of 200 rows at 25%: far from none and from all (binomial sd ~6 rows).
  EXPECT_GT(a.eval.size(), 20u);
  EXPECT_LT(a.eval.size(), 80u);
  for (const auto& r : a.eval) EXPECT_TRUE(r.held_out);
  for (const auto& r : a.train) EXPECT_FALSE(r.held_out);

  o.seed = 8;
  Dataset c = LoadDataset(forward, Scripted(), o);
  EXPECT_NE(Answers(a.eval), Answers(c.eval)) << "another seed draws another split";
}

TEST(Dataset, SplitKeyForcesTheSplit) {
  testing::TempDir dir;
  std::string path = dir.Write("d.jsonl", "{\"prompt\": \"p\", \"answer\": \"kept for eval\", \"split\": \"eval\"}\n"
                                          "{\"prompt\": \"p\", \"answer\": \"kept for train\", \"split\": \"train\"}\n"
                                          "{\"prompt\": \"p\", \"answer\": \"drawn\"}\n");
  DatasetOptions o;
  o.holdout = 0;  // nothing drawn for eval, yet the forced row is there
  Dataset d = LoadDataset(path, Scripted(-1), o);
  EXPECT_EQ(Answers(d.eval), std::set<std::string>{"kept for eval"});
  EXPECT_EQ(Answers(d.train), (std::set<std::string>{"kept for train", "drawn"}));
  o.holdout = 1;  // everything drawn for eval except the forced training row
  d = LoadDataset(path, Scripted(-1), o);
  EXPECT_EQ(Answers(d.train), std::set<std::string>{"kept for train"});
  EXPECT_EQ(Answers(d.eval), (std::set<std::string>{"kept for eval", "drawn"}));
}

TEST(Dataset, NoRowDrawnForEvalLeavesEvalEmpty) {
  testing::TempDir dir;
  std::string path = dir.Write("d.jsonl", "{\"prompt\": \"p\", \"answer\": \"a\"}\n{\"prompt\": \"p\", \"answer\": \"b\"}\n");
  DatasetOptions o;
  o.holdout = 1e-12;
  Dataset d = LoadDataset(path, Scripted(), o);
  EXPECT_EQ(d.train.size(), 2u);
  EXPECT_TRUE(d.eval.empty());
}

TEST(Dataset, LongRowsAreSkippedAndCounted) {
  testing::TempDir dir;
  // With BOS and end of turn: "p"/"ab" = 5 tokens, "p"/"abcdef" = 9 tokens.
  std::string path = dir.Write("d.jsonl", "{\"prompt\": \"p\", \"answer\": \"ab\"}\n{\"prompt\": \"p\", \"answer\": \"abcdef\"}\n");
  DatasetOptions o;
  o.holdout = 0;
  o.max_tokens = 5;  // exactly 5 is kept: only longer rows are skipped
  Dataset d = LoadDataset(path, Scripted(), o);
  ASSERT_EQ(d.train.size(), 1u);
  EXPECT_EQ(d.train[0].tokens.size(), 5u);
  EXPECT_EQ(d.skipped_too_long, 1);
  o.max_tokens = 4;
  EXPECT_EQ(ErrorOf([&] { LoadDataset(path, Scripted(), o); }),
            path + ": no training rows (2 skipped as longer than 4 tokens)");
}

TEST(Dataset, DuplicatesAreKeptOnce) {
  testing::TempDir dir;
  // Lines 1 and 3 are the same row; line 4 says the same thing through messages with a template
  // that gives identical tokens, so it is a duplicate by tokens too.
  std::string path = dir.Write("d.jsonl", "{\"prompt\": \"[U]q<E>[A]\", \"answer\": \"a\"}\n"
                                          "{\"prompt\": \"other\", \"answer\": \"a\"}\n"
                                          "{\"answer\": \"a\", \"prompt\": \"[U]q<E>[A]\"}\n"
                                          "{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}], \"answer\": \"a\"}\n");
  DatasetOptions o;
  o.holdout = 0;
  Dataset d = LoadDataset(path, Scripted(), o);
  ASSERT_EQ(d.train.size(), 2u);
  EXPECT_EQ(d.train[0].line, 1);
  EXPECT_EQ(d.train[1].line, 2);
  EXPECT_EQ(d.answer_tokens, 4);
}

TEST(Dataset, ErrorsNameFileAndLine) {
  testing::TempDir dir;
  auto error_at_line_3 = [&](const std::string& bad) {
    std::string path = dir.Write("e.jsonl", "{\"prompt\": \"p\", \"answer\": \"a\"}\n\n" + bad + "\n");
    std::string e = ErrorOf([&] { LoadDataset(path, Scripted(), DatasetOptions{}); });
    EXPECT_EQ(e.rfind(path + ":3: ", 0), 0u) << e;
    return e;
  };
  EXPECT_NE(error_at_line_3("{\"prompt\": \"p\", ").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_at_line_3("[1, 2]").find("JSON object"), std::string::npos);
  EXPECT_NE(error_at_line_3("{\"prompt\": \"p\"}").find("missing \"answer\""), std::string::npos);
  EXPECT_NE(error_at_line_3("{\"prompt\": \"p\", \"answer\": \"\"}").find("empty \"answer\""), std::string::npos);
  EXPECT_NE(error_at_line_3("{\"prompt\": \"p\", \"messages\": [], \"answer\": \"a\"}").find("both"), std::string::npos);
  EXPECT_NE(error_at_line_3("{\"answer\": \"a\"}").find("needs \"prompt\" or \"messages\""), std::string::npos);
  EXPECT_NE(error_at_line_3("{\"messages\": [{\"role\": \"bot\", \"content\": \"x\"}], \"answer\": \"a\"}").find("bad role \"bot\""),
            std::string::npos);
  EXPECT_NE(error_at_line_3("{\"prompt\": \"p\", \"answer\": \"a\", \"weight\": 2}").find("unknown key \"weight\""),
            std::string::npos);
  EXPECT_NE(error_at_line_3("{\"prompt\": \"p\", \"answer\": \"a\", \"split\": \"test\"}").find("\"split\""),
            std::string::npos);
  // ParseRow alone knows no file.
  EXPECT_EQ(ErrorOf([] { ParseRow("{\"prompt\": 1, \"answer\": \"a\"}", 5, Scripted()); }),
            "line 5: \"prompt\" must be a string");
}

TEST(Dataset, MissingFileIsAnInputError) {
  ErrorOf([] { LoadDataset("/nonexistent/d.jsonl", Scripted(), DatasetOptions{}); });
}

}  // namespace
}  // namespace scale::train
