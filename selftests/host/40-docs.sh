#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The documentation cannot silently fall behind the code: the man pages
# render without a warning and name every object, command, keyword and
# option jumpctl's help names, every option of jumpd -h and every key of the
# config parser's table; Documentation/index.rst lists every document; and
# every test Documentation/threat-model.rst cites exists.
. "$(dirname "$0")/lib-doc.sh"

command -v groff >/dev/null || skip_all "groff is not installed (tools/deps.sh)"
if [ ! -x "$JUMPCTL" ] || [ ! -x "$JUMPD" ]; then
	skip_all "jumpctl or jumpd not built (make tools)"
fi
MAN=$TOP/Documentation/man
T_DIR=$(mktemp -d /tmp/jumpdocs.XXXXXX)
trap 'rm -rf "$T_DIR"' EXIT
CTL8=$MAN/jumpctl.8
D8=$MAN/jumpd.8
CONF5=$MAN/jump.conf.5

# The page's text as a reader sees it, without fonts or hyphenation.
render() {
	groff -man -Tutf8 -P-cbou -rHY=0 "$1" 2>/dev/null
}

# roff source with the fonts, quotes and escaped dashes taken out.
plain() {
	sed 's/\\f[BIRP]//g; s/\\-/-/g; s/\\(bu//g; s/"//g; s/\\&//g' "$@"
}

# Lines of section .SS TITLE (up to the next .SS or .SH), in plain words.
subsection() {
	awk -v t="$1" '
	/^\.S[SH] / { on = (index($0, ".SS " t " \\-") == 1) ; next }
	on' "$CTL8" | plain
}

# The tags of its items: the line after each .TP.
subsection_tags() {
	subsection "$1" | awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }'
}

