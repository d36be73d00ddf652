// SPDX-License-Identifier: GPL-2.0
/* jumpctl audit { show | verify | help } */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "audit.h"
#include "jump_audit.h"
#include "jump_names.h"
#include "jumpctl.h"

static const char *const commands[] = { "show", "list", "verify", "help", NULL };
static const enum audit_cmd command_of[] = {
	AUDIT_SHOW, AUDIT_SHOW, AUDIT_VERIFY, AUDIT_HELP,
};

/* Order is priority for abbreviations, as in the usage: "s" is session. */
enum { KW_FILE, KW_DEV, KW_SESSION, KW_EVENT, KW_REASON, KW_SINCE, KW_HEAD };
static const char *const keywords[] = {
	"file", "dev", "session", "event", "reason", "since", "head", NULL,
};
#define KW(k) (1U << KW_##k)
static const unsigned int allowed[] = {
	[AUDIT_SHOW] = KW(FILE) | KW(DEV) | KW(SESSION) | KW(EVENT) |
		       KW(REASON) | KW(SINCE),
	[AUDIT_VERIFY] = KW(FILE) | KW(DEV) | KW(HEAD),
	[AUDIT_HELP] = 0,
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpctl audit show { file FILE | dev NAME } [ session ID ] [ event EVENT ]\n"
		"                          [ reason REASON ] [ since SEQ ]\n"
		"       jumpctl audit verify { file FILE | dev NAME } [ head FILE ]\n"
		"       jumpctl audit help\n"
		"EVENT := { start | stop | reload | transition | accept | reject |\n"
		"           rate_limit | cookie | rekey | ownership }\n"
		"REASON := a transition, reject or ownership reason (Documentation/audit.rst)\n"
		"dev NAME reads " JUMP_AUDIT_DIR "/NAME" JUMP_AUDIT_SUFFIX "; verify also checks\n"
		JUMP_AUDIT_STATE_DIR "/NAME/" JUMP_AUDIT_HEAD_NAME " when it exists. FILE \"-\" is standard input.\n"
		"show prints one line per record (-d adds host, device and peer); -j\n"
		"prints the records' JSON lines unchanged.\n"
		"verify prints \"ok: N records, chain intact\" and exits 0, or\n"
		"\"broken: line N: PROBLEM\" and exits 1, as it does for a usage error.\n");
}

static int bad_value(const char *what, const char *val, const char *hint)
{
	return usage_error("invalid %s \"%s\" (%s)", what, val, hint);
}

static int parse_value(int kw, char *val, struct audit_args *a)
{
	switch (kw) {
	case KW_FILE:
		a->file = val;
		return 0;
	case KW_DEV:
		a->dev = val;
		return valid_ifname(val) ? 0 :
		       bad_value("device name", val, "1 to 15 characters");
	case KW_SESSION:
		a->has_session = true;
		return parse_session_id(val, &a->session) ?
		       bad_value("session id", val, "up to 16 hex digits") : 0;
	case KW_EVENT:
		a->event = val;
		return jump_audit_event_parse(val) < 0 ?
		       bad_value("event", val, "try \"jumpctl audit help\"") : 0;
	case KW_REASON:
		a->reason = val;
		return jump_reason_parse(val) < 0 && jump_reject_parse(val) < 0 &&
		       jump_owner_reason_parse(val) < 0 ?
		       bad_value("reason", val, "see Documentation/audit.rst") : 0;
	case KW_SINCE:
		return parse_u64(val, &a->since) ?
		       bad_value("seq", val, "a decimal 64-bit number") : 0;
	default:
		a->head = val;
		return 0;
	}
}

/* The file (and the default head) that file or dev names. */
static int resolve_paths(struct audit_args *a)
{
	if (a->file && a->dev)
		return usage_error("\"file\" and \"dev\" name the file twice; give one");
	if (!a->file && !a->dev)
		return usage_error("which audit file? give \"file FILE\" or \"dev NAME\"");
	if (a->file)
		snprintf(a->path, sizeof(a->path), "%s", a->file);
	else
		snprintf(a->path, sizeof(a->path), JUMP_AUDIT_DIR "/%s" JUMP_AUDIT_SUFFIX,
			 a->dev);
	if (a->head)
		snprintf(a->head_path, sizeof(a->head_path), "%s", a->head);
	else if (a->dev && a->cmd == AUDIT_VERIFY)
		snprintf(a->head_path, sizeof(a->head_path),
			 JUMP_AUDIT_STATE_DIR "/%s/" JUMP_AUDIT_HEAD_NAME, a->dev);
	/* The default head is optional: jumpd may keep it elsewhere. */
	if (!a->head && a->head_path[0] && access(a->head_path, F_OK))
		a->head_path[0] = '\0';
	return 0;
}

static int parse_keywords(int argc, char **argv, struct audit_args *a)
{
	unsigned int seen = 0;
	int kw, err;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(argv[0], "help")) {
			a->cmd = AUDIT_HELP;
			return 0;
		}
		kw = match_keyword_mask(argv[0], keywords, allowed[a->cmd]);
		if (kw < 0)
			return usage_error("unexpected \"%s\" in \"audit %s\"; try \"jumpctl audit help\"",
					   argv[0], a->cmd == AUDIT_SHOW ? "show" : "verify");
		if (seen & 1U << kw)
			return usage_error("\"%s\" given twice", keywords[kw]);
		seen |= 1U << kw;
		if (argc < 2)
			return usage_error("\"%s\" needs a value", keywords[kw]);
		err = parse_value(kw, argv[1], a);
		if (err)
			return err;
	}
	return resolve_paths(a);
}

