// Tests of the file safety rules: bounded reads of regular files only, replacing a user's file
// only while it is unchanged (keeping links, mode, owner and attributes), private cache dirs.
#include "util/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <functional>

#include "testing/exit_code.h"
#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale {
namespace {

namespace fs = std::filesystem;

using testing::ExitCodeOf;

TEST(ReadFileTest, RefusesSpecialFilesWithoutBlocking) {
  testing::TempDir dir;
  std::string fifo = dir.file("pipe.py");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // Opening a FIFO for reading blocks until a writer comes; this must return at once.
  EXPECT_EQ(ExitCodeOf([&] { ReadFile(fifo); }), kExitInput);
  std::string message;
  EXPECT_EQ(ExitCodeOf([&] { ReadFile("/dev/zero"); }, &message), kExitInput);
  EXPECT_NE(message.find("not a regular file"), std::string::npos) << message;
  EXPECT_EQ(ExitCodeOf([&] { ReadFile(dir.path()); }), kExitInput);
}

TEST(ReadFileTest, CapsReadsEvenWhenTheSizeIsUnknown) {
  // procfs files say size 0 and may be long: the cap holds anyway.
  EXPECT_EQ(ExitCodeOf([] { ReadFile("/proc/self/maps", 16); }), kExitInput);
  testing::TempDir dir;
  std::string f = dir.Write("f", "0123456789");
  EXPECT_EQ(ReadFile(f, 10), "0123456789");
  EXPECT_EQ(ExitCodeOf([&] { ReadFile(f, 9); }), kExitInput);
}

TEST(ReplaceFileTest, ReplacesAnUnchangedFileAndKeepsItsMode) {
  testing::TempDir dir;
  std::string f = dir.Write("a.py", "old");
  ASSERT_EQ(chmod(f.c_str(), 0600), 0);
  FileStamp stamp;
  ASSERT_EQ(ReadFileStamped(f, 100, &stamp), "old");
  ReplaceResult r = ReplaceFileIfUnchanged(f, "new", stamp);
  EXPECT_EQ(r.status, ReplaceStatus::kReplaced) << r.why;
  EXPECT_EQ(ReadFile(f), "new");
  struct stat st;
  ASSERT_EQ(stat(f.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST(ReplaceFileTest, KeepsEveryModeNotJustTheTempFilesDefault) {
  // The temp file starts as 0600, so only modes other than that show whether the mode is carried.
  testing::TempDir dir;
  for (mode_t mode : {0755, 0640, 0444, 0604}) {
    std::string f = dir.Write("m" + std::to_string(mode) + ".py", "old");
    ASSERT_EQ(chmod(f.c_str(), mode), 0);
    FileStamp stamp;
    ReadFileStamped(f, 100, &stamp);
    ASSERT_EQ(ReplaceFileIfUnchanged(f, "new", stamp).status, ReplaceStatus::kReplaced);
    struct stat st;
    ASSERT_EQ(stat(f.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, mode) << std::oct << mode;
    EXPECT_EQ(ReadFile(f), "new");
  }
}

// Runs `body` in a child process and returns its exit status (fault switches and a dropped user
// id must not leak into the test process). The child exits 0 unless `body` returns a code.
int InChild(const std::function<int()>& body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// 7 when `f` throws Error(kExitIo) whose message contains `needle`; otherwise 1 (0 if it did not throw).
int IoErrorSaying(const std::function<void()>& f, const std::string& needle) {
  try {
    f();
  } catch (const Error& e) {
    return e.exit_code() == kExitIo && std::string(e.what()).find(needle) != std::string::npos ? 7 : 1;
  }
  return 0;
}

int TempFilesIn(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().filename().string().find(".scale-") != std::string::npos;
  return n;
}

TEST(ReplaceFileTest, InjectedFullDiskLeavesTheOriginalAndNoTempFile) {
  testing::TempDir dir;
  std::string f = dir.Write("a.py", "original");
  ASSERT_EQ(chmod(f.c_str(), 0640), 0);
  struct stat before;
  ASSERT_EQ(stat(f.c_str(), &before), 0);
  int code = InChild([&] {
    setenv("SCALE_FAULT_ENOSPC_AT", "1", 1);
    FileStamp stamp;
    ReadFileStamped(f, 100, &stamp);
    return IoErrorSaying([&] { ReplaceFileIfUnchanged(f, "replacement", stamp); }, "the original is untouched");
  });
  EXPECT_EQ(code, 7);
  EXPECT_EQ(ReadFile(f), "original");
  struct stat after;
  ASSERT_EQ(stat(f.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);  // the same file, not a rewritten copy
  EXPECT_EQ(after.st_mode, before.st_mode);
  EXPECT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  EXPECT_EQ(TempFilesIn(dir.path()), 0);
}

TEST(ReplaceFileTest, ReadOnlyDirectoryLeavesTheOriginal) {
  // No temp file can be created beside the file: both writers fail with kExitIo and change nothing.
  // Root ignores directory permissions, so as root the child drops to an unprivileged user first.
  testing::TempDir dir;
  const fs::path ro = dir.path() / "ro";
  std::string f = dir.Write("ro/a.py", "original");
  std::string g = dir.Write("ro/b.txt", "output");
  const bool root = geteuid() == 0;
  const uid_t user = 65534;
  if (root) {
    ASSERT_EQ(chown(ro.c_str(), user, user), 0);
    ASSERT_EQ(chown(f.c_str(), user, user), 0);
    ASSERT_EQ(chown(g.c_str(), user, user), 0);
  }
  ASSERT_EQ(chmod(ro.c_str(), 0555), 0);
  int code = InChild([&] {
    if (root && (setgid(user) != 0 || setuid(user) != 0)) return 2;
    FileStamp stamp;
    ReadFileStamped(f, 100, &stamp);
    int replace = IoErrorSaying([&] { ReplaceFileIfUnchanged(f, "replacement", stamp); }, "cannot create a temp file");
    int write = IoErrorSaying([&] { WriteFileAtomic(g, "replacement"); }, "cannot create a temp file");
    return replace == 7 && write == 7 ? 7 : 10 * replace + write + 20;
  });
  ASSERT_EQ(chmod(ro.c_str(), 0755), 0);  // so that TempDir can clean up as any user
  EXPECT_EQ(code, 7);
  EXPECT_EQ(ReadFile(f), "original");
  EXPECT_EQ(ReadFile(g), "output");
  EXPECT_EQ(TempFilesIn(ro), 0);
}

TEST(ReplaceFileTest, LeavesAFileThatChangedSinceItWasRead) {
  testing::TempDir dir;
  std::string f = dir.Write("a.py", "old!");
  FileStamp stamp;
  ReadFileStamped(f, 100, &stamp);
  // Same size and, restored below, the same mtime: only the content hash can tell.
  struct stat st;
  ASSERT_EQ(stat(f.c_str(), &st), 0);
  {
    int fd = open(f.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, "edit", 4), 4);
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    futimens(fd, times);
    close(fd);
  }
  ReplaceResult r = ReplaceFileIfUnchanged(f, "new", stamp);
  EXPECT_EQ(r.status, ReplaceStatus::kChanged);
  EXPECT_EQ(ReadFile(f), "edit");
  // Replaced by another file (an editor's own atomic save): also a change.
  std::string g = dir.Write("b.py", "old");
  ReadFileStamped(g, 100, &stamp);
  std::string other = dir.Write("other", "old");
  fs::rename(other, g);
  EXPECT_EQ(ReplaceFileIfUnchanged(g, "new", stamp).status, ReplaceStatus::kChanged);
  EXPECT_EQ(ReadFile(g), "old");
  fs::remove(g);
  EXPECT_EQ(ReplaceFileIfUnchanged(g, "new", stamp).status, ReplaceStatus::kChanged);
  EXPECT_FALSE(fs::exists(g));
  for (const auto& e : fs::directory_iterator(dir.path())) {
    EXPECT_EQ(e.path().filename().string().find(".scale-"), std::string::npos) << "temp file left: " << e.path();
  }
}

TEST(ReplaceFileTest, WritesThroughASymlinkAndRefusesHardLinks) {
  testing::TempDir dir;
  std::string target = dir.Write("real/a.py", "old");
  std::string link = dir.file("link.py");
  fs::create_symlink("real/a.py", link);
  FileStamp stamp;
  ReadFileStamped(link, 100, &stamp);
  EXPECT_EQ(ReplaceFileIfUnchanged(link, "new", stamp).status, ReplaceStatus::kReplaced);
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(ReadFile(target), "new");

  std::string one = dir.Write("one.py", "old");
  fs::create_hard_link(one, dir.file("two.py"));
  ReadFileStamped(one, 100, &stamp);
  ReplaceResult r = ReplaceFileIfUnchanged(one, "new", stamp);
  EXPECT_EQ(r.status, ReplaceStatus::kRefused);
  EXPECT_NE(r.why.find("hard links"), std::string::npos);
  EXPECT_EQ(ReadFile(dir.file("two.py")), "old");
  EXPECT_EQ(fs::hard_link_count(one), 2u);
}

TEST(ReplaceFileTest, KeepsOwnerGroupAndExtendedAttributes) {
  testing::TempDir dir;
  std::string f = dir.Write("a.py", "old");
  if (setxattr(f.c_str(), "user.scale-test", "kept", 4, 0) != 0) {
    GTEST_SKIP() << "this file system has no user extended attributes: " << std::strerror(errno);
  }
  bool root = geteuid() == 0;
  if (root) {
    ASSERT_EQ(chown(f.c_str(), 4242, 4343), 0);
  }
  FileStamp stamp;
  ReadFileStamped(f, 100, &stamp);
  ASSERT_EQ(ReplaceFileIfUnchanged(f, "new", stamp).status, ReplaceStatus::kReplaced);
  char value[16] = {};
  ASSERT_EQ(getxattr(f.c_str(), "user.scale-test", value, sizeof value), 4);
  EXPECT_STREQ(value, "kept");
  struct stat st;
  ASSERT_EQ(stat(f.c_str(), &st), 0);
  if (root) {
    EXPECT_EQ(st.st_uid, 4242u);
    EXPECT_EQ(st.st_gid, 4343u);
  }
}

TEST(WriteFileAtomicTest, NewFilesRespectTheUmaskAndPrivateOnesStayPrivate) {
  testing::TempDir dir;
  mode_t old = umask(027);
  WriteFileAtomic(dir.file("out.py"), "x");
  WriteFileAtomic(dir.file("backup"), "x", 0600);
  umask(old);
  struct stat st;
  ASSERT_EQ(stat(dir.file("out.py").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  ASSERT_EQ(stat(dir.file("backup").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST(WriteFileAtomicTest, AnExistingFileKeepsItsModeWhateverTheUmask) {
  testing::TempDir dir;
  std::string f = dir.Write("out.txt", "old");
  ASSERT_EQ(chmod(f.c_str(), 0604), 0);
  mode_t old = umask(077);
  WriteFileAtomic(f, "new", 0600);
  umask(old);
  struct stat st;
  ASSERT_EQ(stat(f.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0604u);
  EXPECT_EQ(ReadFile(f), "new");
}

TEST(WriteFileAtomicTest, InjectedFullDiskLeavesTheOriginalAndNoTempFile) {
  // The fault switch is read once per process, so this runs in a child.
  testing::TempDir dir;
  std::string f = dir.Write("a.py", "original");
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setenv("SCALE_FAULT_ENOSPC_AT", "1", 1);
    try {
      WriteFileAtomic(f, "replacement");
    } catch (const Error& e) {
      _exit(std::string(e.what()).find("No space left on device") != std::string::npos && e.exit_code() == kExitIo ? 7 : 1);
    }
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_EQ(WEXITSTATUS(status), 7);
  EXPECT_EQ(ReadFile(f), "original");
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) entries += !e.path().empty();
  EXPECT_EQ(entries, 1);
}

TEST(PrivateDirTest, TightensOurOwnAndRefusesSomeoneElses) {
  testing::TempDir dir;
  std::string mine = dir.file("cache");
  fs::create_directories(mine);
  ASSERT_EQ(chmod(mine.c_str(), 0755), 0);
  EnsurePrivateDir(mine);
  struct stat st;
  ASSERT_EQ(stat(mine.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EnsurePrivateDir(dir.file("fresh/deeper"));
  ASSERT_EQ(stat(dir.file("fresh/deeper").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  if (geteuid() == 0) {
    std::string theirs = dir.file("theirs");
    fs::create_directories(theirs);
    ASSERT_EQ(chown(theirs.c_str(), 4242, 4242), 0);
    EXPECT_EQ(ExitCodeOf([&] { EnsurePrivateDir(theirs); }), kExitIo);
  }
}

TEST(CacheDirTest, WithoutHomeNeverUsesASharedTempFolder) {
  // cron and systemd run without $HOME: the cache must still be private, never <tmp>/scale-cache.
  testing::TempDir dir;
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    unsetenv("SCALE_HOME");
    unsetenv("XDG_CACHE_HOME");
    unsetenv("HOME");
    setenv("TMPDIR", dir.path().c_str(), 1);
    fs::path cache = CacheDir();
    struct stat st;
    bool ok = cache != dir.path() / "scale-cache" && stat(cache.c_str(), &st) == 0 && st.st_uid == geteuid() &&
              (st.st_mode & 077) == 0;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace scale
