#include "exec_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <Poco/Exception.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <cerrno>
#include <thread>
#include <vector>

#include "rkt/sdk/error.hpp"

namespace rkt::cniexec {

namespace {

void setNonBlocking(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// Writes to a pipe whose reader may be gone: SIGPIPE is blocked in this thread for the call and
// a pending one is consumed, so the caller sees EPIPE instead of dying.
ssize_t writeNoSigpipe(int fd, const char* data, std::size_t len) {
  sigset_t pipe;
  sigset_t old;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, &old);
  const ssize_t n = ::write(fd, data, len);
  const int saved = errno;
  if (n < 0 && saved == EPIPE) {
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe, nullptr, &zero) > 0) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = saved;
  return n;
}

}  // namespace

ExecOutcome execWithTimeout(const std::string& path, const std::map<std::string, std::string>& env,
                            const std::string& input, std::chrono::milliseconds timeout) {
  Poco::Pipe in;
  Poco::Pipe out;
  Poco::Pipe err;
  Poco::Process::Env penv(env.begin(), env.end());
  std::optional<Poco::ProcessHandle> handle;
  try {
    handle.emplace(Poco::Process::launch(path, {}, &in, &out, &err, penv));
  } catch (const Poco::Exception& e) {
    throw sdk::Error(RKT_E_IO, "cannot run `" + path + "`: " + e.displayText());
  }
  in.close(Poco::Pipe::CLOSE_READ);
  out.close(Poco::Pipe::CLOSE_WRITE);
  err.close(Poco::Pipe::CLOSE_WRITE);
  setNonBlocking(in.writeHandle());
  setNonBlocking(out.readHandle());
  setNonBlocking(err.readHandle());

  ExecOutcome result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t written = 0;
  bool inOpen = true;
  bool outOpen = true;
  bool errOpen = true;
  if (input.empty()) {
    in.close(Poco::Pipe::CLOSE_WRITE);
    inOpen = false;
  }
  while (outOpen || errOpen) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timedOut = true;
      break;
    }
    std::vector<pollfd> fds;
    if (inOpen) {
      fds.push_back({in.writeHandle(), POLLOUT, 0});
    }
    if (outOpen) {
      fds.push_back({out.readHandle(), POLLIN, 0});
    }
    if (errOpen) {
      fds.push_back({err.readHandle(), POLLIN, 0});
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) {
      break;
    }
    for (const pollfd& p : fds) {
      if (p.revents == 0) {
        continue;
      }
      if (inOpen && p.fd == in.writeHandle()) {
        const ssize_t n = writeNoSigpipe(p.fd, input.data() + written, input.size() - written);
        if (n > 0) {
          written += static_cast<std::size_t>(n);
        }
        if ((n < 0 && errno != EAGAIN) || written == input.size()) {
          in.close(Poco::Pipe::CLOSE_WRITE);  // EPIPE: the plugin did not want it all
          inOpen = false;
        }
        continue;
      }
      std::string& sink = p.fd == out.readHandle() ? result.out : result.err;
      bool& open = p.fd == out.readHandle() ? outOpen : errOpen;
      char buf[4096];
      const ssize_t n = ::read(p.fd, buf, sizeof buf);
      if (n > 0) {
        sink.append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EAGAIN) {
        open = false;
      }
    }
  }
  if (inOpen) {
    in.close(Poco::Pipe::CLOSE_WRITE);
  }
  // Its output is closed; it may still be running (or a child of its may hold the pipes).
  while (!result.timedOut) {
    const int status = handle->tryWait();
    if (status >= 0 || std::chrono::steady_clock::now() >= deadline) {
      if (status >= 0) {
        result.exitStatus = status;
        return result;
      }
      result.timedOut = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  try {
    Poco::Process::kill(*handle);
  } catch (const Poco::Exception&) {
    // already gone
  }
  handle->wait();
  result.exitStatus = -1;
  return result;
}

}  // namespace rkt::cniexec
