// OutputLock: an open-file-description lock on "<file>.lock" (see the header).
#include "io/OutputLock.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "io/ResultLayout.hpp"

namespace p3sim {
namespace {

struct flock whole_file(short type) {
  struct flock fl{};
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 0;  // to the end, however long
  return fl;
}

/// The process id recorded in an open lock file (0 if unreadable).
long recorded_pid(int fd) {
  char buf[32] = {};
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  return n > 0 ? std::strtol(buf, nullptr, 10) : 0;
}

}  // namespace

OutputLock::OutputLock(const std::string& path) : lock_path_(path + ".lock") {
  // The holder removes the lock file when it is done; a process that opened the old file just
  // before then gets a lock on a file no longer at the path, so it checks and tries again.
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      throw OutputError("cannot create the lock file '" + lock_path_ + "': " + std::strerror(errno));
    }
    struct flock fl = whole_file(F_WRLCK);
    if (fcntl(fd, F_OFD_SETLK, &fl) != 0) {
      const int err = errno;
      const long pid = recorded_pid(fd);
      close(fd);
      if (err == EACCES || err == EAGAIN) {
        throw OutputError("'" + path + "' is being written by another p3sim" +
                          (pid > 0 ? " (process " + std::to_string(pid) + ")" : std::string()) +
                          "; wait for it to finish or stop it first (one writer per file)");
      }
      throw OutputError("cannot lock '" + lock_path_ + "' (" + std::strerror(err) +
                        "): without a lock two writers could damage '" + path + "'");
    }
    struct stat held{}, now{};
    if (fstat(fd, &held) == 0 && stat(lock_path_.c_str(), &now) == 0 && held.st_dev == now.st_dev &&
        held.st_ino == now.st_ino) {
      const std::string pid = std::to_string(static_cast<long>(getpid())) + "\n";
      if (ftruncate(fd, 0) == 0) {
        [[maybe_unused]] const ssize_t written = pwrite(fd, pid.data(), pid.size(), 0);
      }
      fd_ = fd;
      return;
    }
    close(fd);
  }
  throw OutputError("cannot lock '" + lock_path_ + "': it keeps being replaced");
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  unlink(lock_path_.c_str());  // while still holding the lock (see the constructor)
  close(fd_);
}

long OutputLock::holder(const std::string& path) {
  const std::string lock_path = path + ".lock";
  const int fd = open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  struct flock fl = whole_file(F_WRLCK);
  long pid = 0;
  if (fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK) pid = std::max(1L, recorded_pid(fd));
  close(fd);
  return pid;
}

}  // namespace p3sim
