// A fetcher for the made-up image scheme `hello:<text>`: "fetching" builds a small ACI image,
// `example.com/hello` with <text> as its version and in its file /hello, and returns its path.
// rkt routes `hello:<text>` here because this plugin is fetcher-hello.so (docs/plugins.md).
#ifndef HELLO_FETCHER_HPP
#define HELLO_FETCHER_HPP

#include <string>

#include <rkt/sdk/fetcher.hpp>

namespace hello {

class HelloFetcher : public rkt::sdk::Fetcher {
 public:
  /// `config` is the factory's JSON configuration; {"output_dir": "<dir>"} chooses where
  /// fetched images go (default: the request's tmp_dir, else $TMPDIR, else /tmp). Throws
  /// rkt::sdk::Error when invalid.
  explicit HelloFetcher(const std::string& config);

  /// `request` is {"image": "hello:<text>"} (or hello://<text>); returns {"path": "<the ACI>"}.
  std::string fetch(const std::string& request) override;

 private:
  /// Writes the image into a new file in `dir`; returns its path.
  static std::string writeImage(const std::string& dir, const std::string& text);

  std::string outputDir_;
};

}  // namespace hello

#endif  // HELLO_FETCHER_HPP
