#!/bin/bash
# The command-line framework: dispatch, prefix matching, global flags, help, exit codes
# (rkt-notes §1.1-1.3, §1.21, §1.22, §1.27). Needs no root and touches nothing outside $T.
. "$(dirname "$0")/lib.sh"

# No command: "missing command", then the help; exit 2.
run_rkt
assert_rc 2 "rkt without a command"
assert_contains "$ERR" "missing command" "rkt without a command"
assert_contains "$OUT" "USAGE:" "rkt without a command prints the help"
assert_contains "$OUT" "COMMANDS:" "rkt without a command lists commands"

# Unknown flags are parse errors: 254.
run_rkt --bogus
assert_rc 254 "unknown global flag"
assert_contains "$ERR" "unknown flag: --bogus" "unknown global flag"
run_rkt version --bogus
assert_rc 254 "unknown command flag"
assert_contains "$ERR" "version: unknown flag: --bogus" "unknown command flag names the command"

# Version, by full name and by prefix; machine output on stdout only.
run_rkt version
assert_rc 0 "rkt version"
full_version=$OUT
assert_contains "$OUT" "rkt Version: 1.30.0+cpp" "rkt version"
assert_contains "$OUT" "appc Version: 0.8.11" "rkt version"
assert_contains "$OUT" "OS/Arch: linux/" "rkt version"
assert_contains "$OUT" "Features: " "rkt version"
assert_eq "$ERR" "" "rkt version writes nothing on stderr"
run_rkt ver
assert_rc 0 "rkt ver"
assert_eq "$OUT" "$full_version" "rkt ver is rkt version"
run_rkt --debug v
assert_rc 0 "rkt --debug v"
assert_eq "$OUT" "$full_version" "global flag before an abbreviated command"

# Unknown and ambiguous commands.
run_rkt verzion
assert_rc 254 "misspelt command"
assert_contains "$ERR" 'unknown command `verzion`' "misspelt command"
assert_contains "$ERR" "Did you mean this?" "misspelt command gets a suggestion"
assert_contains "$ERR" "version" "misspelt command suggests version"
run_rkt qqqqqqqq
assert_rc 254 "unknown command"
assert_not_contains "$ERR" "Did you mean" "no suggestion for a far-off name"
run_rkt h
assert_rc 0 "a unique prefix: h = help"
# An ambiguous prefix needs two commands sharing it; find one in the real table.
names=$("$RKT" help | sed -n '/^COMMANDS:/,/^$/p' | awk 'NF {print $1}' | tail -n +2)
amb=""
for a in $names; do
  for b in $names; do
    [ "$a" != "$b" ] && [ "${a:0:1}" = "${b:0:1}" ] && amb=${a:0:1} && break 2
  done
done
if [ -n "$amb" ]; then
  run_rkt "$amb"
  assert_rc 254 "ambiguous prefix '$amb'"
  assert_contains "$ERR" "ambiguous command \`$amb\`" "ambiguous prefix lists candidates"
fi

# Help: rkt help, rkt --help, rkt <cmd> --help, rkt help <cmd>.
run_rkt help
assert_rc 0 "rkt help"
for section in NAME: USAGE: VERSION: COMMANDS: DESCRIPTION: OPTIONS:; do
  assert_contains "$OUT" "$section" "rkt help has $section"
done
root_help=$OUT
run_rkt --help
assert_rc 0 "rkt --help"
assert_eq "$OUT" "$root_help" "rkt --help is rkt help"
run_rkt version --help
assert_rc 0 "rkt version --help"
assert_contains "$OUT" "rkt version - " "rkt version --help names the command"
assert_contains "$OUT" "GLOBAL OPTIONS:" "rkt version --help lists the global options"
assert_contains "$OUT" "--insecure-options=none" "rkt version --help shows defaults"
assert_not_contains "$OUT" "VERSION:" "VERSION is for the root only"
assert_not_contains "$OUT" "rkt Version:" "--help does not run the command"
version_help=$OUT
run_rkt help version
assert_rc 0 "rkt help version"
assert_eq "$OUT" "$version_help" "rkt help version is rkt version --help"
run_rkt help nosuchcommand
assert_contains "$ERR" 'unknown help topic `nosuchcommand`' "rkt help with an unknown topic"

# --insecure-options: every word of rkt, unknown words refused.
for opt in none image tls ondisk http pubkey capabilities paths seccomp all-fetch all-run all \
  image,tls,http; do
  run_rkt --insecure-options="$opt" version
  assert_rc 0 "--insecure-options=$opt"
done
run_rkt version --insecure-options all
assert_rc 0 "--insecure-options after the command, separate value"
run_rkt --insecure-options=bogus version
assert_rc 254 "--insecure-options=bogus"
assert_contains "$ERR" 'unknown insecure option `bogus`' "--insecure-options=bogus names the word"
assert_contains "$ERR" "all-fetch" "--insecure-options=bogus lists the allowed words"
assert_eq "$OUT" "" "--insecure-options=bogus does not run the command"
run_rkt --insecure-options=image,bogus version
assert_rc 254 "--insecure-options=image,bogus"

# Other global flags.
run_rkt --dir="$T/data" --system-config="$T/sys" --local-config=rel --user-config="$T" \
  --trust-keys-from-https --debug=true version
assert_rc 0 "all global flags"
run_rkt --debug=maybe version
assert_rc 254 "--debug=maybe"
run_rkt --dir= version
assert_rc 254 "--dir with an empty value"
run_rkt --dir
assert_rc 254 "--dir without a value"
assert_contains "$ERR" "flag needs an argument: --dir" "--dir without a value"

# Shell completion: bash only; the script is valid bash and completes from the command table.
run_rkt completion bash
assert_rc 0 "rkt completion bash"
printf '%s\n' "$OUT" >"$T/rkt.bash"
bash -n "$T/rkt.bash" || fail "rkt completion bash: not valid bash"
assert_contains "$OUT" "complete -o default -F _rkt rkt" "completion registers _rkt"
# complete LINE: what _rkt offers with the cursor at the end of LINE, as "[a][b]...".
complete_line() {
  bash -c 'source "$1"; COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}; _rkt; printf "[%s]" "${COMPREPLY[@]}"' \
    _ "$T/rkt.bash" "$1" 2>/dev/null
}
assert_eq "$(complete_line 'rkt ver')" "[version]" "completes a command name"
assert_eq "$(complete_line 'rkt --dir /tmp --debug ver')" "[version]" "completes after global flags"
assert_contains "$(complete_line 'rkt version --')" "[--insecure-options=]" "completes global flags"
assert_contains "$(complete_line 'rkt version --')" "[--help]" "completes command flags"
assert_eq "$(complete_line 'rkt --insecure-options=image,se')" "[image,seccomp]" \
  "completes --insecure-options words in a list"
assert_eq "$(complete_line 'rkt completion ')" "[bash]" "completes the shell name"
mkdir -p "$T/compdir/sub"
assert_eq "$(complete_line "rkt --dir $T/compdir/s")" "[$T/compdir/sub]" "completes directories"
run_rkt completion zsh
assert_rc 254 "rkt completion zsh"
assert_contains "$ERR" "'zsh' shell is not supported" "rkt completion zsh"
assert_eq "$OUT" "" "rkt completion zsh prints no script"
run_rkt completion
assert_rc 254 "rkt completion without a shell"
