#include "rkt/discovery/discovery.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <memory>

namespace rkt::discovery {
namespace {

std::string trim(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) {
    return "";
  }
  size_t e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

std::string attribute(xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) {
    return "";
  }
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

// appc's appendMeta: content is "PREFIX URI", split at the first space.
void collect(xmlNode* node, std::vector<MetaTag>& out) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && n->name != nullptr &&
        xmlStrcasecmp(n->name, reinterpret_cast<const xmlChar*>("meta")) == 0) {
      MetaTag tag;
      tag.name = attribute(n, "name");
      std::string content = trim(attribute(n, "content"));
      size_t space = content.find(' ');
      if (space != std::string::npos) {
        tag.prefix = content.substr(0, space);
        tag.uri = trim(std::string_view(content).substr(space + 1));
      }
      if (tag.name.rfind("ac-", 0) == 0 && !tag.prefix.empty() && !tag.uri.empty()) {
        out.push_back(std::move(tag));
      }
    }
    if (n->children != nullptr) {
      collect(n->children, out);
    }
  }
}

bool hasTemplateExpression(std::string_view s) {
  size_t open = s.find('{');
  return open != std::string_view::npos && s.find('}', open + 1) != std::string_view::npos;
}

void replaceAll(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) {
    return;
  }
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

std::string substitute(std::string_view tpl, const App& app) {
  std::string out(tpl);
  replaceAll(out, "{name}", app.name);
  for (const auto& [k, v] : app.labels) {
    if (k != "name") {
      replaceAll(out, "{" + k + "}", v);
    }
  }
  return out;
}

struct PrefixResult {
  Endpoints endpoints;
  std::string error;  // non-empty: the prefix's page could not be used
};

PrefixResult discoverPrefix(const std::string& prefix, const App& app, const PageFetcher& fetch,
                            const Options& opts) {
  PrefixResult result;
  // A bare host is asked for its root page, `/?ac-discovery=1`, as Go's client sends it: some
  // servers answer an empty request path with 400.
  const std::string path = prefix.find('/') == std::string::npos ? prefix + "/" : prefix;
  auto get = [&](const std::string& scheme) -> Result<Page> {
    return fetch(scheme + "://" + path + "?ac-discovery=1");
  };
  Result<Page> page = get("https");
  if ((!page || page->status != 200) && opts.allowHttp) {
    page = get("http");
  }
  if (!page) {
    result.error = page.error().message;
    return result;
  }
  if (page->status != 200) {
    result.error = "expected a 200 OK got " + std::to_string(page->status);
    return result;
  }
  App withVersion = app;
  if (withVersion.labels["version"].empty()) {
    withVersion.labels["version"] = "latest";
  }
  for (const MetaTag& tag : parseMetaTags(page->body)) {
    if (app.name.compare(0, tag.prefix.size(), tag.prefix) != 0) {
      continue;
    }
    if (tag.name == "ac-discovery") {
      auto aci = renderTemplate(tag.uri, withVersion, "aci");
      auto asc = renderTemplate(tag.uri, withVersion, "aci.asc");
      if (aci && asc) {
        result.endpoints.aci.push_back(AciEndpoint{*aci, *asc});
      }
    } else if (tag.name == "ac-discovery-pubkeys") {
      result.endpoints.keys.push_back(tag.uri);
    }
  }
  return result;
}

// Walks the name and its parents, longest first, until `enough` says so.
template <class Enough>
Endpoints walk(const App& app, const PageFetcher& fetch, const Options& opts,
               std::vector<FailedAttempt>* attempts, Enough enough) {
  Endpoints all;
  std::string prefix = app.name;
  while (!prefix.empty()) {
    PrefixResult r = discoverPrefix(prefix, app, fetch, opts);
    if (!r.error.empty()) {
      if (attempts != nullptr) {
        attempts->push_back(FailedAttempt{prefix, r.error});
      }
    } else {
      all.aci.insert(all.aci.end(), r.endpoints.aci.begin(), r.endpoints.aci.end());
      all.keys.insert(all.keys.end(), r.endpoints.keys.begin(), r.endpoints.keys.end());
      if (enough(all)) {
        break;
      }
    }
    size_t slash = prefix.rfind('/');
    prefix = slash == std::string::npos ? "" : prefix.substr(0, slash);
  }
  return all;
}

}  // namespace

std::vector<MetaTag> parseMetaTags(std::string_view html) {
  std::vector<MetaTag> tags;
  if (html.empty()) {
    return tags;
  }
  // NONET: never load anything the page refers to; RECOVER: real-world pages are rarely valid.
  htmlDocPtr doc = htmlReadMemory(
      html.data(), static_cast<int>(std::min<size_t>(html.size(), 64u << 20)), nullptr, "UTF-8",
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (doc == nullptr) {
    return tags;
  }
  std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> owned(doc, xmlFreeDoc);
  collect(xmlDocGetRootElement(doc), tags);
  return tags;
}

std::optional<std::string> renderTemplate(std::string_view tpl, const App& app,
                                          std::string_view ext) {
  std::string out = substitute(tpl, app);
  replaceAll(out, "{ext}", ext);
  if (hasTemplateExpression(out)) {
    return std::nullopt;
  }
  return out;
}

Result<Endpoints> discoverEndpoints(const App& app, const PageFetcher& fetch, const Options& opts,
                                    std::vector<FailedAttempt>* attempts) {
  Endpoints eps =
      walk(app, fetch, opts, attempts, [](const Endpoints& e) { return !e.aci.empty(); });
  if (eps.aci.empty()) {
    return Error{"no endpoints discovered"};
  }
  return eps;
}

Result<std::vector<std::string>> discoverPublicKeys(const App& app, const PageFetcher& fetch,
                                                    const Options& opts,
                                                    std::vector<FailedAttempt>* attempts) {
  Endpoints eps =
      walk(app, fetch, opts, attempts, [](const Endpoints& e) { return !e.keys.empty(); });
  return eps.keys;
}

}  // namespace rkt::discovery
