#!/usr/bin/env python3
"""Prints the network state of the calling process's network namespace in a normalised form,
so that the state after our in-process plugin and after the reference binary compare equal:
links (kind, mtu, flags, master, promiscuity, bridge and port settings), addresses, routes,
the sysctls the reference plugins write, and masquerade rules (our nftables tables and
iptables-nft's rules reduced to the same shape). Random names (vethXXXXXXXX) and MACs are
replaced by their order of appearance; link-local IPv6 addresses (derived from MACs) dropped.
Used by the net plugins' side-by-side tests (bridge, macvlan, ipvlan)."""
import json
import re
import subprocess
import sys


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout


class Names:
    """vethXXXXXXXX and MAC addresses, numbered in order of appearance."""

    def __init__(self):
        self.seen = {}

    def name(self, n):
        if re.fullmatch(r"veth[0-9a-f]{8}", n or ""):
            return self.seen.setdefault(n, "veth#%d" % len(self.seen))
        return n

    def mac(self, m):
        return self.seen.setdefault(m, "mac#%d" % len(self.seen)) if m else m


def links(names):
    out = []
    by_index = {}
    data = json.loads(run("ip", "-j", "-d", "link", "show") or "[]")
    for l in data:
        by_index[l["ifindex"]] = l["ifname"]
    for l in sorted(data, key=lambda l: (names.name(l["ifname"]), l["ifindex"])):
        info = l.get("linkinfo", {})
        kind = info.get("info_kind", "")
        desc = {
            "name": names.name(l["ifname"]),
            "kind": kind,
            "mtu": l.get("mtu"),
            # (the carrier follows the ports asynchronously: LOWER_UP, NO-CARRIER, linkdown)
            "flags": sorted(f for f in l.get("flags", []) if f not in ("LOWER_UP", "NO-CARRIER")),
            "master": names.name(l.get("master", "")),
            "promiscuity": l.get("promiscuity"),
            "mac": names.mac(l.get("address")) if l["ifname"] != "lo" else "",
        }
        data_ = info.get("info_data", {})
        if kind == "bridge":
            desc["vlan_filtering"] = data_.get("vlan_filtering")
            desc["stp_state"] = data_.get("stp_state")
        if kind in ("macvlan", "ipvlan"):
            desc["mode"] = data_.get("mode")
            desc["lower"] = names.name(by_index.get(l.get("link_index"), l.get("link", "")))
        if info.get("info_slave_kind") == "bridge":
            s = info.get("info_slave_data", {})
            desc["port"] = {k: s.get(k) for k in ("hairpin", "state", "learning", "flood")}
        out.append(desc)
    return out


def addresses(names):
    out = []
    for l in json.loads(run("ip", "-j", "addr", "show") or "[]"):
        for a in l.get("addr_info", []):
            if a.get("scope") == "link" and a.get("family") == "inet6":
                continue
            out.append("%s %s/%s scope %s%s" % (names.name(l["ifname"]), a["local"],
                                                a["prefixlen"], a.get("scope"),
                                                " brd " + a["broadcast"] if "broadcast" in a else ""))
    return sorted(out)


def routes(names):
    out = []
    for fam in ("-4", "-6"):
        for line in run("ip", fam, "-d", "route", "show", "table", "main").splitlines():
            if " fe80::/64 " in " " + line + " ":
                continue
            line = re.sub(r"veth[0-9a-f]{8}", lambda m: names.name(m.group(0)), line)
            line = line.replace(" linkdown", "")
            out.append(re.sub(r"\s+", " ", line.strip()))
    return sorted(out)


SYSCTLS = ["net/ipv4/ip_forward", "net/ipv6/conf/all/forwarding"]
PER_LINK = ["net/ipv6/conf/%s/accept_ra", "net/ipv4/conf/%s/arp_notify",
            "net/ipv6/conf/%s/accept_dad", "net/ipv6/conf/%s/disable_ipv6",
            "net/ipv6/conf/%s/enhanced_dad", "net/ipv6/conf/%s/ndisc_notify",
            "net/ipv4/conf/%s/proxy_arp", "net/ipv4/conf/%s/route_localnet"]


def sysctls(names):
    out = {}
    keys = list(SYSCTLS)
    for l in json.loads(run("ip", "-j", "link", "show") or "[]"):
        keys += [k % l["ifname"] for k in PER_LINK]
    for k in keys:
        try:
            with open("/proc/sys/" + k) as f:
                v = f.read().strip()
        except OSError:
            continue
        out[re.sub(r"veth[0-9a-f]{8}", lambda m: names.name(m.group(0)), k)] = v
    return out


def masquerade():
    """Rules of the reference ipMasq shape, from `nft list ruleset` (ours: native rules in
    rkt-masq tables; theirs: iptables-nft's nat table, MASQUERADE as an xt target)."""
    out = []
    chain = ""
    for line in run("nft", "list", "ruleset").splitlines():
        line = line.strip()
        m = re.match(r"chain (\S+)", line)
        if m:
            chain = m.group(1) if m.group(1).startswith("CNI-") else "postrouting"
            continue
        m = re.match(r"(ip6?) saddr (\S+) .*jump (CNI-\S+)", line)
        if m:
            out.append("%s: %s saddr %s jump %s" % (chain, m.group(1), m.group(2), m.group(3)))
            continue
        m = re.match(r"(ip6?) daddr (\S+) .*accept", line)
        if m:
            out.append("%s: %s daddr %s accept" % (chain, m.group(1), m.group(2)))
            continue
        # nft cannot print ip6tables-nft's MASQUERADE (an xt target): an empty verdict then.
        m = re.match(r"(ip6?) daddr != (\S+) .*(masquerade|counter packets \d+ bytes \d+$)",
                     line)
        if m:
            out.append("%s: %s daddr != %s masquerade" % (chain, m.group(1), m.group(2)))
    return sorted(set(re.sub(r"/32\b|/128\b", "", o) for o in out))


def main():
    names = Names()
    state = {"links": links(names), "addresses": addresses(names), "routes": routes(names),
             "sysctls": sysctls(names), "masquerade": masquerade()}
    json.dump(state, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