# Every page renders, without a warning.
for page in "$MAN"/*.[1-8]; do
	warnings=$(groff -man -ww -z "$page" 2>&1)
	rc=$?
	[ $rc -eq 0 ] && [ -z "$warnings" ]
	ok $? "$(basename "$page") renders without a warning (groff -man -ww)" "$warnings"
	[ "$(render "$page" | wc -l)" -gt 50 ]
	ok $? "  and renders to text"
done

# Sections each page has.
sections() {
	local page=$1 missing="" s
	shift
	for s in "$@"; do
		render "$page" | grep -qx "$s" || missing="$missing [$s]"
	done
	[ -z "$missing" ]
	ok $? "$(basename "$page") has the sections: $*" "missing:$missing"
}
sections "$CTL8" NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS "EXIT STATUS" FILES EXAMPLES "SEE ALSO"
sections "$D8" NAME SYNOPSIS DESCRIPTION OPTIONS SIGNALS SYSTEMD "EXIT STATUS" FILES EXAMPLES "SEE ALSO"
sections "$CONF5" NAME SYNOPSIS DESCRIPTION FILES EXAMPLES "SEE ALSO"

# jumpctl.8 and jumpctl help: the objects, commands and their keywords.
# shellcheck source=../../tools/completion/jumpctl
. "$TOP/tools/completion/jumpctl"
HELP=$("$JUMPCTL" help)
OBJECTS=$(sed -n 's/^OBJECT := { \(.*\) }$/\1/p' <<<"$HELP" | tr -d '|')
[ "$(wc -w <<<"$OBJECTS")" -ge 6 ]
ok $? "jumpctl help names its objects ($OBJECTS)"
missing=""
for o in $OBJECTS; do
	grep -q "^\.SS jumpctl $o \\\\-" "$CTL8" || missing="$missing $o"
done
[ -z "$missing" ]
ok $? "jumpctl.8 has a subsection for every object" "missing:$missing"

npaths=0
for o in $OBJECTS; do
	[ "$o" = help ] && continue
	grammar=$("$JUMPCTL" "$o" help | _jumpctl_grammar)
	while IFS= read -r path; do
		full="$o${path:+ $path}"
		npaths=$((npaths + 1))
		if [ "${path##* }" = help ]; then
			plain "$CTL8" | grep -qF "jumpctl $full"
			ok $? "jumpctl.8 names \"jumpctl $full\""
			continue
		fi
		text=$(subsection "jumpctl $full")
		[ -n "$text" ]
		ok $? "jumpctl.8 has a subsection for \"jumpctl $full\""
		keywords=$(awk -F'|' -v p="$path" '$1 == p && $2 == "K" && !seen[$3]++ { print $3 }' <<<"$grammar")
		[ -n "$keywords" ] || continue
		tags=$(subsection_tags "jumpctl $full")
		missing=""
		for k in $keywords; do
			grep -qw -- "$k" <<<"$tags" || missing="$missing $k"
		done
		[ -n "$text" ] && [ -z "$missing" ]
		ok $? "  with an item for each keyword: $(oneline "$keywords")" \
			"missing:$missing"
	done < <(awk -F'|' '$2 == "C" && !seen[$1]++ { print $1 }' <<<"$grammar")
done
[ "$npaths" -ge 15 ]
ok $? "the usage of jumpctl help gave $npaths commands to look for"

OPTIONS=$(sed -n '/^OPTIONS := {/,/}/p' <<<"$HELP" | grep -o -- '-[A-Za-z]\[[a-z]*\]' | tr -d '[]')
text=$(render "$CTL8" | sed -n '/^OPTIONS$/,/^COMMANDS$/p')
missing=""
for o in $OPTIONS; do
	grep -qw -- "$o" <<<"$text" || missing="$missing $o"
	grep -qw -- "${o:0:2}" <<<"$text" || missing="$missing ${o:0:2}"
done
[ "$(wc -w <<<"$OPTIONS")" -ge 8 ] && [ -z "$missing" ]
ok $? "jumpctl.8 OPTIONS names every option of jumpctl help, long and short" \
	"options: $OPTIONS" "missing:$missing"
NAMES=$(sed -n 's/^NAMES := { \(.*\) }$/\1/p' <<<"$HELP" | tr -d '|')
text=$(subsection "jumpctl help")
missing=""
for n in $NAMES; do
	grep -qw -- "$n" <<<"$text" || missing="$missing $n"
done
[ -n "$NAMES" ] && [ -z "$missing" ]
ok $? "jumpctl.8 names every NAMES list of jumpctl help ($NAMES)" "missing:$missing"

# jumpd.8 and jumpd -h.
USAGE=$("$JUMPD" -h)
OPTS=$(grep -oE -- '(^|[ ,])-(-[a-z]+|[a-zA-Z])' <<<"$USAGE" | tr -d ' ,' | sort -u)
text=$(render "$D8" | sed -n '/^OPTIONS$/,/^SIGNALS$/p')
missing=""
for o in $OPTS; do
	grep -q -- "$o\b" <<<"$text" || missing="$missing $o"
done
[ "$(wc -w <<<"$OPTS")" -ge 12 ] && [ -z "$missing" ]
ok $? "jumpd.8 OPTIONS names every option of jumpd -h, long and short" \
	"options: $(oneline "$OPTS")" "missing:$missing"
for s in SIGHUP SIGTERM SIGINT; do
	grep -q "$s" <<<"$USAGE" || continue
	render "$D8" | sed -n '/^SIGNALS$/,/^SYSTEMD$/p' | grep -qw "$s"
	ok $? "jumpd.8 SIGNALS says what $s does, as jumpd -h names it"
done

# jump.conf.5 and the parser's table of keys (daemon/config.c).
KEYS=$(sed -n '/^static const struct key_def keys\[K_COUNT\] = {/,/^};/p' "$TOP/daemon/config.c" |
	grep -oE '^\s*\[K_[A-Z_]+\] = (DUR\(|CNT\(|\{ )"[A-Za-z]+"' | grep -oE '"[A-Za-z]+"' | tr -d '"')
nkeys=$(grep -c '^\s*\[K_[A-Z_]*\] =' "$TOP/daemon/config.c")
[ "$(wc -w <<<"$KEYS")" -eq "$nkeys" ] && [ "$nkeys" -ge 25 ]
ok $? "daemon/config.c's key table gives $nkeys keys" "parsed: $(oneline "$KEYS")"
missing=""
for k in $KEYS; do
	grep -qE "^\.B[IR]? \"?$k( |\"|$)" "$CONF5" || missing="$missing $k"
done
[ -z "$missing" ]
ok $? "jump.conf.5 documents every key of the parser's table" "missing:$missing"
# The defaults of jump.conf.5 are the parser's: "jumpctl policy show" of a
# config without [Policy] prints every one (a skip where jumpctl has no
# policy object yet).
to_ms() {
	case $1 in
	yes) echo 1 ;;		# a switch: JSON has 1 or 0
	no) echo 0 ;;
	*ms) echo "${1%ms}" ;;
	*s) echo $((${1%s} * 1000)) ;;
	*m) echo $((${1%m} * 60000)) ;;
	*h) echo $((${1%h} * 3600000)) ;;
	*) echo "$1" ;;
	esac
}
if "$JUMPCTL" policy help 2>/dev/null | grep -q 'jumpctl policy show'; then
	"$JUMPCTL" key genkey > "$T_DIR/jump0.key" && chmod 600 "$T_DIR/jump0.key"
	printf '[Interface]\nRole = server\nPrivateKeyFile = jump0.key\nListenPort = 51820\n' \
		> "$T_DIR/jump0.conf"
	defaults=$("$JUMPCTL" -j policy show dev jump0 config "$T_DIR/jump0.conf")
	ok $? "jumpctl -j policy show prints the defaults of a config without [Policy]" "$defaults"
	bad=""
	n=0
	for k in $(jq -r 'keys_unsorted[] | select(. != "defaults")' <<<"$defaults"); do
		n=$((n + 1))
		want=$(jq -r ".$k" <<<"$defaults")
		# The key's item: from its .BI "Key = " to the next macro of a new item.
		got=$(awk -v k="$k" '
			index($0, ".BI \"" k " = \"") == 1 { on = 1; next }
			on && /^\.(TP|PP|SH|SS)/ { exit }
			on' "$CONF5" | plain | sed 's/^\.[A-Z]* //' | tr '\n' ' ' |
			grep -oE 'Default ([0-9]+[a-z]*|yes|no)' | head -n 1 | cut -d' ' -f2)
		[ -n "$got" ] && [ "$(to_ms "$got")" = "$want" ] || bad="$bad $k=$got (want $want)"
	done
	[ "$n" -ge 19 ] && [ -z "$bad" ]
	ok $? "jump.conf.5 gives each of the $n [Policy] defaults jumpctl policy show prints" "wrong:$bad"
else
	echo "ok $((T_NUM += 1)) # skip jumpctl has no policy show yet: defaults not compared"
fi
for s in Interface Policy Peer; do
	render "$CONF5" | grep -qx "\[$s\] SECTION"
	ok $? "jump.conf.5 has a section [$s]"
done

# Documentation/index.rst lists every document.
missing=""
for f in "$TOP"/Documentation/*.rst "$MAN"/*.[1-8]; do
	name=${f#"$TOP"/Documentation/}
	[ "$name" = index.rst ] && continue
	grep -qF "\`\`$name\`\`" "$TOP/Documentation/index.rst" || missing="$missing $name"
done
[ -z "$missing" ]
ok $? "Documentation/index.rst lists every document" "missing:$missing"

# Every test the threat model cites exists, as cited.
CITES=$(awk '
	/^- ``selftests\// { if (c != "") print c; c = $0; next }
	c != "" && /^  / { sub(/^ +/, " "); c = c $0; next }
	{ if (c != "") print c; c = "" }
	END { if (c != "") print c }' "$TOP/Documentation/threat-model.rst")
ncites=0
bad=""
# shellcheck disable=SC2016 # the backquotes are rst's, not the shell's
while IFS= read -r line; do
	file=$(sed -n 's/^- ``\(selftests\/[^`]*\)``: ".*"$/\1/p' <<<"$line")
	desc=$(sed -n 's/^- ``selftests\/[^`]*``: "\(.*\)"$/\1/p' <<<"$line")
	if [ -z "$file" ] || [ -z "$desc" ]; then
		bad="$bad|unreadable: $line"
		continue
	fi
	ncites=$((ncites + 1))
	case $file in
	selftests/vm/*.sh | selftests/host/*.sh)
		grep -qF -- "\"$desc\"" "$TOP/$file" || bad="$bad|$file: $desc" ;;
	selftests/unit/*.c)
		# Each unit test's descriptions, as it prints them: run it once.
		out=$T_DIR/$(basename "$file" .c)
		bin=build/unit/$(basename "$file" .c)
		[ -x "$TOP/$bin" ] || make -s -C "$TOP" "$bin" >/dev/null 2>&1
		[ -e "$out" ] || "$TOP/$bin" 2>/dev/null |
			sed -E 's/^(not )?ok [0-9]+ - //' > "$out"
		grep -qxF -- "$desc" "$out" || bad="$bad|$file: $desc" ;;
	*)
		bad="$bad|$file: not a test file" ;;
	esac
done <<<"$CITES"
[ "$ncites" -ge 40 ] && [ -z "$bad" ]
ok $? "threat-model.rst: each of its $ncites cited tests exists with that description" \
	"$(tr '|' '\n' <<<"${bad#|}")"

done_testing
