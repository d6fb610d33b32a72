#pragma once
// OutputLock: one writer per result file, whatever the file system does about locking.
//
// HDF5 locks the files it opens, but not when HDF5_USE_FILE_LOCKING=FALSE (the usual setting on
// Lustre and NFS), and then two `p3sim sweep --resume` of one file both wrote it and scrambled
// /events. So p3sim takes a lock of its own, on "<file>.lock" beside the result file: an
// open-file-description lock (fcntl F_OFD_SETLK), held by the process for as long as the lock
// object lives and released by the kernel if the process dies (kill -9 leaves a stale lock file,
// never a stale lock). NFS carries these locks to the server; a file system that cannot lock makes
// the constructor fail, so that a sweep is refused rather than run unprotected.
#include <string>

namespace p3sim {

class OutputLock {
 public:
  /// Takes the lock of result file `path`. Throws OutputError when another process holds it (the
  /// message names its process id) or when the lock cannot be taken.
  explicit OutputLock(const std::string& path);
  /// Releases the lock and removes the lock file.
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

  /// The process id written in the lock file of `path` when another process holds its lock; 0
  /// when nobody does (or the file system cannot tell).
  static long holder(const std::string& path);

 private:
  std::string lock_path_;
  int fd_ = -1;
};

}  // namespace p3sim
