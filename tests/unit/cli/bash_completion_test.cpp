#include <cppunit/extensions/HelperMacros.h>

#include "bash_completion.hpp"
#include "flags.hpp"

using namespace rkt::cli;

namespace {
class ListCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addBoolFlag(app, "--no-legend", noLegend_, "");
    completeWords(addStringFlag(app, "--format", format_, ""), "json json-pretty");
    hide(addBoolFlag(app, "--secret", secret_, ""));
  }
  int run(Invocation&) override { return 0; }

 private:
  bool noLegend_ = false;
  bool secret_ = false;
  std::string format_;
};

const CommandSpec kImageList =
    CommandSpec("list", "").runs<ListCommand>().completes(ArgCompletion::kNothing);
const CommandSpec kImageRm =
    CommandSpec("rm", "").runs<ListCommand>().completes(ArgCompletion::kImages);
const CommandSpec* const kImageCommands[] = {&kImageList, &kImageRm};
const CommandSpec kImage = CommandSpec("image", "").withSubcommands(kImageCommands);
const CommandSpec kStatus =
    CommandSpec("status", "").runs<ListCommand>().completes(ArgCompletion::kPods);
const CommandSpec kHiddenCmd =
    CommandSpec("hidden-cmd", "").runs<ListCommand>().withTraits(kHidden);
const CommandSpec* const kTable[] = {&kStatus, &kImage, &kHiddenCmd};
}  // namespace

class BashCompletionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(BashCompletionTest);
  CPPUNIT_TEST(listsCommandsAndSubcommands);
  CPPUNIT_TEST(listsFlagsPerCommand);
  CPPUNIT_TEST(argumentCompletion);
  CPPUNIT_TEST_SUITE_END();

  std::string script_;
  bool has(const std::string& s) const { return script_.find(s) != std::string::npos; }

 public:
  void setUp() override { script_ = bashCompletionScript(kTable); }

  void listsCommandsAndSubcommands() {
    CPPUNIT_ASSERT(has("  '') echo 'image status' ;;"));
    CPPUNIT_ASSERT(has("  'image') echo 'list rm' ;;"));
    CPPUNIT_ASSERT(!has("hidden-cmd"));
    CPPUNIT_ASSERT(has("complete -o default -F _rkt rkt"));
  }

  void listsFlagsPerCommand() {
    CPPUNIT_ASSERT(has("  'image list') echo '--format= --help -h --no-legend' ;;") ||
                   has("  'image list') echo '--help -h --no-legend --format=' ;;"));
    CPPUNIT_ASSERT(has("'image list|--format') echo 'words:json json-pretty' ;;"));
    CPPUNIT_ASSERT(has("  'image list') echo '--format' ;;"));
    CPPUNIT_ASSERT(has("--insecure-options="));
    CPPUNIT_ASSERT(has("*'|--dir') echo 'dir' ;;"));
    CPPUNIT_ASSERT(!has("--secret"));
  }

  void argumentCompletion() {
    CPPUNIT_ASSERT(has("  'status') __rkt_pods \"$2\" ;;"));
    CPPUNIT_ASSERT(has("  'image rm') __rkt_images \"$2\" ;;"));
    CPPUNIT_ASSERT(has("  'image list') compopt +o default 2>/dev/null ;;"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BashCompletionTest);
