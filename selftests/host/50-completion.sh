#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The bash completion (tools/completion/jumpctl) offers what jumpctl takes:
# objects, commands, keywords, and the values of lib/jump_names.c. It runs
# the real build/jumpctl for help and names, through a stub that makes up
# the devices and sessions (no jump.ko on the host), and the stub can also
# show the usage of the commands issue 5 adds, which the completion must
# follow without a change of its own.
. "$(dirname "$0")/lib-doc.sh"

[ -x "$JUMPCTL" ] || skip_all "$JUMPCTL not built (make tools)"
COMPLETION=$TOP/tools/completion/jumpctl
T_DIR=$(mktemp -d /tmp/jumpcomp.XXXXXX)
trap 'rm -rf "$T_DIR"' EXIT

PEER1=AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0=
PEER2=3ia3B3LvifAvtTeSVubaE9KI8FhLECycjrX41AvpNGs=
STUB=$T_DIR/jumpctl
cat > "$STUB" <<EOF
#!/bin/bash
# jumpctl for the completion test: the real one, but for made-up devices
# and sessions, and with STUB_NEW set the usage of issue 5's commands.
real=$JUMPCTL
case "\$*" in
"link show")
	printf '4: jump0: sessions 2 max 1048576 event_seq 9\n'
	printf '    states birth 0 attached 2 volatile 0 degraded 0 recovering 0 terminated 0\n'
	printf '7: jump1: sessions 0 max 1048576 event_seq 0\n'
	printf '    states birth 0 attached 0 volatile 0 degraded 0 recovering 0 terminated 0\n' ;;
"-j session show dev jump0")
	printf '[{"ifname":"jump0","ifindex":4,"id":"00000000deadbeef","role":"server",'
	printf '"peer":"$PEER1","state":"attached","version":2,"reason":"handshake_complete",'
	printf '"keys":[{"slot":"primary","id":1}]},'
	printf '{"ifname":"jump0","ifindex":4,"id":"0123456789abcdef","role":"server",'
	printf '"peer":"$PEER2","state":"birth","version":1,"reason":"session_created"}]\n' ;;
"-j session show dev "*)
	echo '[]' ;;
"help")
	if [ -n "\${STUB_NEW:-}" ]; then
		"\$real" help | sed '/| policy |/!s/| session |/| session | policy |/'
	else
		exec "\$real" help
	fi ;;
"session help")
	# Once jumpctl has issue 5's commands, its own help is the test.
	if [ -n "\${STUB_NEW:-}" ] && ! "\$real" session help | grep -q 'session terminate'; then
		"\$real" session help | sed \\
		-e 's/session show dev NAME \[ id ID \]/session show [ dev NAME ] [ id ID ] [ state STATE ] [ peer PUBKEY ]/' \\
		-e '/session del dev/a\\       jumpctl session terminate dev NAME id ID [ reason REASON ]' \\
		-e '/session del dev/a\\       jumpctl session reattach dev NAME id ID'
	else
		exec "\$real" session help
	fi ;;
"policy help")
	"\$real" policy help 2>/dev/null && exit 0
	printf 'Usage: jumpctl policy show dev NAME [ config FILE ]\n'
	printf '       jumpctl policy help\n'
	printf 'prints the [Policy] jumpd loads for NAME.\n' ;;
*)
	exec "\$real" "\$@" ;;
esac
EOF
chmod +x "$STUB"

# shellcheck source=../../tools/completion/jumpctl
. "$COMPLETION"

