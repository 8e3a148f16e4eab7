// Manual pages come from the command table: a page per visible command, its flags as help shows
// them, roff-safe text; and for the real table, one page per command `rkt help` lists.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <set>

#include "command_table.hpp"
#include "flags.hpp"
#include "lookup.hpp"
#include "man_page.hpp"

using namespace rkt::cli;

namespace {
class ListCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addBoolFlag(app, "--no-legend", noLegend_, "suppress a legend with the list");
    addStringFlag(app, "--format", format_, "choose the output format");
    hide(addBoolFlag(app, "--secret", secret_, "not for users"));
  }
  int run(Invocation&) override { return 0; }

 private:
  bool noLegend_ = false;
  bool secret_ = false;
  std::string format_ = "table";
};

const CommandSpec kImageList =
    CommandSpec("list", "List images in the local store")
        .runs<ListCommand>()
        .withUsage("[--format=json]")
        .withDescription(
            "Lists images.\n\nFor example:\n  rkt image list --format=json\n\n"
            ".dot at the start and a back\\slash.");
const CommandSpec* const kImageCommands[] = {&kImageList};
const CommandSpec kImage =
    CommandSpec("image", "Operate on image(s) in the local store").withSubcommands(kImageCommands);
const CommandSpec kHiddenCmd =
    CommandSpec("hidden-cmd", "secret").runs<ListCommand>().withTraits(kHidden);
const CommandSpec* const kTable[] = {&kImage, &kHiddenCmd};

const ManPage* find(const std::vector<ManPage>& pages, const std::string& name) {
  auto it = std::find_if(pages.begin(), pages.end(),
                         [&name](const ManPage& p) { return p.fileName == name; });
  return it == pages.end() ? nullptr : &*it;
}

bool has(const ManPage* page, const std::string& text) {
  return page != nullptr && page->text.find(text) != std::string::npos;
}

void countVisible(CommandList commands, std::size_t& n) {
  for (const CommandSpec* c : visibleCommands(commands)) {
    ++n;
    countVisible(c->subcommands, n);
  }
}
}  // namespace

class ManPageTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ManPageTest);
  CPPUNIT_TEST(onePagePerVisibleCommand);
  CPPUNIT_TEST(pageShowsSummaryUsageAndFlags);
  CPPUNIT_TEST(textIsRoffSafe);
  CPPUNIT_TEST(rootPageListsCommandsAndGlobalOptions);
  CPPUNIT_TEST(realTableHasAPageForEveryCommand);
  CPPUNIT_TEST_SUITE_END();

 public:
  void onePagePerVisibleCommand() {
    const std::vector<ManPage> pages = manPages(kTable);
    std::set<std::string> names;
    for (const ManPage& p : pages)
      names.insert(p.fileName);
    CPPUNIT_ASSERT((names == std::set<std::string>{"rkt.1", "rkt-image.1", "rkt-image-list.1"}));
  }

  void pageShowsSummaryUsageAndFlags() {
    const std::vector<ManPage> pages = manPages(kTable);
    const ManPage* list = find(pages, "rkt-image-list.1");
    CPPUNIT_ASSERT(has(list, ".TH \"RKT-IMAGE-LIST\" \"1\""));
    CPPUNIT_ASSERT(has(list, ".SH NAME\nrkt\\-image\\-list \\- List images in the local store\n"));
    CPPUNIT_ASSERT(has(list, ".SH SYNOPSIS\n.B rkt image list\n[\\-\\-format=json]\n"));
    // Value flags show their default, bool flags the optional form, as `rkt help` does.
    CPPUNIT_ASSERT(has(list, "\\fB\\-\\-format\\fR=\\fItable\\fR\nchoose the output format\n"));
    CPPUNIT_ASSERT(has(list, "\\fB\\-\\-no\\-legend\\fR[=\\fIfalse\\fR]\n"));
    CPPUNIT_ASSERT(has(list, "\\fB\\-h\\fR, \\fB\\-\\-help\\fR[=\\fIfalse\\fR]"));
    CPPUNIT_ASSERT(!has(list, "secret"));
    CPPUNIT_ASSERT(has(list, ".SH GLOBAL OPTIONS"));
    CPPUNIT_ASSERT(has(list, ".SH SEE ALSO\n.BR rkt\\-image (1)\n"));
    const ManPage* group = find(pages, "rkt-image.1");
    CPPUNIT_ASSERT(has(group, ".SH COMMANDS\n.TP\n.BR rkt\\-image\\-list (1)\nList images"));
    CPPUNIT_ASSERT(has(group, ".B rkt image\n[command]\n"));
  }

  void textIsRoffSafe() {
    const std::vector<ManPage> pages = manPages(kTable);
    const ManPage* list = find(pages, "rkt-image-list.1");
    // An example (indented paragraph) keeps its lines; a leading dot cannot become a request.
    CPPUNIT_ASSERT(has(list, ".PP\n.nf\nFor example:\n  rkt image list \\-\\-format=json\n.fi\n"));
    CPPUNIT_ASSERT(has(list, "\n\\&.dot at the start and a back\\eslash.\n"));
  }

  void rootPageListsCommandsAndGlobalOptions() {
    const std::vector<ManPage> pages = manPages(kTable);
    const ManPage* root = find(pages, "rkt.1");
    CPPUNIT_ASSERT(has(root, ".SH COMMANDS\n.TP\n.BR rkt\\-image (1)\n"));
    CPPUNIT_ASSERT(!has(root, "hidden"));
    CPPUNIT_ASSERT(has(root, "\\fB\\-\\-dir\\fR=\\fI/var/lib/rkt\\fR"));
    CPPUNIT_ASSERT(has(root, ".SH FILES"));
    CPPUNIT_ASSERT(!has(root, ".SH GLOBAL OPTIONS"));
  }

  void realTableHasAPageForEveryCommand() {
    std::size_t visible = 0;
    countVisible(rootCommands(), visible);
    const std::vector<ManPage> pages = manPages(rootCommands());
    CPPUNIT_ASSERT_EQUAL(visible + 1, pages.size());
    CPPUNIT_ASSERT(find(pages, "rkt-run.1") != nullptr);
    CPPUNIT_ASSERT(find(pages, "rkt-image-list.1") != nullptr);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ManPageTest);
