// JobGraph: validation before anything runs, ready order, release of dependants; and that the
// default Llm::RunJobs (what scripted fakes run) follows the same rule on a cycle as the scheduler.
#include "engine/job_graph.h"

#include <gtest/gtest.h>

#include <vector>

#include "util/error.h"

namespace scale::engine {
namespace {

std::vector<Job> Graph(const std::vector<std::vector<size_t>>& deps) {
  std::vector<Job> jobs(deps.size());
  for (size_t i = 0; i < deps.size(); ++i) jobs[i].deps = deps[i];
  return jobs;
}

TEST(JobGraphTest, HandsOutReadyJobsLowestIndexFirstAndReleasesDependants) {
  // 0 <- 2, 1 <- 2, 3 independent
  JobGraph graph(Graph({{}, {}, {0, 1}, {}}));
  std::vector<size_t> order;
  ASSERT_TRUE(graph.AnyReady());
  order.push_back(graph.TakeReady());  // 0
  order.push_back(graph.TakeReady());  // 1
  graph.Finished(0);
  EXPECT_EQ(graph.TakeReady(), 3u) << "2 still waits for 1";
  graph.Finished(1);
  EXPECT_EQ(graph.TakeReady(), 2u);
  EXPECT_FALSE(graph.AnyReady());
  EXPECT_FALSE(graph.AllFinished());
  graph.Finished(2);
  graph.Finished(3);
  EXPECT_TRUE(graph.AllFinished());
  EXPECT_EQ(order, (std::vector<size_t>{0, 1}));
}

TEST(JobGraphTest, PutBackKeepsTheJobsPlaceByIndex) {
  JobGraph graph(Graph({{}, {}, {}}));
  size_t first = graph.TakeReady();
  size_t second = graph.TakeReady();
  graph.PutBack(first);
  EXPECT_EQ(graph.TakeReady(), first);
  EXPECT_EQ(graph.TakeReady(), 2u);
  EXPECT_EQ(second, 1u);
}

TEST(JobGraphTest, CyclesAndBadIndicesAreRejectedUpFront) {
  for (const auto& deps : std::vector<std::vector<std::vector<size_t>>>{{{1}, {0}}, {{}, {2}, {1}}, {{0}}, {{5}}}) {
    try {
      JobGraph graph(Graph(deps));
      FAIL() << "accepted a bad graph of " << deps.size() << " jobs";
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), kExitWorkFailed);
    }
  }
  EXPECT_FALSE(JobGraph(Graph({})).AnyReady());
  EXPECT_TRUE(JobGraph(Graph({})).AllFinished());
}

// The base class's one-at-a-time RunJobs, over an Llm that answers with the request's id.
class EchoLlm : public Llm {
 public:
  Response Complete(const Request& request) override {
    Response r;
    r.text = request.id;
    return r;
  }
  int CountTokens(std::string_view text) override { return static_cast<int>(text.size()); }
  int CountPromptTokens(const std::vector<Message>&) override { return 0; }
  int ContextSize() const override { return 1000; }
  std::string Fingerprint() const override { return "echo"; }
};

TEST(JobGraphTest, DefaultRunJobsRejectsACycleBeforeRunningTheAcyclicPart) {
  EchoLlm llm;
  int made = 0;
  std::vector<Job> jobs = Graph({{}, {2}, {1}});  // job 0 is runnable, 1 and 2 form a cycle
  for (Job& job : jobs) {
    job.make = [&made] {
      ++made;
      return std::optional<Request>(Request{});
    };
  }
  EXPECT_THROW(llm.RunJobs(jobs), Error);
  EXPECT_EQ(made, 0);

  std::vector<std::string> order;
  std::vector<Job> chain = Graph({{1}, {}, {0}});
  for (size_t i = 0; i < chain.size(); ++i) {
    chain[i].make = [i] {
      Request r;
      r.id = std::to_string(i);
      return std::optional<Request>(r);
    };
    chain[i].done = [&order](const Response& r) { order.push_back(r.text); };
  }
  llm.RunJobs(chain);
  EXPECT_EQ(order, (std::vector<std::string>{"1", "0", "2"}));
}

}  // namespace
}  // namespace scale::engine
