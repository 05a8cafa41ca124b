// RecordingLlm over a scripted fake model (engine::FakeLlm: a unit test of the decorator, not of
// generation): it forwards the graph unchanged, records every request with its answer, and the
// digest depends on the set of requests, not on the order they ran in.
#include "bench/recording_llm.h"

#include <gtest/gtest.h>

#include "testing/fake_llm.h"

namespace scale::bench {
namespace {

engine::Request Req(const std::string& id, const std::string& text) {
  engine::Request r;
  r.id = id;
  r.messages = {{engine::Role::kSystem, "sys"}, {engine::Role::kUser, text}};
  r.sampling.max_tokens = 8;
  return r;
}

std::unique_ptr<engine::FakeLlm> Echo() {
  return std::make_unique<engine::FakeLlm>([](const engine::Request& r) { return "re " + r.messages.back().content; });
}

TEST(RecordingLlm, RunJobsKeepsDependenciesAndRecordsAnswers) {
  auto fake = Echo();
  RecordingLlm rec(*fake);
  std::vector<std::string> order;
  std::string first_answer;
  std::vector<engine::Job> jobs(3);
  jobs[0].make = [] { return Req("b", "one"); };
  jobs[0].done = [&](const engine::Response& r) { first_answer = r.text; order.push_back("b"); };
  jobs[1].deps = {0};
  jobs[1].make = [&] { return Req("a", "after " + first_answer); };  // uses its dependency's answer
  jobs[1].done = [&](const engine::Response&) { order.push_back("a"); };
  jobs[2].make = []() -> std::optional<engine::Request> { return std::nullopt; };  // skipped: not recorded
  rec.RunJobs(jobs);
  EXPECT_EQ(order, (std::vector<std::string>{"b", "a"}));
  std::vector<RecordedRequest> sorted = rec.Sorted();
  ASSERT_EQ(sorted.size(), 2u);
  EXPECT_EQ(sorted[0].id, "a");
  EXPECT_EQ(sorted[0].messages.back().content, "after re one");
  EXPECT_EQ(sorted[0].answer, "re after re one");
  EXPECT_EQ(sorted[1].answer, "re one");
  EXPECT_EQ(sorted[1].max_tokens, 8);
}

TEST(RecordingLlm, DigestIgnoresOrderButNotContent) {
  auto fake = Echo();
  RecordingLlm x(*fake), y(*fake), z(*fake);
  x.Complete(Req("1", "p"));
  x.Complete(Req("2", "q"));
  y.Complete(Req("2", "q"));
  y.Complete(Req("1", "p"));
  z.Complete(Req("1", "p"));
  z.Complete(Req("2", "q!"));
  EXPECT_EQ(RequestStreamDigest(x.Sorted()), RequestStreamDigest(y.Sorted()));
  EXPECT_EQ(FirstDifference(x.Sorted(), y.Sorted()), "");
  EXPECT_NE(RequestStreamDigest(x.Sorted()), RequestStreamDigest(z.Sorted()));
  EXPECT_EQ(FirstDifference(x.Sorted(), z.Sorted()), "2");
  EXPECT_NE(RequestStreamDigest(x.Sorted(), true), RequestStreamDigest(z.Sorted(), true));
  EXPECT_EQ(RequestStreamDigest(x.Sorted()).size(), 64u);
}

TEST(RecordingLlm, RoleAndMaxTokensArePartOfTheStream) {
  auto fake = Echo();
  RecordingLlm a(*fake), b(*fake), c(*fake);
  a.Complete(Req("1", "p"));
  engine::Request other_role = Req("1", "p");
  other_role.messages[0].role = engine::Role::kUser;
  b.Complete(other_role);
  engine::Request longer = Req("1", "p");
  longer.sampling.max_tokens = 9;
  c.Complete(longer);
  EXPECT_NE(RequestStreamDigest(a.Sorted()), RequestStreamDigest(b.Sorted()));
  EXPECT_NE(RequestStreamDigest(a.Sorted()), RequestStreamDigest(c.Sorted()));
  EXPECT_EQ(a.CountTokens("abcdefgh"), 2) << "forwarded to the inner model";
  EXPECT_EQ(a.Fingerprint(), "fake");
}

TEST(RecordingLlm, ReplaySendsTheSamePromptsInDependencyOrder) {
  auto fake = Echo();
  RecordingLlm first(*fake);
  std::vector<engine::Job> jobs(3);
  std::string inner;
  jobs[0].make = [] { return Req("inner", "x"); };
  jobs[0].done = [&](const engine::Response& r) { inner = r.text; };
  jobs[1].make = []() -> std::optional<engine::Request> { return std::nullopt; };  // skipped, in between
  jobs[1].deps = {0};
  jobs[2].deps = {1};
  jobs[2].make = [&] { return Req("outer", "uses " + inner); };
  first.RunJobs(jobs);
  first.Complete(Req("alone", "z"));  // a later call: its own phase

  // Another model answers differently: a live run would build other prompts, a replay does not.
  auto other = std::make_unique<engine::FakeLlm>([](const engine::Request&) { return std::string("different"); });
  RecordingLlm second(*other);
  ReplayResult r = Replay(second, first.InOrder());
  EXPECT_EQ(RequestStreamDigest(second.Sorted()), RequestStreamDigest(first.Sorted()));
  std::vector<engine::Request> seen = other->requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].id, "inner");
  EXPECT_EQ(seen[1].id, "outer") << "after the request it waited for through the skipped job";
  EXPECT_EQ(seen[1].messages.back().content, "uses re x");
  EXPECT_EQ(seen[2].id, "alone");
  EXPECT_GT(r.prompt_tokens, 0);
  EXPECT_EQ(first.InOrder()[1].after, (std::vector<size_t>{0}));
}

}  // namespace
}  // namespace scale::bench
