// The set of paths an archive has named so far, as a tree of path components: each node is
// (parent node, one component) and carries a small tag for its user. A path costs only its
// last component when its parent is already known, so memory grows with the components an
// archive introduces (at most its total name bytes), never with the square of a path's depth
// as a set of full prefix strings does (issue 9: one 40,000-level name made 1.6 GB of
// prefixes). Lookups walk one component at a time: time linear in the name's length.
//
// Used by the image rules (what one image may contain) and by the cas renderer ("upper wins":
// what the images above already provided). Free of libarchive (rkt_support_archive_file).
#ifndef RKT_SUPPORT_ARCHIVE_PATH_TREE_HPP
#define RKT_SUPPORT_ARCHIVE_PATH_TREE_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace rkt::archive {

class PathTree {
 public:
  using Id = std::uint32_t;
  /// The root: the archive's top (the empty path).
  static constexpr Id kRoot = 0;
  /// "No such node".
  static constexpr Id kNone = 0xffffffffu;

  PathTree();
  PathTree(const PathTree&) = delete;
  PathTree& operator=(const PathTree&) = delete;

  /// The child `name` of `parent`, or kNone.
  Id find(Id parent, std::string_view name) const;
  /// The child `name` of `parent`, created with `tag` when missing; `created` tells which.
  Id add(Id parent, std::string_view name, std::uint8_t tag, bool* created = nullptr);

  /// The node for a cleaned `/`-separated path ("a/b/c"; "" is the root), or kNone.
  Id findPath(std::string_view path) const;

  std::uint8_t tag(Id node) const { return nodes_[node].tag; }
  void setTag(Id node, std::uint8_t tag) { nodes_[node].tag = tag; }
  Id parent(Id node) const { return nodes_[node].parent; }
  /// The path of `node` from the root, components joined with `/` (for messages).
  std::string pathOf(Id node) const;
  /// Nodes below the root.
  std::size_t size() const { return nodes_.size() - 1; }

 private:
  struct Node {
    Id parent;
    std::uint32_t nameLength;
    std::uint64_t nameOffset;  // into names_
    std::uint8_t tag;
  };
  // Hashes and compares nodes by (parent, name). A lookup appends the key as a provisional
  // node (the last one) and searches for its id: std::unordered_set has no heterogeneous
  // lookup before C++20.
  struct Hash {
    const PathTree* tree;
    std::size_t operator()(Id id) const noexcept;  // noexcept: the set stores no hash codes
  };
  struct Equal {
    const PathTree* tree;
    bool operator()(Id a, Id b) const noexcept;
  };

  std::string_view nameOf(Id node) const {
    return std::string_view(names_).substr(nodes_[node].nameOffset, nodes_[node].nameLength);
  }
  /// Appends the provisional node (parent, name) and returns its id.
  Id provisional(Id parent, std::string_view name) const;
  void dropProvisional() const;

  // Mutable: find() appends and removes the provisional node (so a PathTree is not safe for
  // concurrent use, even read-only).
  mutable std::vector<Node> nodes_;
  mutable std::string names_;
  std::unordered_set<Id, Hash, Equal> index_;
};

/// Calls `f(component, isLast)` for each component of a cleaned `/`-separated path, stopping
/// early when f returns false; returns false when it did.
template <class F>
bool forEachComponent(std::string_view path, F&& f) {
  std::size_t pos = 0;
  while (pos < path.size()) {
    std::size_t slash = path.find('/', pos);
    const bool last = slash == std::string_view::npos;
    if (last)
      slash = path.size();
    if (slash > pos && !f(path.substr(pos, slash - pos), last))
      return false;
    pos = slash + 1;
  }
  return true;
}

}  // namespace rkt::archive

#endif  // RKT_SUPPORT_ARCHIVE_PATH_TREE_HPP
