#include <rkt/support/archive/path_tree.hpp>

#include <functional>
#include <stdexcept>

namespace rkt::archive {

PathTree::PathTree() : index_(16, Hash{this}, Equal{this}) {
  nodes_.push_back(Node{kNone, 0, 0, 0});
}

std::size_t PathTree::Hash::operator()(Id id) const noexcept {
  const Node& n = tree->nodes_[id];
  std::size_t h = std::hash<std::string_view>()(tree->nameOf(id));
  return h ^ (static_cast<std::size_t>(n.parent) * 0x9e3779b97f4a7c15ull);
}

bool PathTree::Equal::operator()(Id a, Id b) const noexcept {
  return tree->nodes_[a].parent == tree->nodes_[b].parent && tree->nameOf(a) == tree->nameOf(b);
}

PathTree::Id PathTree::provisional(Id parent, std::string_view name) const {
  if (nodes_.size() >= kNone)
    throw std::length_error("too many paths for a PathTree");
  nodes_.push_back(Node{parent, static_cast<std::uint32_t>(name.size()), names_.size(), 0});
  names_.append(name);
  return static_cast<Id>(nodes_.size() - 1);
}

void PathTree::dropProvisional() const {
  names_.resize(nodes_.back().nameOffset);
  nodes_.pop_back();
}

PathTree::Id PathTree::find(Id parent, std::string_view name) const {
  const Id key = provisional(parent, name);
  auto it = index_.find(key);
  dropProvisional();
  return it == index_.end() ? kNone : *it;
}

PathTree::Id PathTree::add(Id parent, std::string_view name, std::uint8_t tag, bool* created) {
  const Id key = provisional(parent, name);
  auto [it, inserted] = index_.insert(key);
  if (!inserted) {
    dropProvisional();
  } else {
    nodes_[key].tag = tag;
  }
  if (created != nullptr)
    *created = inserted;
  return *it;
}

PathTree::Id PathTree::findPath(std::string_view path) const {
  Id node = kRoot;
  forEachComponent(path, [&](std::string_view c, bool) {
    node = find(node, c);
    return node != kNone;
  });
  return node;
}

std::string PathTree::pathOf(Id node) const {
  std::size_t length = 0;
  for (Id n = node; n != kRoot; n = nodes_[n].parent)
    length += nodes_[n].nameLength + 1;
  std::string out(length > 0 ? length - 1 : 0, '/');
  std::size_t end = out.size();
  for (Id n = node; n != kRoot; n = nodes_[n].parent) {
    std::string_view name = nameOf(n);
    end -= name.size();
    out.replace(end, name.size(), name);
    if (end > 0)
      --end;  // the `/` before it
  }
  return out;
}

}  // namespace rkt::archive
