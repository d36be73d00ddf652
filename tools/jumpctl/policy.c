// SPDX-License-Identifier: GPL-2.0
/* jumpctl policy { show | help } */
#include <string.h>

#include "args.h"
#include "config.h"
#include "json.h"
#include "jumpctl.h"
#include "policy.h"

/* Order is priority for abbreviations, as everywhere. */
static const char *const commands[] = { "show", "list", "help", NULL };
static const enum policy_cmd command_of[] = { POLICY_SHOW, POLICY_SHOW, POLICY_HELP };

enum { KW_DEV, KW_CONFIG };
static const char *const keywords[] = { "dev", "config", NULL };

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpctl policy show dev NAME [ config FILE ]\n"
		"       jumpctl policy help\n"
		"show prints the [Policy] that jumpd loads for NAME from %s/NAME.conf\n"
		"(or FILE), through jumpd's own parser: one line per key, its value as the\n"
		"file spells it (\"Keepalive 1s\", \"MaxSwitches 10\"), and \"(default)\" after\n"
		"each key the file does not set. -j prints one JSON object: each key with\n"
		"a number (milliseconds for durations) and \"defaults\", the keys not set.\n"
		"The whole file is checked as jumpd checks it, its PrivateKeyFile too (so\n"
		"it takes the rights to read that); the first problem is printed as\n"
		"\"Error: FILE:LINE: problem.\" and exits 1.\n",
		CONFIG_DIR);
}

static int parse_keywords(int argc, char **argv, struct policy_args *a)
{
	const char *file = NULL;
	unsigned int seen = 0;
	int kw;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(argv[0], "help")) {
			a->cmd = POLICY_HELP;
			return 0;
		}
		kw = match_keyword(argv[0], keywords);
		if (kw < 0)
			return usage_error("unexpected \"%s\" in \"policy show\"; try \"jumpctl policy help\"",
					   argv[0]);
		if (seen & 1U << kw)
			return usage_error("\"%s\" given twice", keywords[kw]);
		seen |= 1U << kw;
		if (argc < 2)
			return usage_error("\"%s\" needs a value", keywords[kw]);
		if (kw == KW_DEV)
			a->dev = argv[1];
		else
			file = argv[1];
	}
	if (!a->dev)
		return usage_error("\"policy show\" needs \"dev\"; try \"jumpctl policy help\"");
	if (!valid_ifname(a->dev))
		return usage_error("invalid device name \"%s\" (1 to %d characters)",
				   a->dev, IF_NAMESIZE - 1);
	if (file && strlen(file) >= sizeof(a->path))
		return usage_error("config file name too long (at most %zu bytes)",
				   sizeof(a->path) - 1);
	if (file)
		snprintf(a->path, sizeof(a->path), "%s", file);
	else
		config_default_path(a->dev, a->path, sizeof(a->path));
	return 0;
}

int policy_parse(int argc, char **argv, struct policy_args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->cmd = POLICY_SHOW;
	/* Without a command it is show, so "policy dev jump0" works, as audit's. */
	i = argc > 0 ? match_keyword(argv[0], commands) : -1;
	if (i >= 0) {
		a->cmd = command_of[i];
		argc--, argv++;
	}
	if (a->cmd == POLICY_HELP)
		return 0;
	return parse_keywords(argc, argv, a);
}

static bool is_set(const struct config *c, size_t i)
{
	return c->policy_set & 1U << i;
}

/* Keepalive 1s\nVolatileAfter 3s (default)\n... */
static void print_text(FILE *f, const struct config *c)
{
	char v[CONFIG_VALUE_LEN];
	size_t i;

	for (i = 0; i < CONFIG_POLICY_KEYS; i++)
		fprintf(f, "%s %s%s\n", config_policy_name(i),
			config_policy_format(&c->policy, i, v),
			is_set(c, i) ? "" : " (default)");
}

/* {"Keepalive": 1000, ..., "defaults": ["VolatileAfter", ...]} */
static void print_json(FILE *f, const struct config *c)
{
	struct json j;
	size_t i;

	json_init(&j, f, opt.pretty);
	json_open(&j, '{');
	for (i = 0; i < CONFIG_POLICY_KEYS; i++)
		json_kv_u64(&j, config_policy_name(i),
			    config_policy_value(&c->policy, i));
	json_key(&j, "defaults");
	json_open(&j, '[');
	for (i = 0; i < CONFIG_POLICY_KEYS; i++)
		if (!is_set(c, i))
			json_string(&j, config_policy_name(i));
	json_close(&j, ']');
	json_close(&j, '}');
	fputc('\n', f);
}

int policy_show(FILE *f, const struct policy_args *a)
{
	/* Static: a config holds three paths of 4 KiB. */
	static struct config c;
	char err[CONFIG_ERR_LEN];

	if (config_load(a->path, a->dev, &c, err))
		return usage_error("%s", err);
	if (opt.json)
		print_json(f, &c);
	else
		print_text(f, &c);
	/* It holds the private key: wiped. */
	config_free(&c);
	return EXIT_OK;
}

int do_policy(int argc, char **argv)
{
	struct policy_args a;
	int err;

	err = policy_parse(argc, argv, &a);
	if (err)
		return err;
	if (a.cmd == POLICY_HELP) {
		usage(stdout);
		return EXIT_OK;
	}
	return policy_show(stdout, &a);
}
