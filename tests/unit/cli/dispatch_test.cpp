#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>

#include <sstream>

#include "dispatch.hpp"
#include "flags.hpp"

using namespace rkt::cli;

namespace {

// What the last fake command saw.
struct Seen {
  int runs = 0;
  std::string path;
  std::vector<std::string> args;
  GlobalOptions global;
  bool format = false;
  std::string name;
  std::string wait;
};
Seen seen;

class RecordingCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addBoolFlag(app, "--no-legend", noLegend_, "no legend");
    addStringFlag(app, "--name", name_, "a name");
    addOptionalValueFlag(app, "--wait", wait_, "true", "wait");
    hide(addBoolFlag(app, "--secret-flag", secret_, "hidden"));
  }
  int run(Invocation& inv) override {
    ++seen.runs;
    seen.path = inv.path;
    seen.args = inv.args;
    seen.global = inv.global;
    seen.format = noLegend_;
    seen.name = name_;
    seen.wait = wait_;
    if (!inv.args.empty() && inv.args[0] == "fail")
      return inv.fail("it failed");
    if (!inv.args.empty() && inv.args[0] == "throw")
      throw std::runtime_error("boom");
    return 7;
  }

 private:
  bool noLegend_ = false;
  bool secret_ = false;
  std::string name_ = "default-name";
  std::string wait_ = "false";
};

const CommandSpec kList = CommandSpec("list", "List things").runs<RecordingCommand>();
const CommandSpec kLint = CommandSpec("lint", "Lint things").runs<RecordingCommand>();
const CommandSpec kRun = CommandSpec("run", "Run things")
                             .runs<RecordingCommand>()
                             .withTraits(kRawArgs)
                             .withUsage("IMAGE [-- args...]");
const CommandSpec kStatus = CommandSpec("status", "Show status")
                                .runs<RecordingCommand>()
                                .withUsage("UUID")
                                .withDescription("Shows the status.\n\nOf a pod.");
const CommandSpec kRoot =
    CommandSpec("rootonly", "Needs root").runs<RecordingCommand>().withTraits(kNeedsRoot);
const CommandSpec kHiddenCmd =
    CommandSpec("zzhidden", "Hidden").runs<RecordingCommand>().withTraits(kHidden);
const CommandSpec kImageList = CommandSpec("list", "List images").runs<RecordingCommand>();
const CommandSpec kImageRm = CommandSpec("rm", "Remove images").runs<RecordingCommand>();
const CommandSpec* const kImageCommands[] = {&kImageList, &kImageRm};
const CommandSpec kImage =
    CommandSpec("image", "Operate on images").withSubcommands(kImageCommands);
const CommandSpec* const kTable[] = {&kList, &kLint, &kRun, &kStatus, &kRoot, &kHiddenCmd, &kImage};

}  // namespace

class DispatcherTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DispatcherTest);
  CPPUNIT_TEST(missingCommand);
  CPPUNIT_TEST(runsCommandWithPositionals);
  CPPUNIT_TEST(prefixMatching);
  CPPUNIT_TEST(ambiguousAndUnknownCommands);
  CPPUNIT_TEST(globalFlagsBeforeAndAfterCommand);
  CPPUNIT_TEST(globalFlagDefaults);
  CPPUNIT_TEST(directoryFlagsAreAbsolute);
  CPPUNIT_TEST(badGlobalFlagValues);
  CPPUNIT_TEST(unknownFlags);
  CPPUNIT_TEST(commandFlagsAndDoubleDash);
  CPPUNIT_TEST(emptyInlineValue);
  CPPUNIT_TEST(rawArgsCommand);
  CPPUNIT_TEST(nestedCommands);
  CPPUNIT_TEST(groupWithoutSubcommandPrintsHelp);
  CPPUNIT_TEST(helpFlag);
  CPPUNIT_TEST(helpLayout);
  CPPUNIT_TEST(commandFailures);
  CPPUNIT_TEST(needsRoot);
  CPPUNIT_TEST(resolvePaths);
  CPPUNIT_TEST_SUITE_END();

  std::ostringstream out_;
  std::ostringstream err_;
  int rc_ = -1;

  int run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    seen = Seen{};
    Dispatcher d(kTable, out_, err_);
    rc_ = d.run(args);
    return rc_;
  }
  bool errHas(const std::string& s) const { return err_.str().find(s) != std::string::npos; }
  bool outHas(const std::string& s) const { return out_.str().find(s) != std::string::npos; }

 public:
  void missingCommand() {
    CPPUNIT_ASSERT_EQUAL(kExitMissingCommand, run({}));
    CPPUNIT_ASSERT_EQUAL(std::string("missing command\n"), err_.str());
    CPPUNIT_ASSERT(outHas("USAGE:\n\trkt [command]"));
    CPPUNIT_ASSERT_EQUAL(kExitMissingCommand, run({"--debug"}));
    CPPUNIT_ASSERT_EQUAL(0, seen.runs);
  }

  void runsCommandWithPositionals() {
    CPPUNIT_ASSERT_EQUAL(7, run({"status", "abc", "def"}));
    CPPUNIT_ASSERT_EQUAL(1, seen.runs);
    CPPUNIT_ASSERT_EQUAL(std::string("status"), seen.path);
    const std::vector<std::string> expected = {"abc", "def"};
    CPPUNIT_ASSERT(expected == seen.args);
  }

  void prefixMatching() {
    CPPUNIT_ASSERT_EQUAL(7, run({"sta"}));
    CPPUNIT_ASSERT_EQUAL(std::string("status"), seen.path);
    CPPUNIT_ASSERT_EQUAL(7, run({"lis"}));
    CPPUNIT_ASSERT_EQUAL(std::string("list"), seen.path);
    // Hidden commands match by prefix too, as in cobra.
    CPPUNIT_ASSERT_EQUAL(7, run({"zz"}));
    CPPUNIT_ASSERT_EQUAL(std::string("zzhidden"), seen.path);
  }

  void ambiguousAndUnknownCommands() {
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"li"}));
    CPPUNIT_ASSERT(errHas("rkt: ambiguous command `li` for `rkt`, could be: lint list"));
    CPPUNIT_ASSERT_EQUAL(0, seen.runs);
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"stauts"}));
    CPPUNIT_ASSERT(errHas("rkt: unknown command `stauts` for `rkt`"));
    CPPUNIT_ASSERT(errHas("Did you mean this?\n\tstatus\n"));
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"qqqqqq"}));
    CPPUNIT_ASSERT(!errHas("Did you mean"));
    // After "--" nothing is a command name any more.
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"--", "status"}));
    CPPUNIT_ASSERT(errHas("rkt: unknown command `status` for `rkt`"));
    CPPUNIT_ASSERT_EQUAL(0, seen.runs);
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"image", "bogus"}));
    CPPUNIT_ASSERT(errHas("unknown command `bogus` for `rkt image`"));
  }

  void globalFlagsBeforeAndAfterCommand() {
    CPPUNIT_ASSERT_EQUAL(7, run({"--debug", "--dir", "/tmp/x", "status", "u"}));
    CPPUNIT_ASSERT(seen.global.debug);
    CPPUNIT_ASSERT(seen.global.dirSet);
    CPPUNIT_ASSERT_EQUAL(std::string("/tmp/x"), seen.global.dir);
    CPPUNIT_ASSERT(std::vector<std::string>{"u"} == seen.args);

    CPPUNIT_ASSERT_EQUAL(7, run({"status", "u", "--insecure-options=image,tls", "--debug"}));
    CPPUNIT_ASSERT(seen.global.debug);
    CPPUNIT_ASSERT(seen.global.insecureOptions.skipImageCheck());
    CPPUNIT_ASSERT(seen.global.insecureOptions.skipTlsCheck());
    CPPUNIT_ASSERT(!seen.global.dirSet);

    // A value flag before the command consumes its separate value ("/tmp/x" is no command).
    CPPUNIT_ASSERT_EQUAL(7, run({"--local-config", "/tmp/x", "--trust-keys-from-https", "sta"}));
    CPPUNIT_ASSERT_EQUAL(std::string("/tmp/x"), seen.global.localConfigDir);
    CPPUNIT_ASSERT(seen.global.trustKeysFromHttps);
  }

  void globalFlagDefaults() {
    CPPUNIT_ASSERT_EQUAL(7, run({"status"}));
    CPPUNIT_ASSERT(!seen.global.debug);
    CPPUNIT_ASSERT(!seen.global.dirSet);
    CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/rkt"), seen.global.dir);
    CPPUNIT_ASSERT_EQUAL(std::string("/usr/lib/rkt"), seen.global.systemConfigDir);
    CPPUNIT_ASSERT_EQUAL(std::string("/etc/rkt"), seen.global.localConfigDir);
    CPPUNIT_ASSERT_EQUAL(std::string(), seen.global.userConfigDir);
    CPPUNIT_ASSERT(seen.global.insecureOptions.none());
    CPPUNIT_ASSERT(!seen.global.trustKeysFromHttps);
  }

  void directoryFlagsAreAbsolute() {
    char cwd[4096];
    CPPUNIT_ASSERT(::getcwd(cwd, sizeof cwd) != nullptr);
    CPPUNIT_ASSERT_EQUAL(7, run({"status", "--user-config=rel/./dir/", "--system-config=a/../b",
                                 "--dir=/nonexistent-rkt-test/x/../y"}));
    CPPUNIT_ASSERT_EQUAL(std::string(cwd) + "/rel/dir", seen.global.userConfigDir);
    CPPUNIT_ASSERT_EQUAL(std::string(cwd) + "/b", seen.global.systemConfigDir);
    CPPUNIT_ASSERT_EQUAL(std::string("/nonexistent-rkt-test/y"), seen.global.dir);
  }

  void badGlobalFlagValues() {
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"--insecure-options=bogus", "status"}));
    CPPUNIT_ASSERT(errHas("status: --insecure-options: unknown insecure option `bogus`"));
    CPPUNIT_ASSERT_EQUAL(0, seen.runs);
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"--insecure-options=bogus"}));
    CPPUNIT_ASSERT(errHas("rkt: --insecure-options: unknown insecure option `bogus`"));
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"status", "--debug=maybe"}));
    CPPUNIT_ASSERT(errHas("invalid argument \"maybe\" for \"--debug\" flag"));
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"status", "--dir="}));
    CPPUNIT_ASSERT(errHas("--dir: directory path is empty"));
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"status", "--dir"}));
    CPPUNIT_ASSERT(errHas("status: flag needs an argument: --dir"));
  }

  void unknownFlags() {
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"--bogus"}));
    CPPUNIT_ASSERT(errHas("rkt: unknown flag: --bogus"));
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"status", "--bogus=1", "x"}));
    CPPUNIT_ASSERT(errHas("status: unknown flag: --bogus"));
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"status", "-x"}));
    CPPUNIT_ASSERT(errHas("status: unknown shorthand flag: 'x' in -x"));
    // A command's flag is not a global one.
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"image", "--no-legend"}));
    CPPUNIT_ASSERT_EQUAL(0, seen.runs);
  }

  void commandFlagsAndDoubleDash() {
    CPPUNIT_ASSERT_EQUAL(7,
                         run({"status", "--name", "n1", "a", "--no-legend", "--", "--name", "-x"}));
    CPPUNIT_ASSERT(seen.format);
    CPPUNIT_ASSERT_EQUAL(std::string("n1"), seen.name);
    const std::vector<std::string> expected = {"a", "--name", "-x"};
    CPPUNIT_ASSERT(expected == seen.args);
    // Command flags may precede the command name, as with cobra.
    CPPUNIT_ASSERT_EQUAL(7, run({"--no-legend", "status"}));
    CPPUNIT_ASSERT(seen.format);
    // A flag's separate value is never taken for a flag or a command.
    CPPUNIT_ASSERT_EQUAL(7, run({"status", "--name", "--odd"}));
    CPPUNIT_ASSERT_EQUAL(std::string("--odd"), seen.name);
    CPPUNIT_ASSERT_EQUAL(7, run({"status", "--wait", "5s"}));
    CPPUNIT_ASSERT_EQUAL(std::string("true"), seen.wait);
    CPPUNIT_ASSERT(std::vector<std::string>{"5s"} == seen.args);
    CPPUNIT_ASSERT_EQUAL(7, run({"status", "--wait=5s"}));
    CPPUNIT_ASSERT_EQUAL(std::string("5s"), seen.wait);
  }

  void emptyInlineValue() {
    CPPUNIT_ASSERT_EQUAL(7, run({"status", "--name=", "pos"}));
    CPPUNIT_ASSERT_EQUAL(std::string(), seen.name);
    CPPUNIT_ASSERT(std::vector<std::string>{"pos"} == seen.args);
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"status", "--no-legend="}));
  }

  void rawArgsCommand() {
    CPPUNIT_ASSERT_EQUAL(7, run({"--debug", "run", "--name=x", "img", "--name", "y", "--bogus",
                                 "--", "a", "---", "img2", "--debug"}));
    CPPUNIT_ASSERT_EQUAL(std::string("x"), seen.name);
    CPPUNIT_ASSERT(seen.global.debug);
    const std::vector<std::string> expected = {"img", "--name", "y",    "--bogus", "--",
                                               "a",   "---",    "img2", "--debug"};
    CPPUNIT_ASSERT(expected == seen.args);
    // "--" right after the flags starts the raw arguments and is kept.
    CPPUNIT_ASSERT_EQUAL(7, run({"run", "--no-legend", "--", "x"}));
    CPPUNIT_ASSERT(seen.format);
    CPPUNIT_ASSERT((std::vector<std::string>{"--", "x"}) == seen.args);
    // Leading flags are still checked.
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"run", "--bogus", "img"}));
    CPPUNIT_ASSERT(errHas("run: unknown flag: --bogus"));
    // --help after the first argument belongs to the command's own grammar.
    CPPUNIT_ASSERT_EQUAL(7, run({"run", "img", "--help"}));
    CPPUNIT_ASSERT((std::vector<std::string>{"img", "--help"}) == seen.args);
  }

  void nestedCommands() {
    CPPUNIT_ASSERT_EQUAL(7, run({"image", "list", "--no-legend", "x"}));
    CPPUNIT_ASSERT_EQUAL(std::string("image list"), seen.path);
    CPPUNIT_ASSERT(seen.format);
    CPPUNIT_ASSERT_EQUAL(7, run({"--debug", "im", "--dir=/d", "r", "a", "b"}));
    CPPUNIT_ASSERT_EQUAL(std::string("image rm"), seen.path);
    CPPUNIT_ASSERT((std::vector<std::string>{"a", "b"}) == seen.args);
    CPPUNIT_ASSERT_EQUAL(std::string("/d"), seen.global.dir);
    // Subcommand names are looked up only at their own level.
    CPPUNIT_ASSERT_EQUAL(7, run({"status", "image"}));
    CPPUNIT_ASSERT_EQUAL(std::string("status"), seen.path);
  }

  void groupWithoutSubcommandPrintsHelp() {
    CPPUNIT_ASSERT_EQUAL(kExitOk, run({"image"}));
    CPPUNIT_ASSERT(outHas("NAME:\n\trkt image - Operate on images\n"));
    CPPUNIT_ASSERT(outHas("USAGE:\n\trkt image [command]\n"));
    CPPUNIT_ASSERT(outHas("COMMANDS:\n\tlist  List images\n\trm    Remove images\n"));
  }

  void helpFlag() {
    CPPUNIT_ASSERT_EQUAL(kExitOk, run({"--help"}));
    CPPUNIT_ASSERT(outHas("VERSION:\n"));
    CPPUNIT_ASSERT_EQUAL(std::string(), err_.str());
    CPPUNIT_ASSERT_EQUAL(kExitOk, run({"status", "-h"}));
    CPPUNIT_ASSERT(outHas("NAME:\n\trkt status - Show status\n"));
    CPPUNIT_ASSERT_EQUAL(0, seen.runs);
    CPPUNIT_ASSERT_EQUAL(kExitOk, run({"--help", "image", "list"}));
    CPPUNIT_ASSERT(outHas("rkt image list - List images"));
    CPPUNIT_ASSERT_EQUAL(kExitOk, run({"run", "--help", "img"}));
    CPPUNIT_ASSERT(outHas("USAGE:\n\trkt run IMAGE [-- args...]\n"));
  }

  void helpLayout() {
    run({"status", "--help"});
    const std::string h = out_.str();
    const char* sections[] = {"NAME:", "USAGE:", "DESCRIPTION:", "OPTIONS:", "GLOBAL OPTIONS:"};
    std::size_t last = 0;
    for (const char* s : sections) {
      const std::size_t at = h.find(std::string(s) + "\n");
      CPPUNIT_ASSERT_MESSAGE(s, at != std::string::npos && at >= last);
      last = at;
    }
    CPPUNIT_ASSERT(h.find("VERSION:") == std::string::npos);  // root only
    CPPUNIT_ASSERT(h.find("COMMANDS:") == std::string::npos);
    CPPUNIT_ASSERT(h.find("\tShows the status.\n\n\tOf a pod.\n") != std::string::npos);
    CPPUNIT_ASSERT(h.find("      --name=default-name   ") != std::string::npos);
    CPPUNIT_ASSERT(h.find("      --no-legend[=false]   ") != std::string::npos);
    CPPUNIT_ASSERT(h.find("  -h, --help[=false]   ") != std::string::npos);
    CPPUNIT_ASSERT(h.find("--secret-flag") == std::string::npos);
    // Global flags are only under GLOBAL OPTIONS, local ones only under OPTIONS.
    const std::size_t globals = h.find("GLOBAL OPTIONS:");
    CPPUNIT_ASSERT(h.find("--dir=/var/lib/rkt") > globals);
    CPPUNIT_ASSERT(h.find("--no-legend") < globals);

    run({"--help"});
    const std::string root = out_.str();
    CPPUNIT_ASSERT(root.find("VERSION:\n\t" RKT_VERSION_STRING "\n") != std::string::npos);
    CPPUNIT_ASSERT(root.find("zzhidden") == std::string::npos);
    CPPUNIT_ASSERT(root.find("GLOBAL OPTIONS:") == std::string::npos);
    CPPUNIT_ASSERT(root.find("      --insecure-options=none   ") != std::string::npos);
    CPPUNIT_ASSERT(root.find("\timage     Operate on images\n") != std::string::npos);
  }

  void commandFailures() {
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"status", "fail"}));
    CPPUNIT_ASSERT_EQUAL(std::string("status: it failed\n"), err_.str());
    // A subcommand's lines carry its own name, as rkt's (`rm:` for `rkt image rm`).
    CPPUNIT_ASSERT_EQUAL(kExitFailure, run({"image", "list", "throw"}));
    CPPUNIT_ASSERT_EQUAL(std::string("list: boom\n"), err_.str());
  }

  void needsRoot() {
    const int rc = run({"rootonly"});
    if (::geteuid() == 0) {
      CPPUNIT_ASSERT_EQUAL(7, rc);
    } else {
      CPPUNIT_ASSERT_EQUAL(kExitFailure, rc);
      CPPUNIT_ASSERT(errHas("rootonly: cannot run as unprivileged user"));
      CPPUNIT_ASSERT_EQUAL(0, seen.runs);
    }
  }

  void resolvePaths() {
    auto p = resolvePath(kTable, {"im", "l"});
    CPPUNIT_ASSERT(p.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), p->size());
    CPPUNIT_ASSERT_EQUAL(&kImageList, (*p)[1]);
    CPPUNIT_ASSERT(!resolvePath(kTable, {"image", "nope"}).ok());
    CPPUNIT_ASSERT(resolvePath(kTable, {}).ok());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DispatcherTest);