int audit_parse(int argc, char **argv, struct audit_args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->cmd = AUDIT_SHOW;
	/* Without a command it is show, so "audit dev jump0" works as ip's. */
	i = argc > 0 ? match_keyword(argv[0], commands) : -1;
	if (i >= 0) {
		a->cmd = command_of[i];
		argc--, argv++;
	}
	if (a->cmd == AUDIT_HELP)
		return 0;
	return parse_keywords(argc, argv, a);
}

/* ---- show ---- */

static bool same_session(const char *field, uint64_t want)
{
	uint64_t id;

	return field && !parse_session_id(field, &id) && id == want;
}

static bool wanted(const struct audit_args *a, const struct jump_audit_record *r)
{
	if (a->has_session && !same_session(r->session, a->session))
		return false;
	if (a->event && strcmp(r->event, a->event))
		return false;
	if (a->reason && !(r->reason && !strcmp(r->reason, a->reason)) &&
	    !(r->reject && !strcmp(r->reject, a->reason)))
		return false;
	return r->seq >= a->since;
}

/* The file is anyone's: nothing in it may reach the terminal as control. */
static void put_safe(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f || *p == '\\' || *p == '"')
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
}

static void put_word(FILE *out, const char *key, const char *value)
{
	if (!value)
		return;
	fputc(' ', out);
	if (key)
		fprintf(out, "%s ", key);
	put_safe(out, value);
}

static void print_record(FILE *out, const struct jump_audit_record *r)
{
	fprintf(out, "%llu", (unsigned long long)r->seq);
	put_word(out, NULL, r->time);
	if (opt.details) {
		put_word(out, "host", r->host);
		put_word(out, "dev", r->ifname);
	}
	put_word(out, NULL, r->event);
	put_word(out, "session", r->session);
	if (r->from || r->to) {
		put_word(out, NULL, r->from ? r->from : "?");
		put_word(out, "->", r->to ? r->to : "?");
	}
	put_word(out, "reason", r->reason);
	put_word(out, "reject", r->reject);
	if (r->version)
		fprintf(out, " version %llu", (unsigned long long)r->version);
	if (opt.details)
		put_word(out, "peer", r->peer);
	put_word(out, "source", r->source);
	if (r->detail) {
		fputs(" detail \"", out);
		put_safe(out, r->detail);
		fputc('"', out);
	}
	fputc('\n', out);
}

int audit_show(const struct audit_args *a, FILE *in, FILE *out, FILE *err)
{
	struct jump_audit_parsed *p = malloc(sizeof(*p));
	char *line = malloc(JUMP_AUDIT_LINE_MAX + 1);
	bool newline, too_long;
	uint64_t lineno = 0;
	long len;

	if (!p || !line) {
		free(p);
		free(line);
		fputs("Error: out of memory.\n", err);
		return EXIT_KERNEL;
	}
	while ((len = jump_audit_getline(in, line, &newline, &too_long)) >= 0) {
		lineno++;
		if (too_long || jump_audit_parse(line, len, p)) {
			fprintf(err, "Warning: line %llu is not an audit record; skipped (see \"jumpctl audit verify\").\n",
				(unsigned long long)lineno);
			continue;
		}
		if (!wanted(a, &p->r))
			continue;
		if (opt.json)
			fprintf(out, "%s\n", line);
		else
			print_record(out, &p->r);
	}
	free(p);
	free(line);
	return EXIT_OK;
}

/* ---- verify ---- */

static int read_head_file(const char *path, struct jump_audit_head *h, FILE *err)
{
	char line[JUMP_AUDIT_HEAD_MAX];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		fprintf(err, "Error: cannot open head file \"%s\": %s.\n", path,
			strerror(errno));
		return -1;
	}
	n = fread(line, 1, sizeof(line) - 1, f);
	fclose(f);
	line[n] = '\0';
	if (strlen(line) != n || jump_audit_head_parse(line, &h->seq, h->hash)) {
		fprintf(err, "Error: \"%s\" is not an audit head (\"SEQ HASH\").\n", path);
		return -1;
	}
	return 0;
}

int audit_verify(FILE *in, const char *head, FILE *out, FILE *err)
{
	struct jump_audit_result res;
	struct jump_audit_head h;

	if (head && read_head_file(head, &h, err))
		return EXIT_USAGE;
	if (jump_audit_verify(in, head ? &h : NULL, &res)) {
		fprintf(err, "broken: line %llu: %s\n", (unsigned long long)res.line,
			jump_audit_problem_str(res.problem));
		return EXIT_USAGE;
	}
	fprintf(out, "ok: %llu records, chain intact", (unsigned long long)res.records);
	if (head)
		fprintf(out, ", head at record %llu", (unsigned long long)h.seq);
	fputc('\n', out);
	return EXIT_OK;
}

int do_audit(int argc, char **argv)
{
	struct audit_args *a = malloc(sizeof(*a));
	FILE *in;
	int err;

	if (!a)
		return EXIT_KERNEL;
	err = audit_parse(argc, argv, a);
	if (!err && a->cmd == AUDIT_HELP)
		usage(stdout);
	if (err || a->cmd == AUDIT_HELP)
		goto out;
	in = strcmp(a->path, "-") ? fopen(a->path, "r") : stdin;
	if (!in) {
		fprintf(stderr, "Error: cannot open audit file \"%s\": %s.\n", a->path,
			strerror(errno));
		err = EXIT_USAGE;
		goto out;
	}
	if (a->cmd == AUDIT_SHOW)
		err = audit_show(a, in, stdout, stderr);
	else
		err = audit_verify(in, a->head_path[0] ? a->head_path : NULL,
				   stdout, stderr);
	if (in != stdin)
		fclose(in);
out:
	free(a);
	return err;
}
