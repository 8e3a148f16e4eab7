// An app's stdout and stderr in a non-interactive pod, in the order the app wrote them. Each is a
// unix datagram socket connected to one receiving socket of the supervisor's, so every write of
// the app is one record in a single queue, which tells which of the two it came from: two pipes
// would keep each stream's order but not the order across them. The supervisor passes each
// record on unchanged to its own stdout or stderr (systemd-nspawn's, so `rkt run`'s) and keeps
// a copy in `/rkt/logs/<app>` for `rkt logs`. The copy is capped: past kLogCapBytes the file
// becomes `<app>.1` (replacing the previous one) and a new one starts.
//
// Sockets, as rkt's apps had (journald's stream socket for both), differ from pipes in two
// ways an app can see: `/dev/stdout` (`/proc/self/fd/1`) cannot be opened, and one write larger
// than the socket's send buffer (kSendBufferBytes; without CAP_NET_ADMIN, as with --net=host,
// net.core.wmem_max twice) fails with EMSGSIZE.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_APP_OUTPUT_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_APP_OUTPUT_HPP

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include <string>
#include <vector>

#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::nspawn {

inline constexpr off_t kLogCapBytes = 1 << 20;
/// The largest single write an app's stdout or stderr takes (when the supervisor may set it).
inline constexpr int kSendBufferBytes = 8 << 20;

class AppOutput {
 public:
  /// Creates the sockets and opens the log under `logDir` (created when missing).
  AppOutput(const std::string& logDir, const std::string& app);

  /// For the app's process: makes the sending sockets its stdout and stderr.
  void redirectChild() const;
  /// In the supervisor, once the app is forked: closes its copies of the sending sockets.
  void closeWriteEnds();

  /// The receiving socket, readable when the app wrote something.
  int fd() const { return receiver_.get(); }

  /// Passes on and keeps the records queued, in order: at most a batch (so that one busy app
  /// does not hold the others up), or with `drain` all of them. Never blocks.
  void pump(bool drain = false);

 private:
  struct Stream {
    posix::UniqueFd end;  ///< the app's end, until closeWriteEnds
    sockaddr_un address{};
    socklen_t addressLength = 0;
    int passThrough = -1;  ///< the supervisor's descriptor the records go to
  };

  void makeStream(Stream& s, int passThrough, const std::string& what);
  /// Receives one record; false when none is queued.
  bool receiveOne();
  void log(const char* data, size_t len);

  std::string logPath_;
  posix::UniqueFd logFd_;
  off_t logSize_ = 0;
  posix::UniqueFd receiver_;
  sockaddr_un receiverAddress_{};
  socklen_t receiverAddressLength_ = 0;
  Stream out_, err_;
  std::vector<char> buffer_;
};

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_APP_OUTPUT_HPP
