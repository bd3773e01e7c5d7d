/*
 * fuzz-config.c - a config file through daemon/config.h's config_load(),
 * as verdictd reads it at start, on SIGHUP and with -n.
 *
 * Input: the file.  A config that loads is checked against the defaults
 * as a reload would be, its limits read for every benchmark and its
 * database URI redacted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "daemon/bench.h"
#include "daemon/config.h"
#include "tests/fuzz/fuzz.h"

int	 LLVMFuzzerInitialize(int *argc, char ***argv);
int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 cfg, def;
	char		 err[512], path[64];
	int		 fd;

	fd = fuzz_file(data, size, path, sizeof(path));
	if (config_load(path, &cfg, err, sizeof(err)) == 0) {
		config_defaults(&def);
		(void)config_reloadable(&def, &cfg, err, sizeof(err));
		for (int b = 0; b < BENCH_COUNT; b++)
			(void)config_limits_of(&cfg, (enum bench_id)b);
		if (cfg.database != NULL)
			free(config_database_redact(cfg.database));
		(void)config_token_ok(&cfg, "token");
		config_free(&def);
	}
	config_free(&cfg);
	close(fd);
	return 0;
}
