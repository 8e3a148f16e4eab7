#!/usr/bin/env python3
"""CNI conformance: one case (cases/<name>.json) through rkt-cni and through the reference binary.

Both implementations are run the same way, through the CNI exec entry `<dir>/<type>`: ours is a
directory of links to rkt-cni named after the case's types (rkt-cni dispatches on argv[0]), the
reference is /usr/lib/cni. Each implementation runs in a private mount and network namespace of
its own (`unshare -m -n`; the "host" is that scratch namespace, /var/lib/cni and /var/run/netns
are tmpfs there), with fresh container namespaces made by the test, so nothing touches the
machine's network and everything goes with the namespaces, also when a step fails.

A case: {"description", "conf": <network configuration>, "containers": [{"id", "ifname",
"args", "netns"}] (default one: ctr1/eth0), "check": bool (default: cniVersion >= 0.4.0),
"setup": [argv, …] (commands run in the scratch host first)}. Steps: ADD of
every container in order, CHECK of each (with the ADD result as prevResult, as a runtime does),
DEL of each in reverse (with prevResult from 0.4.0). After each phase the harness records the
host's and each container's links, addresses, routes, relevant sysctls, the nftables ruleset
(both iptables-nft rules and native ones, as semantic rules), host-local's files and every
step's output (result or error object, exit status), normalised for what is random (veth names,
MACs, link-local IPv6 addresses derived from MACs, interface indexes, counters, rule comments,
table names). The two records must be equal except for the differences ALLOWLIST names.

Exit status: 0 same, 1 different (the differences are printed), 77 skipped (not root, or an
implementation of a type of the case is missing).
"""
import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE_DIR = "/usr/lib/cni"

# Known, intended differences: (case glob, path glob, reason). A difference whose path matches
# is reported as allowed, never hidden; everything else fails the case.
ALLOWLIST = [
    ("*", "/steps/*/stdout/msg",
     "error messages are each implementation's own words (the reference prints Go structs and "
     "netlink errors its way); the error code and the exit status are compared"),
    # A failed ADD: ours undoes what it did (netavark's model, rkt/abi/net.h), the reference
    # leaves its half-made interface until DEL. After DEL both are clean (compared).
    ("ptp-second-interface", "/phases/[AC]*/ctr/ctr1/*eth1*",
     "ours rolls a failed ADD back; the reference leaves eth1 until DEL"),
    ("ptp-second-interface", "/phases/[AC]*/ctr/ctr1/routes",
     "ours rolls a failed ADD back; the reference leaves eth1's routes until DEL"),
    ("ptp-second-interface", "/phases/[AC]*/host/*VETH1*",
     "ours rolls a failed ADD back; the reference leaves eth1's host end until DEL"),
    ("ptp-second-interface", "/phases/[AC]*/host/routes",
     "ours rolls a failed ADD back; the reference leaves the host route to eth1 until DEL"),
    ("ptp-second-interface", "/steps/CHECK t1 eth1/*",
     "the reference checks the eth1 it left (and fails); ours has none to check (and fails)"),
    ("bridge-l2", "/steps/CHECK ctr1 eth0/*",
     "the reference's CHECK of a layer-2 bridge (empty ipam) fails (`no plugin name "
     "provided`: it delegates to an IPAM type that is not there); ours checks the interfaces "
     "(plugins/net/bridge README)"),
    ("macvlan-mtu-too-big", "/steps/DEL*",
     "the reference validates `mtu` against the master on DEL too, so a network whose ADD "
     "failed can never be deleted; ours DEL succeeds on what is gone (rkt/abi/net.h)"),
    ("macvlan-mtu-too-big", "/phases/DEL/leases/*",
     "ours DEL reaches host-local (which makes its store's lock file), the reference's DEL "
     "fails before IPAM"),
    ("ptp-ranges-ipv6", "/steps/CHECK h[12] eth0/*",
     "the reference's CHECK (1.1.1) fails on an IPv6 route without gw that its own ADD made "
     "(`Expected Route {Dst:{IP:fd00:1:: …} GW:<nil>} not found`: it looks the route up with no "
     "gateway while the route has the family's); ours finds it by destination, and the routes "
     "themselves are the same (compared under phases)"),
    ("*", "*/nft/empty-base-chains",
     "iptables-nft (the reference) creates the nat table's POSTROUTING base chain on first use "
     "and never removes it; ours are tables of their own, removed whole on DEL"),
]


