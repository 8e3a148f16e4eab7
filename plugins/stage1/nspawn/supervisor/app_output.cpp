#include "app_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt::nspawn {

namespace {

// Records read per pump() when not draining: the queue holds only net.unix.max_dgram_qlen of
// them before the app's writes wait anyway.
constexpr int kBatch = 64;

posix::UniqueFd openLog(const std::string& path) {
  posix::UniqueFd fd(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640));
  if (!fd.valid()) {
    posix::throwSys("cannot open `" + path + "`");
  }
  return fd;
}

// A datagram socket bound to an address of the kernel's choosing (autobind: a unique name in
// the abstract namespace), which it returns.
posix::UniqueFd boundSocket(sockaddr_un& address, socklen_t& length, const std::string& what) {
  posix::UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_un unnamed{};
  unnamed.sun_family = AF_UNIX;
  if (!fd.valid() ||
      ::bind(fd.get(), reinterpret_cast<sockaddr*>(&unnamed), sizeof(sa_family_t)) != 0) {
    posix::throwSys("cannot create a socket for the " + what);
  }
  length = sizeof address;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    posix::throwSys("cannot name the socket for the " + what);
  }
  return fd;
}

bool sameAddress(const sockaddr_un& a, socklen_t aLength, const sockaddr_un& b, socklen_t bLength) {
  return aLength == bLength && std::memcmp(&a, &b, aLength) == 0;
}

}  // namespace

AppOutput::AppOutput(const std::string& logDir, const std::string& app)
    : logPath_(logDir + "/" + app) {
  if (::mkdir(logDir.c_str(), 0750) != 0 && errno != EEXIST) {
    posix::throwSys("cannot create `" + logDir + "`");
  }
  logFd_ = openLog(logPath_);
  struct stat st {};
  logSize_ = ::fstat(logFd_.get(), &st) == 0 ? st.st_size : 0;
  receiver_ = boundSocket(receiverAddress_, receiverAddressLength_, "output of app `" + app + "`");
  makeStream(out_, STDOUT_FILENO, "stdout of app `" + app + "`");
  makeStream(err_, STDERR_FILENO, "stderr of app `" + app + "`");
}

void AppOutput::makeStream(Stream& s, int passThrough, const std::string& what) {
  s.end = boundSocket(s.address, s.addressLength, what);
  s.passThrough = passThrough;
  if (::connect(s.end.get(), reinterpret_cast<sockaddr*>(&receiverAddress_),
                receiverAddressLength_) != 0) {
    posix::throwSys("cannot connect the " + what);
  }
  // A write larger than the send buffer fails: as large as allowed (FORCE needs CAP_NET_ADMIN,
  // which nspawn gives a pod with a network namespace of its own).
  if (::setsockopt(s.end.get(), SOL_SOCKET, SO_SNDBUFFORCE, &kSendBufferBytes,
                   sizeof kSendBufferBytes) != 0) {
    (void)::setsockopt(s.end.get(), SOL_SOCKET, SO_SNDBUF, &kSendBufferBytes,
                       sizeof kSendBufferBytes);
  }
}

void AppOutput::redirectChild() const {
  ::dup2(out_.end.get(), STDOUT_FILENO);
  ::dup2(err_.end.get(), STDERR_FILENO);
}

void AppOutput::closeWriteEnds() {
  out_.end = posix::UniqueFd();
  err_.end = posix::UniqueFd();
}

void AppOutput::log(const char* data, size_t len) {
  if (!logFd_.valid()) {
    return;
  }
  if (logSize_ > 0 && logSize_ + static_cast<off_t>(len) > kLogCapBytes) {
    // Keep the last full file; a rename is atomic for a reader (`rkt logs`).
    if (::rename(logPath_.c_str(), (logPath_ + ".1").c_str()) == 0) {
      try {
        logFd_ = openLog(logPath_);
        logSize_ = 0;
      } catch (const std::exception&) {
        logFd_ = posix::UniqueFd();
        return;
      }
    }
  }
  if (posix::writeAll(logFd_.get(), data, len)) {
    logSize_ += static_cast<off_t>(len);
  }
}

bool AppOutput::receiveOne() {
  // The record's size first (MSG_TRUNC: its whole length), then the record.
  const ssize_t size = ::recv(receiver_.get(), nullptr, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
  if (size < 0) {
    return errno == EINTR;
  }
  buffer_.resize(static_cast<size_t>(size) + 1);
  sockaddr_un from{};
  socklen_t fromLength = sizeof from;
  const ssize_t n = ::recvfrom(receiver_.get(), buffer_.data(), buffer_.size(), MSG_DONTWAIT,
                               reinterpret_cast<sockaddr*>(&from), &fromLength);
  if (n < 0) {
    return errno == EINTR;
  }
  // Only the app's two sockets write here (anyone in the pod's network namespace could).
  for (const Stream* s : {&out_, &err_}) {
    if (sameAddress(from, fromLength, s->address, s->addressLength)) {
      posix::writeAll(s->passThrough, buffer_.data(), static_cast<size_t>(n));
      log(buffer_.data(), static_cast<size_t>(n));
    }
  }
  return true;
}

void AppOutput::pump(bool drain) {
  for (int i = 0; drain || i < kBatch; ++i) {
    if (!receiveOne()) {
      return;
    }
  }
}

}  // namespace rkt::nspawn
