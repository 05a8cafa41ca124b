#include "train/dataset.h"

#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace scale::train {
namespace {
using nlohmann::json;

// A training file larger than this is almost certainly a mistake (or not JSONL at all).
constexpr uint64_t kMaxDatasetBytes = 1ull << 30;

// One parsed line: the row plus what the split needs, which the Row itself does not keep.
struct ParsedLine {
  Row row;
  std::string split_key;  // model-independent content the hash split is computed from
  bool forced = false;    // "split" was given; row.held_out is then final
};

std::string JsonErrorText(const std::exception& e) {
  // nlohmann prefixes "[json.exception.parse_error.101] "; the rest is the useful part.
  std::string what = e.what();
  size_t close = what.find("] ");
  return close == std::string::npos ? what : what.substr(close + 2);
}

engine::Role ParseRole(const std::string& where, const json& role) {
  if (role.is_string()) {
    const std::string& r = role.get_ref<const std::string&>();
    if (r == "system") return engine::Role::kSystem;
    if (r == "user") return engine::Role::kUser;
    if (r == "assistant") return engine::Role::kAssistant;
  }
  throw Error(kExitInput, where + "bad role " + role.dump() + " (system, user or assistant)");
}

// Appends s with its length first, so that ("ab","c") and ("a","bc") hash differently.
void AppendField(std::string* out, std::string_view s) {
  *out += std::to_string(s.size());
  *out += ':';
  out->append(s);
}

// `where` prefixes every error ("FILE:LINE: " or "line N: ").
ParsedLine ParseLine(std::string_view text, int line, const std::string& where, const Tokenizer& tokenizer) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw Error(kExitInput, where + "not valid JSON (" + JsonErrorText(e) + ")");
  }
  if (!j.is_object()) throw Error(kExitInput, where + "each line must be a JSON object, not " + std::string(j.type_name()));
  for (const auto& [key, value] : j.items()) {
    (void)value;
    if (key != "messages" && key != "prompt" && key != "answer" && key != "split" && key != "meta") {
      throw Error(kExitInput, where + "unknown key \"" + key + "\" (known: messages, prompt, answer, split, meta)");
    }
  }
  const bool has_messages = j.contains("messages"), has_prompt = j.contains("prompt");
  if (has_messages && has_prompt) throw Error(kExitInput, where + "has both \"prompt\" and \"messages\" (give one)");
  if (!has_messages && !has_prompt) throw Error(kExitInput, where + "needs \"prompt\" or \"messages\"");
  if (!j.contains("answer")) throw Error(kExitInput, where + "missing \"answer\"");
  if (!j["answer"].is_string()) throw Error(kExitInput, where + "\"answer\" must be a string");
  const std::string& answer = j["answer"].get_ref<const std::string&>();
  if (answer.empty()) throw Error(kExitInput, where + "empty \"answer\" (nothing to learn)");

  ParsedLine out;
  out.row.line = line;
  std::string prompt;
  if (has_prompt) {
    if (!j["prompt"].is_string()) throw Error(kExitInput, where + "\"prompt\" must be a string");
    prompt = j["prompt"].get<std::string>();
    AppendField(&out.split_key, "prompt");
    AppendField(&out.split_key, prompt);
  } else {
    const json& list = j["messages"];
    if (!list.is_array() || list.empty()) throw Error(kExitInput, where + "\"messages\" must be a non-empty array");
    std::vector<engine::Message> messages;
    AppendField(&out.split_key, "messages");
    for (const json& m : list) {
      if (!m.is_object()) throw Error(kExitInput, where + "each message must be an object {\"role\", \"content\"}");
      for (const auto& [key, value] : m.items()) {
        (void)value;
        if (key != "role" && key != "content") {
          throw Error(kExitInput, where + "unknown message key \"" + key + "\" (known: role, content)");
        }
      }
      if (!m.contains("role")) throw Error(kExitInput, where + "a message has no \"role\"");
      if (!m.contains("content") || !m["content"].is_string()) {
        throw Error(kExitInput, where + "a message's \"content\" must be a string");
      }
      engine::Message msg;
      msg.role = ParseRole(where, m["role"]);
      msg.content = m["content"].get<std::string>();
      // The hash covers the messages themselves, not the model's template: the split of a file
      // must not change when the same data trains another model family.
      AppendField(&out.split_key, m["role"].get_ref<const std::string&>());
      AppendField(&out.split_key, msg.content);
      messages.push_back(std::move(msg));
    }
    prompt = tokenizer.format(messages);
  }
  AppendField(&out.split_key, answer);

  if (j.contains("split")) {
    const json& s = j["split"];
    if (!s.is_string() || (s.get_ref<const std::string&>() != "train" && s.get_ref<const std::string&>() != "eval")) {
      throw Error(kExitInput, where + "\"split\" must be \"train\" or \"eval\", not " + s.dump());
    }
    out.forced = true;
    out.row.held_out = s.get_ref<const std::string&>() == "eval";
  }

  out.row.tokens = tokenizer.tokenize(prompt, /*add_special=*/true, /*parse_special=*/true);
  out.row.n_prompt = int(out.row.tokens.size());
  // The answer is plain text: "<|im_end|>" written in an answer is characters, not a stop token.
  std::vector<int32_t> a = tokenizer.tokenize(answer, /*add_special=*/false, /*parse_special=*/false);
  out.row.tokens.insert(out.row.tokens.end(), a.begin(), a.end());
  if (tokenizer.end_of_turn >= 0) out.row.tokens.push_back(tokenizer.end_of_turn);
  return out;
}

