// rkt's image/app argument grammar and the run/prepare flag table (cli/run_flags.hpp).
#include <cppunit/extensions/HelperMacros.h>

#include <stdlib.h>

#include <algorithm>

#include <CLI/CLI.hpp>

#include "global_options.hpp"
#include "run_flags.hpp"

using rkt::cli::kForPrepare;
using rkt::cli::kForRun;
using rkt::cli::parseAppArgs;
using rkt::cli::RunFlags;

namespace {

std::string errorOf(const std::vector<std::string>& args, RunFlags& flags) {
  rkt::Status s = parseAppArgs(args, flags, kForRun);
  return s ? std::string() : s.error().message;
}

}  // namespace

class RunFlagsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RunFlagsTest);
  CPPUNIT_TEST(imagesAndPerAppFlags);
  CPPUNIT_TEST(appArguments);
  CPPUNIT_TEST(grammarErrors);
  CPPUNIT_TEST(podFlagsBetweenImages);
  CPPUNIT_TEST(flagErrorsUsePflagWording);
  CPPUNIT_TEST(danglingMount);
  CPPUNIT_TEST(cli11BeforeFirstImage);
  CPPUNIT_TEST(commandSpecificFlags);
  CPPUNIT_TEST(globalFlagsAmongImages);
  CPPUNIT_TEST_SUITE_END();

 public:
  void imagesAndPerAppFlags() {
    RunFlags f;
    CPPUNIT_ASSERT_EQUAL(std::string(),
                         errorOf({"img1", "--exec=/bin/sh", "--user", "u1", "--readonly-rootfs",
                                  "img2", "--name=two", "--supplementary-gids=1,2",
                                  "--supplementary-gids=3", "--environment=A=1"},
                                 f));
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.apps.apps.size());
    CPPUNIT_ASSERT_EQUAL(std::string("img1"), f.apps.apps[0].image);
    CPPUNIT_ASSERT_EQUAL(std::string("/bin/sh"), f.apps.apps[0].exec);
    CPPUNIT_ASSERT_EQUAL(std::string("u1"), f.apps.apps[0].user);
    CPPUNIT_ASSERT(f.apps.apps[0].readOnlyRootFs.value_or(false));
    CPPUNIT_ASSERT_EQUAL(std::string("two"), f.apps.apps[1].name);
    CPPUNIT_ASSERT(!f.apps.apps[1].readOnlyRootFs);
    CPPUNIT_ASSERT((f.apps.apps[1].supplementaryGids == std::vector<std::uint32_t>{1, 2, 3}));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), f.apps.apps[1].environment.at(0).value);
  }

  void appArguments() {
    RunFlags f;
    CPPUNIT_ASSERT_EQUAL(std::string(),
                         errorOf({"a", "--", "x", "--exec", "-y", "---", "b", "--", "", "---"}, f));
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.apps.apps.size());
    CPPUNIT_ASSERT((f.apps.apps[0].args == std::vector<std::string>{"x", "--exec", "-y"}));
    CPPUNIT_ASSERT(f.apps.apps[0].exec.empty());
    CPPUNIT_ASSERT(f.apps.apps[1].hasArgs);
    CPPUNIT_ASSERT((f.apps.apps[1].args == std::vector<std::string>{""}));
    // Arguments run to the end without `---`; `---` elsewhere and empty words are ignored.
    RunFlags g;
    CPPUNIT_ASSERT_EQUAL(std::string(), errorOf({"a", "---", "", "--", "x", "---", "---"}, g));
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), g.apps.apps.size());
    CPPUNIT_ASSERT((g.apps.apps[0].args == std::vector<std::string>{"x"}));
  }

  void grammarErrors() {
    RunFlags f;
    CPPUNIT_ASSERT_EQUAL(std::string("an image is required before any app arguments"),
                         errorOf({"--", "x"}, f));
    RunFlags g;
    CPPUNIT_ASSERT_EQUAL(std::string("only one set of app arguments allowed per image"),
                         errorOf({"a", "--", "x", "---", "--", "y"}, g));
    RunFlags h;
    CPPUNIT_ASSERT_EQUAL(std::string("invalid argument \"/x\" for \"--exec\" flag: --exec "
                                     "specified multiple times for the same image"),
                         errorOf({"a", "--exec=/y", "--exec=/x"}, h));
  }

  void podFlagsBetweenImages() {
    RunFlags f;
    CPPUNIT_ASSERT_EQUAL(std::string(),
                         errorOf({"a", "--set-env=K=V", "--dns=8.8.8.8", "--net=host", "b",
                                  "--volume=v,kind=empty", "--mount=volume=v,target=/v"},
                                 f));
    CPPUNIT_ASSERT_EQUAL(std::string("V"), f.setEnv.at(0).value);
    CPPUNIT_ASSERT_EQUAL(std::string("8.8.8.8"), f.dns.dns.at(0));
    CPPUNIT_ASSERT_EQUAL(std::string("host"), f.net);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.apps.volumes.size());
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.apps.apps[1].mounts.size());
    CPPUNIT_ASSERT(f.apps.mounts.empty());
    RunFlags g;
    CPPUNIT_ASSERT_EQUAL(std::string(), errorOf({"a", "--net"}, g));
    CPPUNIT_ASSERT_EQUAL(std::string("default"), g.net);
  }

  void flagErrorsUsePflagWording() {
    RunFlags f;
    CPPUNIT_ASSERT_EQUAL(std::string("unknown flag: --nope"), errorOf({"a", "--nope"}, f));
    CPPUNIT_ASSERT_EQUAL(std::string("unknown shorthand flag: 'x' in -x"), errorOf({"a", "-x"}, f));
    CPPUNIT_ASSERT_EQUAL(std::string("flag needs an argument: --user"),
                         errorOf({"a", "--user"}, f));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid argument \"1\" for \"--memory\" flag: memory limit "
                                     "of 1 bytes too low. Try a reasonable value, such as "
                                     "--memory=16M"),
                         errorOf({"a", "--memory=1"}, f));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid argument \"x\" for \"--set-env\" flag: must be "
                                     "specified as key=value"),
                         errorOf({"a", "--set-env", "x"}, f));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid argument \"1,a\" for \"--supplementary-gids\" flag: "
                                     "--supplementary-gids must be integers"),
                         errorOf({"a", "--supplementary-gids=1,a"}, f));
    // prepare has no --uuid-file-save.
    RunFlags g;
    rkt::Status s = parseAppArgs({"a", "--uuid-file-save=/x"}, g, kForPrepare);
    CPPUNIT_ASSERT_EQUAL(std::string("unknown flag: --uuid-file-save"), s.error().message);
  }

  void danglingMount() {
    RunFlags f;
    CPPUNIT_ASSERT_EQUAL(std::string("dangling mount point \"/d\": volume \"data\" not found"),
                         errorOf({"a", "--mount=volume=data,target=/d"}, f));
  }

  void cli11BeforeFirstImage() {
    RunFlags f;
    CLI::App app;
    rkt::cli::addRunFlags(app, f, kForRun);
    std::vector<std::string> args = {"--mount=volume=v,target=/x",
                                     "--volume=v,kind=empty",
                                     "--set-env=A=1",
                                     "--set-env=B=2",
                                     "--no-overlay",
                                     "--stage1-name=coreos.com/rkt/stage1-fly"};
    std::reverse(args.begin(), args.end());
    app.parse(args);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.apps.mounts.size());
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.setEnv.size());
    CPPUNIT_ASSERT(f.noOverlay);
    CPPUNIT_ASSERT_EQUAL(std::string("coreos.com/rkt/stage1-fly"), f.stage1.location);

    RunFlags g;
    CLI::App app2;
    rkt::cli::addRunFlags(app2, g, kForRun);
    std::vector<std::string> bad = {"--exec=/bin/sh"};
    try {
      app2.parse(bad);
      CPPUNIT_FAIL("--exec before an image must fail");
    } catch (const CLI::ParseError& e) {
      CPPUNIT_ASSERT_EQUAL(std::string("invalid argument \"/bin/sh\" for \"--exec\" flag: --exec "
                                       "must follow an image"),
                           std::string(e.what()));
    }
    RunFlags h;
    CLI::App app3;
    rkt::cli::addRunFlags(app3, h, kForRun);
    std::vector<std::string> twoStage1 = {"--stage1-path=/b", "--stage1-name=a"};
    try {
      app3.parse(twoStage1);
      CPPUNIT_FAIL("two stage1 flags must fail");
    } catch (const CLI::ParseError& e) {
      CPPUNIT_ASSERT(std::string(e.what()).find("are mutually exclusive") != std::string::npos);
    }
  }

  void globalFlagsAmongImages();

  void commandSpecificFlags() {
    RunFlags f;
    CLI::App run;
    rkt::cli::addRunFlags(run, f, kForRun);
    CPPUNIT_ASSERT(run.get_option_no_throw("--uuid-file-save") != nullptr);
    CPPUNIT_ASSERT(run.get_option_no_throw("--quiet") == nullptr);
    CLI::App prepare;
    rkt::cli::addRunFlags(prepare, f, kForPrepare);
    CPPUNIT_ASSERT(prepare.get_option_no_throw("--quiet") != nullptr);
    CPPUNIT_ASSERT(prepare.get_option_no_throw("--dns") == nullptr);
    CLI::App runPrepared;
    rkt::cli::addRunFlags(runPrepared, f, rkt::cli::kForRunPrepared);
    CPPUNIT_ASSERT(runPrepared.get_option_no_throw("--dns") != nullptr);
    CPPUNIT_ASSERT(runPrepared.get_option_no_throw("--exec") == nullptr);
    // The attach experiment's per-app stdio flags exist only when it is enabled.
    ::unsetenv("RKT_EXPERIMENT_ATTACH");
    RunFlags g;
    CPPUNIT_ASSERT_EQUAL(std::string("unknown flag: --stdin"), errorOf({"a", "--stdin=tty"}, g));
    ::setenv("RKT_EXPERIMENT_ATTACH", "true", 1);
    RunFlags h;
    CPPUNIT_ASSERT_EQUAL(std::string(), errorOf({"a", "--stdin=tty", "--stdout=log"}, h));
    CPPUNIT_ASSERT_EQUAL(std::string("tty"), h.apps.apps[0].stdinMode);
    CPPUNIT_ASSERT_EQUAL(std::string("invalid argument \"log\" for \"--stdin\" flag: invalid "
                                     "stdin mode \"log\""),
                         errorOf({"a", "--stdin=log"}, h));
    ::unsetenv("RKT_EXPERIMENT_ATTACH");
  }
};

void RunFlagsTest::globalFlagsAmongImages() {
  rkt::cli::GlobalOptions global;
  CLI::App globals;
  globals.set_help_flag();
  rkt::cli::addGlobalFlags(globals, global);
  RunFlags f;
  rkt::Status s = parseAppArgs({"a", "--debug", "--exec=/x", "--insecure-options", "image", "b"}, f,
                               kForRun, &globals);
  CPPUNIT_ASSERT_MESSAGE(s ? "" : s.error().message, s.ok());
  CPPUNIT_ASSERT(global.debug);
  CPPUNIT_ASSERT(global.insecureOptions.skipImageCheck());
  CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.apps.apps.size());
  CPPUNIT_ASSERT_EQUAL(std::string("/x"), f.apps.apps[0].exec);
  RunFlags g;
  s = parseAppArgs({"a", "--insecure-options=bogus"}, g, kForRun, &globals);
  CPPUNIT_ASSERT(!s.ok());
  // Without the globals app they are unknown.
  RunFlags h;
  CPPUNIT_ASSERT_EQUAL(std::string("unknown flag: --debug"), errorOf({"a", "--debug"}, h));
}

CPPUNIT_TEST_SUITE_REGISTRATION(RunFlagsTest);
