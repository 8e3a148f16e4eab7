// A plain-HTTP server on 127.0.0.1 (Poco's HTTPServer, an ephemeral port) for the HTTP client's
// tests: each path answers as a route says, and every request is recorded (method, target,
// headers) so that tests check what the client sent. A `stall` route holds the connection
// without a byte until the server is destroyed, for the stall and total timeouts.
#ifndef RKT_TESTS_UNIT_SUPPORT_HTTP_LOCAL_SERVER_HPP
#define RKT_TESTS_UNIT_SUPPORT_HTTP_LOCAL_SERVER_HPP

#include <Poco/Event.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace rkt::test {

class LocalHttpServer {
 public:
  struct Request {
    std::string method;
    std::string target;  ///< as on the request line: "/x", or "http://host/x" through a proxy
    std::map<std::string, std::string> headers;
  };
  using Route = std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;

  LocalHttpServer()
      : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
        server_(new Factory(*this), pool_, socket_, new Poco::Net::HTTPServerParams) {
    server_.start();
  }
  ~LocalHttpServer() {
    released_.set();
    server_.stopAll(true);
    pool_.joinAll();  // no handler outlives what it refers to
  }
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  /// "http://127.0.0.1:<port>"
  std::string base() const {
    return "http://127.0.0.1:" + std::to_string(socket_.address().port());
  }
  std::string hostPort() const { return "127.0.0.1:" + std::to_string(socket_.address().port()); }

  /// What `path` (the request target's path, or the whole target through a proxy) answers.
  void route(const std::string& path, Route r) {
    std::lock_guard<std::mutex> lock(mu_);
    routes_[path] = std::move(r);
  }
  /// `status` with `body` and extra `headers`.
  void reply(const std::string& path, int status, const std::string& body,
             std::map<std::string, std::string> headers = {}) {
    route(path, [=](Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& res) {
      res.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
      for (const auto& [name, value] : headers)
        res.set(name, value);
      res.setContentLength64(static_cast<Poco::Int64>(body.size()));
      res.send() << body;
    });
  }
  /// A redirect to `location`.
  void redirect(const std::string& path, const std::string& location) {
    reply(path, 302, "", {{"Location", location}});
  }
  /// Never answers: holds the connection until the server goes away.
  void stall(const std::string& path) {
    route(path, [this](Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&) {
      released_.wait();
    });
  }

  std::vector<Request> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(LocalHttpServer& s) : s_(s) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req,
                       Poco::Net::HTTPServerResponse& res) override {
      Request seen{req.getMethod(), req.getURI(), {}};
      for (const auto& [name, value] : req)
        seen.headers[name] = value;
      Route r;
      {
        std::lock_guard<std::mutex> lock(s_.mu_);
        s_.requests_.push_back(seen);
        std::string key = req.getURI().substr(0, req.getURI().find('?'));
        auto it = s_.routes_.find(key);
        if (it != s_.routes_.end())
          r = it->second;
      }
      if (!r) {
        res.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
        res.setContentLength(0);
        res.send();
        return;
      }
      r(req, res);
    }

   private:
    LocalHttpServer& s_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(LocalHttpServer& s) : s_(s) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(s_);
    }

   private:
    LocalHttpServer& s_;
  };

  mutable std::mutex mu_;
  std::map<std::string, Route> routes_;
  std::vector<Request> requests_;
  Poco::Event released_{Poco::Event::EVENT_MANUALRESET};  // once set, stalled routes return
  Poco::ThreadPool pool_;
  Poco::Net::ServerSocket socket_;
  Poco::Net::HTTPServer server_;
};

}  // namespace rkt::test

#endif  // RKT_TESTS_UNIT_SUPPORT_HTTP_LOCAL_SERVER_HPP