// A uniform number in [0, 1) from (seed, content): the same row lands in the same split whatever
// the order or the company of the other rows.
double SplitDraw(uint64_t seed, const std::string& key) {
  std::string input = "scale-train-split:" + std::to_string(seed) + ":" + key;
  std::string hex = Sha256Hex(input).substr(0, 16);
  uint64_t v = std::stoull(hex, nullptr, 16);
  return double(v >> 11) / double(1ull << 53);
}

}  // namespace

Row ParseRow(std::string_view json_line, int line, const Tokenizer& tokenizer) {
  return ParseLine(json_line, line, "line " + std::to_string(line) + ": ", tokenizer).row;
}

Dataset LoadDataset(const std::string& path, const Tokenizer& tokenizer, const DatasetOptions& options) {
  const std::string data = ReadFile(path, kMaxDatasetBytes);
  Dataset out;
  std::set<std::pair<std::vector<int32_t>, int>> seen;  // (tokens, n_prompt) of rows kept
  size_t pos = 0;
  int line = 0;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    if (end == std::string::npos) end = data.size();
    std::string_view text(data.data() + pos, end - pos);
    pos = end + 1;
    ++line;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    ParsedLine p = ParseLine(text, line, path + ":" + std::to_string(line) + ": ", tokenizer);
    if (int(p.row.tokens.size()) > options.max_tokens) {
      ++out.skipped_too_long;
      continue;
    }
    if (!seen.insert({p.row.tokens, p.row.n_prompt}).second) {  // a duplicate teaches nothing new
      ++out.duplicates;
      continue;
    }
    if (!p.forced) p.row.held_out = options.holdout > 0 && SplitDraw(options.seed, p.split_key) < options.holdout;
    out.answer_tokens += int64_t(p.row.tokens.size()) - p.row.n_prompt;
    (p.row.held_out ? out.eval : out.train).push_back(std::move(p.row));
  }
  if (out.train.empty()) {
    throw Error(kExitInput, path + ": no training rows (" + std::to_string(out.skipped_too_long) +
                                " skipped as longer than " + std::to_string(options.max_tokens) + " tokens)");
  }
  return out;
}

}  // namespace scale::train
