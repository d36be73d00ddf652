// SPDX-License-Identifier: GPL-2.0
/* jumpctl: global options, objects and batch files. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "jumpctl.h"
#include "names.h"
#include "nl.h"

#define BATCH_MAX_ARGS 64

struct options opt;

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(".\n", stderr);
	return EXIT_USAGE;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       jumpctl [ OPTIONS ] -batch FILE\n"
		"       jumpctl help [ OBJECT | NAMES ]\n"
		"OBJECT := { link | session | policy | monitor | key | audit | help }\n"
		"OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -d[etails] |\n"
		"             -t[imestamp] | -b[atch] FILE | -V[ersion] | -h[elp] }\n"
		"\n"
		"Objects, commands, keywords and options may be abbreviated; an\n"
		"abbreviation of several words means the first one listed in the\n"
		"usage (\"s\" is session, \"session s\" is show), as in ip(8).\n"
		"Values (states, reasons, roles) are never abbreviated.\n"
		"\"jumpctl help NAMES\" lists the values, one per line:\n"
		"NAMES := { states | reasons | rejects | roles | slots | events }\n"
		"-j prints JSON (an array for show, add and set; one object per line\n"
		"for monitor); -p pretty-prints it.\n"
		"A batch file holds one command per line, without \"jumpctl\"; '#'\n"
		"starts a comment; the first failing command stops it.\n"
		"Exit status: 0 success, 1 usage error (and a broken audit chain),\n"
		"2 refused by the kernel or a netlink failure.\n");
}

static int do_help(int argc, char **argv);

static const char *const objects[] = {
	"link", "session", "policy", "monitor", "key", "audit", "help", NULL,
};
static int (*const object_run[])(int argc, char **argv) = {
	do_link, do_session, do_policy, do_monitor, do_key, do_audit, do_help,
};

/* "jumpctl help session" is "jumpctl session help"; "help states" lists them. */
static int do_help(int argc, char **argv)
{
	char help[] = "help";
	char *args[] = { help, NULL };
	int i;

	if (argc == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	i = match_keyword(argv[0], objects);
	if (i < 0 && names_print(argv[0], stdout) == 0)
		return EXIT_OK;
	if (i < 0 || object_run[i] == do_help) {
		usage(stdout);
		return EXIT_OK;
	}
	return object_run[i](1, args);
}

int jumpctl_run(int argc, char **argv)
{
	int i;

	if (argc < 1)
		return usage_error("no object given; try \"jumpctl help\"");
	i = match_keyword(argv[0], objects);
	if (i < 0)
		return usage_error("object \"%s\" is unknown; try \"jumpctl help\"",
				   argv[0]);
	return object_run[i](argc - 1, argv + 1);
}

/* Splits @line in place; returns the word count, or -1 if too many. */
static int split_words(char *line, char **argv, int max)
{
	char *word, *save;
	int argc = 0;

	line[strcspn(line, "#\n")] = '\0';
	for (word = strtok_r(line, " \t\r", &save); word;
	     word = strtok_r(NULL, " \t\r", &save)) {
		if (argc == max)
			return -1;
		argv[argc++] = word;
	}
	return argc;
}

/*
 * One command per line, on the one genl socket, so a batch of 100,000
 * sessions resolves the family once and takes seconds.
 */
static int run_batch(const char *path)
{
	char *line = NULL, *argv[BATCH_MAX_ARGS];
	unsigned int lineno = 0;
	int argc, err = EXIT_OK;
	size_t cap = 0;
	FILE *f;

	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "Error: cannot open batch file \"%s\": %m.\n", path);
		return EXIT_USAGE;
	}
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		argc = split_words(line, argv, BATCH_MAX_ARGS);
		if (argc < 0)
			err = usage_error("more than %d words", BATCH_MAX_ARGS);
		else if (argc > 0)
			err = jumpctl_run(argc, argv);
		if (err) {
			fprintf(stderr, "Command failed %s:%u\n", path, lineno);
			break;
		}
	}
	if (!err && ferror(f)) {
		fprintf(stderr, "Error: cannot read batch file \"%s\".\n", path);
		err = EXIT_USAGE;
	}
	/* Lines may have held keys (session key add). */
	if (line)
		explicit_bzero(line, cap);
	free(line);
	if (f != stdin)
		fclose(f);
	return err;
}

/* Order is priority for abbreviations. */
enum { OPT_JSON, OPT_PRETTY, OPT_STATISTICS, OPT_STATS, OPT_DETAILS,
       OPT_TIMESTAMP, OPT_BATCH, OPT_VERSION, OPT_HELP };
static const char *const option_names[] = {
	[OPT_JSON] = "json", [OPT_PRETTY] = "pretty",
	[OPT_STATISTICS] = "statistics", [OPT_STATS] = "stats",
	[OPT_DETAILS] = "details", [OPT_TIMESTAMP] = "timestamp",
	[OPT_BATCH] = "batch", [OPT_VERSION] = "Version", [OPT_HELP] = "help",
	NULL,
};

int options_parse(int argc, char **argv, struct options *o)
{
	const char *arg;
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc && argv[i][0] == '-'; i++) {
		/* -json and --json alike. */
		arg = argv[i] + 1 + (argv[i][1] == '-');
		switch (match_keyword(arg, option_names)) {
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_PRETTY:
			/* Pretty only means something for JSON: it implies -j. */
			o->pretty = o->json = true;
			break;
		case OPT_STATISTICS:
		case OPT_STATS:
			o->stats = true;
			break;
		case OPT_DETAILS:
			o->details = true;
			break;
		case OPT_TIMESTAMP:
			o->timestamp = true;
			break;
		case OPT_BATCH:
			if (i + 1 == argc) {
				usage_error("\"%s\" needs a file name", argv[i]);
				return -1;
			}
			o->batch = argv[++i];
			break;
		case OPT_VERSION:
			o->version = true;
			break;
		case OPT_HELP:
			o->help = true;
			break;
		default:
			usage_error("option \"%s\" is unknown; try \"jumpctl -help\"",
				    argv[i]);
			return -1;
		}
	}
	return i;
}

int jumpctl_main(int argc, char **argv)
{
	int n, err;

	n = options_parse(argc - 1, argv + 1, &opt);
	if (n < 0)
		return EXIT_USAGE;
	argc -= n + 1;
	argv += n + 1;
	if (opt.version) {
		printf("jumpctl %s (genl family \"%s\" version %d)\n",
		       JUMP_VERSION, JUMP_GENL_NAME, JUMP_GENL_VERSION);
		return EXIT_OK;
	}
	if (opt.help) {
		usage(stdout);
		return EXIT_OK;
	}
	if (opt.batch && argc > 0)
		return usage_error("\"-batch\" takes no command line (\"%s\")",
				   argv[0]);
	err = opt.batch ? run_batch(opt.batch) : jumpctl_run(argc, argv);
	genl_socket_close();
	return err;
}
