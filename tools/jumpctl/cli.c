// SPDX-License-Identifier: GPL-2.0
/* jumpctl: global options, objects, and batch files. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "jumpctl.h"
#include "nl.h"

#define JUMPCTL_VERSION "0.1"
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
		"OBJECT := { link | session | monitor | help }\n"
		"OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -d[etails] |\n"
		"             -t[imestamp] | -V[ersion] | -h[elp] }\n"
		"Abbreviations resolve in the order listed, as in ip(8).\n"
		"Exit status: 0 success, 1 usage error, 2 the kernel refused.\n");
}

static int do_help(int argc, char **argv)
{
	usage(stdout);
	return EXIT_OK;
}

static const struct object {
	const char *name;
	int (*run)(int argc, char **argv);
} objects[] = {
	{ "link", do_link },
	{ "session", do_session },
	{ "monitor", do_monitor },
	{ "help", do_help },
	{ NULL, NULL },
};

int jumpctl_run(int argc, char **argv)
{
	const struct object *o;

	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (o = objects; o->name; o++)
		if (matches(argv[0], o->name))
			return o->run(argc - 1, argv + 1);
	return usage_error("object \"%s\" is unknown; try \"jumpctl help\"", argv[0]);
}

/* One command per line, words split on blanks; '#' starts a comment. */
static int run_batch(const char *path)
{
	char *line = NULL, *argv[BATCH_MAX_ARGS], *word, *save;
	unsigned int lineno = 0;
	size_t cap = 0;
	int argc, err = EXIT_OK;
	FILE *f;

	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "Error: cannot open batch file \"%s\": %m.\n", path);
		return EXIT_USAGE;
	}
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		line[strcspn(line, "#\n")] = '\0';
		argc = 0;
		for (word = strtok_r(line, " \t", &save); word && argc < BATCH_MAX_ARGS;
		     word = strtok_r(NULL, " \t", &save))
			argv[argc++] = word;
		if (!argc)
			continue;
		err = jumpctl_run(argc, argv);
		if (err) {
			fprintf(stderr, "Command failed %s:%u\n", path, lineno);
			break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return err;
}

static const char *const options[] = {
	"json", "pretty", "statistics", "stats", "details", "timestamp",
	"Version", "help", "batch", NULL,
};

int jumpctl_main(int argc, char **argv)
{
	const char *batch = NULL, *arg;
	int err;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		arg = argv[0] + 1 + (argv[0][1] == '-');
		switch (match_keyword(arg, options)) {
		case 0: opt.json = true; break;
		case 1: opt.pretty = opt.json = true; break;
		case 2: case 3: opt.stats = true; break;
		case 4: opt.details = true; break;
		case 5: opt.timestamp = true; break;
		case 6:
			printf("jumpctl %s (uapi version %d)\n", JUMPCTL_VERSION,
			       JUMP_GENL_VERSION);
			return EXIT_OK;
		case 7:
			usage(stdout);
			return EXIT_OK;
		case 8:
			if (argc < 2)
				return usage_error("\"-batch\" needs a file name");
			batch = argv[1];
			argc--, argv++;
			break;
		default:
			return usage_error("option \"%s\" is unknown; try \"jumpctl -help\"", argv[0]);
		}
	}
	err = batch ? run_batch(batch) : jumpctl_run(argc, argv);
	genl_socket_close();
	return err;
}
