// A fetcher for the made-up image scheme `hello:<text>`: "fetching" writes <text> to a new
// file and returns its path.
#ifndef HELLO_FETCHER_HPP
#define HELLO_FETCHER_HPP

#include <string>

#include <rkt/sdk/fetcher.hpp>

namespace hello {

class HelloFetcher : public rkt::sdk::Fetcher {
 public:
  /// `config` is the factory's JSON configuration; {"output_dir": "<dir>"} chooses where
  /// fetched files go (default: $TMPDIR, else /tmp). Throws rkt::sdk::Error when invalid.
  explicit HelloFetcher(const std::string& config);

  /// `request` is {"image": "hello:<text>"}; returns {"path": "<file holding <text>>"}.
  std::string fetch(const std::string& request) override;

 private:
  std::string outputDir_;
};

}  // namespace hello

#endif  // HELLO_FETCHER_HPP