def sh(cmd, inp=None, env=None, check=False):
    p = subprocess.run(cmd, input=inp, env=env, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {p.stderr.strip()}")
    return p


def version_tuple(v):
    try:
        return tuple(int(x) for x in v.split("."))
    except ValueError:
        return (0, 1, 0)


def types_of(conf):
    out = [conf["type"]]
    ipam = conf.get("ipam") or {}
    if ipam.get("type"):
        out.append(ipam["type"])
    return out


# ---------------------------------------------------------------- normalisation

class Names:
    """Random names (host veths) and MACs to stable placeholders, in order of appearance."""

    def __init__(self):
        self.map = {}

    def name(self, n):
        if n is None:
            return None
        if re.fullmatch(r"veth[0-9a-f]{8}", n):
            if n not in self.map:
                self.map[n] = f"VETH{sum(1 for k in self.map if k.startswith('veth'))}"
            return self.map[n]
        return n

    def text(self, s):
        return re.sub(r"veth[0-9a-f]{8}", lambda m: self.name(m.group(0)), s)


def link_local(addr):
    return addr.lower().startswith("fe80:")


def snapshot_links(prefix, names):
    links = json.loads(sh(prefix + ["ip", "-d", "-j", "link", "show"], check=True).stdout or "[]")
    out = {}
    for l in sorted(links, key=lambda l: l["ifindex"]):
        n = names.name(l["ifname"])
        out[n] = {
            "kind": (l.get("linkinfo") or {}).get("info_kind", l.get("link_type")),
            "mtu": l.get("mtu"),
            # Carrier flags follow the kernel's linkwatch, which settles asynchronously after
            # a link comes up: the administrative flags (UP…) are what a plugin sets.
            "flags": sorted(f for f in l.get("flags", []) if f not in ("LOWER_UP", "NO-CARRIER")),
            "master": names.name(l.get("master")),
            "promiscuity": l.get("promiscuity"),
            "txqlen": l.get("txqlen"),
        }
        slave = (l.get("linkinfo") or {}).get("info_slave_data")
        if slave:
            out[n]["port"] = {k: slave.get(k) for k in ("hairpin", "learning", "flood", "state")}
        data = (l.get("linkinfo") or {}).get("info_data") or {}
        for k in ("mode", "protocol", "id", "stp_state", "vlan_filtering"):
            if k in data:
                out[n].setdefault("data", {})[k] = data[k]
    return out


def ifnames(prefix):
    links = json.loads(sh(prefix + ["ip", "-j", "link", "show"], check=True).stdout or "[]")
    return [l["ifname"] for l in links]


def snapshot_addrs(prefix, names):
    addrs = json.loads(sh(prefix + ["ip", "-j", "addr", "show"], check=True).stdout or "[]")
    out = {}
    for l in addrs:
        entries = []
        for a in l.get("addr_info", []):
            if link_local(a.get("local", "")):
                continue  # derived from the (random) MAC
            entries.append(f"{a['family']} {a['local']}/{a['prefixlen']} scope {a.get('scope')}"
                           f" brd {a.get('broadcast', '-')}")
        out[names.name(l["ifname"])] = sorted(entries)
    return out


def snapshot_routes(prefix, names):
    out = []
    for fam in ("-4", "-6"):
        routes = json.loads(sh(prefix + ["ip", fam, "-d", "-j", "route", "show", "table", "all"],
                               check=True).stdout or "[]")
        for r in routes:
            dst = r.get("dst", "")
            if link_local(dst) or dst.startswith("fe80::/"):
                continue
            keep = {k: r.get(k) for k in ("type", "dst", "gateway", "protocol", "scope",
                                          "prefsrc", "table", "metric", "mtu")}
            keep["dev"] = names.name(r.get("dev"))
            out.append(" ".join(f"{k}={v}" for k, v in sorted(keep.items()) if v is not None))
    return sorted(out)


SYSCTLS_ALL = ["net/ipv4/ip_forward", "net/ipv6/conf/all/forwarding"]
SYSCTLS_IF = ["net/ipv4/conf/{}/forwarding", "net/ipv4/conf/{}/arp_notify",
              "net/ipv4/conf/{}/route_localnet", "net/ipv4/conf/{}/proxy_arp",
              "net/ipv6/conf/{}/accept_ra", "net/ipv6/conf/{}/accept_dad",
              "net/ipv6/conf/{}/disable_ipv6", "net/ipv6/conf/{}/forwarding"]


def snapshot_sysctls(prefix, names, ifnames):
    keys = list(SYSCTLS_ALL)
    for i in ifnames:
        if i != "lo":
            keys += [k.format(i) for k in SYSCTLS_IF]
    script = "for k in " + " ".join(keys) + "; do printf '%s=' $k; cat /proc/sys/$k 2>/dev/null || echo; done"
    out = {}
    for line in sh(prefix + ["sh", "-c", script], check=True).stdout.splitlines():
        k, _, v = line.partition("=")
        out[names.text(k.replace("/", "."))] = v.strip()
    return out


def nft_rules(prefix):
    """The ruleset as semantic rules: (chain, statements), counters, comments, tables dropped.
    A base chain is named by its hook; xtables compat targets/matches as their nft meaning."""
    doc = json.loads(sh(prefix + ["nft", "-j", "list", "ruleset"], check=True).stdout or "{}")
    items = doc.get("nftables", [])
    base = {}
    for it in items:
        c = it.get("chain")
        if c and c.get("hook"):
            base[(c["family"], c["table"], c["name"])] = f"<{c['type']} {c['hook']}>"
    rules = []
    used = set()
    for it in items:
        r = it.get("rule")
        if not r:
            continue
        key = (r["family"], r["table"], r["chain"])
        used.add(key)
        stmts = []
        for e in r["expr"]:
            if "counter" in e:
                continue
            if e.get("xt", {}).get("type") == "match" and e["xt"].get("name") == "comment":
                continue
            if e.get("xt", {}).get("type") == "target":
                stmts.append(e["xt"]["name"].lower())  # MASQUERADE -> masquerade
                continue
            if len(e) == 1 and next(iter(e.values())) is None:
                stmts.append(next(iter(e)))  # {"masquerade": null}, {"accept": null}
                continue
            stmts.append(json.dumps(e, sort_keys=True))
        rules.append(f"{base.get(key, r['chain'])}: " + " ; ".join(stmts))
    empty_base = sorted(v for k, v in base.items() if k not in used)
    return sorted(rules), empty_base


def snapshot_leases(root="/var/lib/cni/networks"):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            mode = oct(os.stat(p).st_mode & 0o777)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = f"{mode} {fh.read()!r}"
    return out


def settle(prefixes):
    """Waits (10 s at most) until no IPv6 address is tentative: the kernel adds an address's
    local route when duplicate address detection ends, asynchronously after the plugin."""
    for _ in range(200):
        if not any(sh(p + ["ip", "-6", "addr", "show", "tentative"]).stdout.strip()
                   for p in prefixes):
            return
        time.sleep(0.05)


def snapshot(names, containers):
    host = []
    settle([host] + [["ip", "netns", "exec", n] for n in dict.fromkeys(c["netns"] for c in containers)])
    rec = {"host": {}, "ctr": {}}
    links = snapshot_links(host, names)
    rules, empty = nft_rules(host)
    rec["host"] = {"links": links, "addrs": snapshot_addrs(host, names),
                   "routes": snapshot_routes(host, names),
                   "sysctl": snapshot_sysctls(host, names, ifnames(host)),
                   "nft": {"rules": rules, "empty-base-chains": empty}}
    for netns in dict.fromkeys(c["netns"] for c in containers):
        pre = ["ip", "netns", "exec", netns]
        clinks = snapshot_links(pre, names)
        rec["ctr"][netns] = {"links": clinks, "addrs": snapshot_addrs(pre, names),
                               "routes": snapshot_routes(pre, names),
                               "sysctl": snapshot_sysctls(pre, names, ifnames(pre)),
                               "nft": {"rules": nft_rules(pre)[0]}}
    rec["leases"] = snapshot_leases()
    return rec


def normalise_output(text, names):
    text = text.strip()
    if not text:
        return ""
    try:
        doc = json.loads(text)
    except ValueError:
        return names.text(text)
    def walk(v, key=None):
        if isinstance(v, dict):
            return {k: walk(x, k) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if key == "mac" and isinstance(v, str):
            return "MAC"
        if isinstance(v, str):
            return names.text(v)
        return v
    return walk(doc)


# ---------------------------------------------------------------- one implementation

def run_impl(case, plugin_dir):
    """Runs inside `unshare -m -n`: the case's steps with the plugins of `plugin_dir`."""
    for d in ("/var/lib/cni", "/var/run/netns"):
        os.makedirs(d, exist_ok=True)
        sh(["mount", "-t", "tmpfs", "rkt-conformance", d], check=True)
    sh(["ip", "link", "set", "lo", "up"], check=True)
    for argv in case.get("setup", []):  # e.g. a master link for macvlan, in the scratch host
        sh(argv, check=True)
    conf = case["conf"]
    version = conf.get("cniVersion", "0.1.0")
    containers = case.get("containers") or [{"id": "ctr1", "ifname": "eth0"}]
    made = []
    for i, c in enumerate(containers):
        c.setdefault("netns", f"ctr{i + 1}")
        c.setdefault("args", "")
        if c["netns"] not in made:  # several interfaces of one container share its netns
            made.append(c["netns"])
            sh(["ip", "netns", "add", c["netns"]], check=True)
            sh(["ip", "netns", "exec", c["netns"], "ip", "link", "set", "lo", "up"], check=True)
    names = Names()
    record = {"steps": {}, "phases": {}}
    binary = os.path.join(plugin_dir, conf["type"])
    results = {}

    def step(command, c, prev=None, label=None):
        stdin = dict(conf)
        if prev is not None:
            stdin["prevResult"] = prev
        env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
               "CNI_COMMAND": command, "CNI_CONTAINERID": c["id"],
               "CNI_NETNS": f"/var/run/netns/{c['netns']}", "CNI_IFNAME": c["ifname"],
               "CNI_ARGS": c["args"], "CNI_PATH": plugin_dir,
               "RKT_CNI_STATE_DIR": "/var/lib/cni/rkt-state"}
        p = sh([binary], inp=json.dumps(stdin), env=env)
        record["steps"][f"{label or command} {c['id']} {c['ifname']}"] = {
            "exit": p.returncode, "stdout": normalise_output(p.stdout, names)}
        return p

    for c in containers:
        p = step("ADD", c)
        if p.returncode == 0:
            results[(c["id"], c["ifname"])] = json.loads(p.stdout)
    record["phases"]["ADD"] = snapshot(names, containers)
    if case.get("check", version_tuple(version) >= (0, 4, 0)):
        for c in containers:
            if (c["id"], c["ifname"]) in results:
                step("CHECK", c, results[(c["id"], c["ifname"])])
        record["phases"]["CHECK"] = snapshot(names, containers)
    for c in reversed(containers):
        prev = results.get((c["id"], c["ifname"])) if version_tuple(version) >= (0, 4, 0) else None
        step("DEL", c, prev)
    record["phases"]["DEL"] = snapshot(names, containers)
    # A second DEL must succeed on what is gone.
    for c in reversed(containers):
        step("DEL", c, label="DEL-again")
    for netns in made:
        sh(["ip", "netns", "del", netns])
    return record


# ---------------------------------------------------------------- comparison

def flatten(v, path, out):
    if isinstance(v, dict):
        for k, x in v.items():
            flatten(x, f"{path}/{k}", out)
    elif isinstance(v, list) and all(isinstance(x, str) for x in v) and not path.endswith("flags"):
        out[path] = sorted(v)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            flatten(x, f"{path}[{i}]", out)
    else:
        out[path] = v
    return out


def compare(case_name, ours, ref):
    a = flatten(ours, "", {})
    b = flatten(ref, "", {})
    failures, allowed = [], []
    for k in sorted(set(a) | set(b)):
        if a.get(k, "<absent>") == b.get(k, "<absent>"):
            continue
        line = f"{k}:\n    ours:      {a.get(k, '<absent>')}\n    reference: {b.get(k, '<absent>')}"
        reason = next((r for c, p, r in ALLOWLIST
                       if fnmatch.fnmatch(case_name, c) and fnmatch.fnmatch(k, p)), None)
        (allowed if reason else failures).append(line + (f"\n    allowed: {reason}" if reason else ""))
    return failures, allowed


def run_isolated(case_file, plugin_dir):
    p = subprocess.run(["unshare", "-m", "-n", "--propagation", "private", sys.executable,
                        os.path.abspath(__file__), "--inside", plugin_dir, case_file],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"the run with {plugin_dir} failed: {p.stderr.strip()}")
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rkt-cni")
    ap.add_argument("--plugin-dir", help="rkt's plugin directory (to skip types it lacks)")
    ap.add_argument("--reference", default=REFERENCE_DIR)
    ap.add_argument("--inside", help=argparse.SUPPRESS)
    ap.add_argument("--keep", action="store_true", help="print both records")
    ap.add_argument("--self-check", action="store_true",
                    help="run the reference against itself: a new case must pass this (its "
                         "normalisation covers what is random) before rkt has the type")
    ap.add_argument("case")
    args = ap.parse_args()
    with open(args.case) as f:
        case = json.load(f)
    if args.inside:
        json.dump(run_impl(case, args.inside), sys.stdout)
        return 0
    name = os.path.splitext(os.path.basename(args.case))[0]
    if os.geteuid() != 0:
        print(f"skipping conformance/{name}: needs root (namespaces)")
        return 77
    for tool in ("unshare", "ip", "nft"):
        if shutil.which(tool) is None:
            print(f"skipping conformance/{name}: `{tool}` is not installed")
            return 77
    types = types_of(case["conf"])
    for t in types:
        if not os.access(os.path.join(args.reference, t), os.X_OK):
            print(f"skipping conformance/{name}: no reference `{t}` in {args.reference} "
                  "(Debian containernetworking-plugins)")
            return 77
        if args.plugin_dir and not args.self_check and not any(os.path.exists(os.path.join(args.plugin_dir, f"{k}-{t}.so"))
                                       for k in ("net", "ipam")):
            print(f"skipping conformance/{name}: rkt has no in-process plugin of type `{t}` "
                  f"in {args.plugin_dir}")
            return 77
    ours_dir = tempfile.mkdtemp(prefix="rkt-conformance-")
    try:
        for t in types:
            os.symlink(os.path.abspath(args.rkt_cni), os.path.join(ours_dir, t))
        os.chmod(ours_dir, 0o755)
        ours = run_isolated(args.case, args.reference if args.self_check else ours_dir)
        ref = run_isolated(args.case, args.reference)
    finally:
        shutil.rmtree(ours_dir, ignore_errors=True)
    if args.keep:
        print(json.dumps({"ours": ours, "reference": ref}, indent=1))
    failures, allowed = compare(name, ours, ref)
    print(f"conformance/{name}: {case.get('description', '')}")
    for line in allowed:
        print("ALLOWED " + line)
    for line in failures:
        print("DIFFERENT " + line)
    print(f"{len(failures)} differences, {len(allowed)} allowed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