# comp WORD...: what the completion offers for the last word (may be "").
comp() {
	COMP_WORDS=("$STUB" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_jumpctl
	set_of "${COMPREPLY[@]}"
}

# The names of an enum as lib/jump_names.c spells them: the source itself.
names_of() {
	sed -n "/^static const char \*const $1\[/,/^};/p" "$TOP/lib/jump_names.c" |
		grep -o '"[a-z_]*"' | tr -d '"' | tr '\n' ' '
}
STATES=$(set_of "$(names_of state_names)")
REASONS=$(set_of "$(names_of reason_names)")
REJECTS=$(set_of "$(names_of reject_names)")
ROLES=$(set_of "$(names_of role_names)")
SLOTS=$(set_of "$(names_of key_slot_names)")
EVENTS=$(set_of "$(sed -n '/^static const char \*const event_names\[/,/^};/p' \
	"$TOP/lib/jump_audit.c" | grep -o '"[a-z_]*"' | tr -d '"')")

ok $? "lib/jump_names.c and lib/jump_audit.c give the expected lists" \
	"states: $STATES" "events: $EVENTS"
[ "$(wc -w <<<"$STATES")" -eq 6 ] && [ "$(wc -w <<<"$REASONS")" -gt 15 ] &&
	[ "$(wc -w <<<"$EVENTS")" -eq 10 ]
ok $? "the source lists parse: 6 states, $(wc -w <<<"$REASONS") reasons, 10 events"

complete -p jumpctl 2>/dev/null | grep -q -- '-F _jumpctl jumpctl$'
ok $? "the file registers complete -F _jumpctl jumpctl"

# Objects and options: what "jumpctl help" lists.
HELP=$("$JUMPCTL" help)
OBJECTS=$(set_of "$(sed -n 's/^OBJECT := { \(.*\) }$/\1/p' <<<"$HELP" | tr -d '|')")
is "$(comp "")" "$OBJECTS" "jumpctl <TAB>: every object of jumpctl help"
# contains WORDS LIST DESCRIPTION: every one of WORDS is in LIST.
contains() {
	local w missing=""
	for w in $1; do
		[[ " $2 " == *" $w "* ]] || missing="$missing $w"
	done
	[ -z "$missing" ]
	ok $? "$3" "missing:$missing" "in: $2"
}
contains "link session monitor key audit help" "$(comp "")" \
	"  which include link, session, monitor, key, audit and help"
is "$(comp s)" "session" "jumpctl s<TAB>: session"
is "$(comp frob "")" "" "an unknown object offers nothing"
is "$(comp -)" "$(set_of -json -pretty -statistics -details -timestamp -batch -Version -help)" \
	"jumpctl -<TAB>: every option"
is "$(comp -j -p "")" "$OBJECTS" "objects after options"

# Commands: the first word after "jumpctl OBJECT" of each usage line.
for o in link session key audit; do
	want=$(set_of "$("$JUMPCTL" "$o" help | grep -oE "^(Usage:)? +jumpctl $o [a-z]+" |
		awk '{ print $NF }')")
	is "$(comp "$o" "")" "$want" "jumpctl $o <TAB>: the commands of its usage ($want)"
done
contains "add show set del key help" "$(comp session "")" \
	"  session: add, show, set, del, key, help among them"
contains "add del show help" "$(comp link "")" "  link: add, del, show, help among them"
contains "genkey pubkey help" "$(comp key "")" "  key: genkey, pubkey, help among them"
contains "show verify help" "$(comp audit "")" "  audit: show, verify, help among them"
is "$(comp session key "")" "$(set_of add swap del)" "jumpctl session key <TAB>: add, swap, del"
is "$(comp session s)" "$(set_of show set)" "jumpctl session s<TAB>: show, set"
is "$(comp monitor "")" "dev" "jumpctl monitor <TAB>: dev (monitor has no command)"

# Keywords.
got=$(comp session show "")
usage=$("$JUMPCTL" session help | grep 'session show')
bad=""
for w in $got; do grep -qw -- "$w" <<<"$usage" || bad="$bad $w"; done
[[ " $got " == *" dev "* && " $got " == *" id "* && -z $bad ]]
ok $? "session show <TAB>: dev and id, nothing its usage does not name" \
	"got: $got" "not in the usage:$bad"
is "$(comp session show dev jump0 "")" "$(comp session show "" | tr ' ' '\n' |
	grep -vx dev | tr '\n' ' ' | sed 's/ $//')" "a keyword given is not offered again"
is "$(comp session set "")" "$(set_of dev id version state reason local remote epoch \
	sock-fd remote-index allowed-ips keepalive volatile degraded)" \
	"session set <TAB>: the keywords of both forms"
is "$(comp session set dev jump0 id 1 v 7 "")" "$(set_of state reason local remote epoch \
	sock-fd remote-index allowed-ips keepalive volatile degraded)" \
	"  less those given, abbreviations too (v is version)"
is "$(comp session add "")" "$(set_of dev role peer id)" "session add <TAB>: dev, role, peer, id"
is "$(comp session del "")" "$(set_of dev id version reason)" \
	"session del <TAB>: dev, id, version, reason"
is "$(comp session key add "")" "$(set_of dev id slot key-id tx-key rx-key)" \
	"session key add <TAB>: dev, id, slot, key-id, tx-key, rx-key"
is "$(comp link add new "")" "mtu" "link add NAME <TAB>: mtu"
is "$(comp audit show "")" "$(set_of file dev session event reason since)" \
	"audit show <TAB>: file, dev, session, event, reason, since"
is "$(comp audit verify "")" "$(set_of file dev head)" "audit verify <TAB>: file, dev, head"

# Values: the names of lib/jump_names.c.
is "$(comp session set dev jump0 id 1 state "")" "$STATES" \
	"state <TAB>: every state of lib/jump_names.c"
is "$(comp session set dev jump0 id 1 reason "")" "$REASONS" \
	"reason <TAB>: every reason of lib/jump_names.c"
is "$(comp session del dev jump0 id 1 version 3 reason "")" "$REASONS" \
	"session del reason <TAB>: the same"
is "$(comp session add dev jump0 role "")" "$ROLES" "role <TAB>: client, server"
is "$(comp session key del dev jump0 id 1 slot "")" "$SLOTS" "slot <TAB>: primary, secondary"
is "$(comp audit show dev jump0 event "")" "$EVENTS" "audit show event <TAB>: every audit event"
is "$(comp audit show dev jump0 reason "")" "$(set_of "$REASONS" "$REJECTS")" \
	"audit show reason <TAB>: the reasons and the rejects"
is "$(comp session set dev jump0 allowed-ips "")" "none" "allowed-ips <TAB>: none"
is "$(comp session set dev jump0 id 1 state at)" "attached" "state at<TAB>: attached"
is "$(comp session set dev jump0 id 1 reason admin_)" "$(set_of admin_reattach admin_terminate)" \
	"reason admin_<TAB>: admin_reattach, admin_terminate"
is "$(comp s se d jump0 i 1 st "")" "$STATES" "abbreviated: s se d jump0 i 1 st <TAB>: states"
is "$(comp session set dev jump0 id 1 version "")" "" "version <TAB>: nothing to offer"

# help.
NAMES=$(sed -n 's/^NAMES := { \(.*\) }$/\1/p' <<<"$HELP" | tr -d '|')
is "$(set_of "$NAMES")" "$(set_of states reasons rejects roles slots events)" \
	"jumpctl help lists NAMES: states, reasons, rejects, roles, slots, events"
is "$(comp help "")" "$(set_of "$OBJECTS" "$NAMES")" "jumpctl help <TAB>: the objects and the NAMES"
is "$(comp help st)" "states" "jumpctl help st<TAB>: states"
for n in $NAMES; do
	want=$(set_of "$(names_of "$(sed 's/s$//; s/^slot$/key_slot/' <<<"$n")_names")")
	[ "$n" = events ] && want=$EVENTS
	is "$(set_of "$("$JUMPCTL" help "$n")")" "$want" "jumpctl help $n prints the source's list"
done

# Devices, session ids and files.
is "$(comp session show dev "")" "$(set_of jump0 jump1)" "dev <TAB>: the devices of jumpctl link show"
is "$(comp monitor dev j)" "$(set_of jump0 jump1)" "monitor dev j<TAB>: the same"
is "$(comp link del "")" "$(set_of jump0 jump1)" "link del <TAB>: the devices"
is "$(comp link show "")" "$(set_of jump0 jump1)" "link show <TAB>: the devices"
is "$(comp link add "")" "" "link add <TAB>: nothing (a new name)"
is "$(comp session show dev jump0 id "")" "$(set_of 00000000deadbeef 0123456789abcdef)" \
	"id <TAB>: the session ids of jumpctl -j session show dev NAME"
is "$(comp session set dev jump1 id "")" "" "  none on a device without sessions"
is "$(comp session set id "")" "" "  none before dev is given"
mkdir "$T_DIR/files" && touch "$T_DIR/files/batch.txt" "$T_DIR/files/other.jsonl"
is "$(cd "$T_DIR/files" && comp -batch b)" "batch.txt" "-batch <TAB>: file names"
is "$(cd "$T_DIR/files" && comp -b batch.txt "")" "" "nothing after -batch FILE"
is "$(cd "$T_DIR/files" && comp audit verify file o)" "other.jsonl" "audit verify file <TAB>: file names"
is "$(cd "$T_DIR/files" && comp key pubkey "")" "" "key pubkey <TAB>: nothing (it reads stdin)"

# Issue 5's commands, as cli.md gives their usage: followed from the help
# text alone.
export STUB_NEW=1
is "$(comp "")" "$(set_of "$OBJECTS" policy)" "a new object in jumpctl help is offered (policy)"
is "$(comp session "")" "$(set_of add show set del terminate reattach key help)" \
	"new session commands are offered (terminate, reattach)"
is "$(comp session show "")" "$(set_of dev id state peer)" "session show <TAB>: dev, id, state, peer"
is "$(comp session show state "")" "$STATES" "session show state <TAB>: the states"
is "$(comp session show dev jump0 peer "")" "$(set_of "$PEER1" "$PEER2")" \
	"session show dev NAME peer <TAB>: the peers of its sessions"
is "$(comp session terminate dev jump0 "")" "$(set_of id reason)" \
	"session terminate dev NAME <TAB>: id, reason"
is "$(comp session terminate dev jump0 id 1 reason "")" "$REASONS" \
	"session terminate reason <TAB>: the reasons"
is "$(comp session reattach "")" "$(set_of dev id)" "session reattach <TAB>: dev, id"
is "$(comp policy "")" "$(set_of show help)" "policy <TAB>: show, help"
is "$(comp policy show "")" "$(set_of dev config)" "policy show <TAB>: dev, config"
is "$(cd "$T_DIR/files" && comp policy show dev jump0 config b)" "batch.txt" \
	"policy show config <TAB>: file names"
unset STUB_NEW

done_testing
