/*
 * fuzz-render.c - any JSON as a report through every renderer of
 * report/render.h, which must take it leniently (a member missing or of
 * another type is drawn as absent, never a crash).
 *
 * Input: one byte of choices (bits 0-1: the metric; bit 2: the absolute
 * axis), then the JSON text (jansson's flags as verdictd and the
 * client read reports).  Every format is rendered.
 */
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "report/render.h"
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
	static const enum render_format formats[] = { RENDER_JSON,
	    RENDER_CSV, RENDER_MD, RENDER_SVG, RENDER_HTML };
	static const enum render_metric metrics[] = { RENDER_PASS,
	    RENDER_FLOPS, RENDER_TIME, RENDER_RANK };
	struct render_opts	 ro;
	json_error_t		 je;
	json_t			*rep;
	uint8_t			 how;
	char			*s;

	if (size < 1)
		return 0;
	how = data[0];
	ro.axis = (how & 0x4) ? RENDER_AXIS_ABSOLUTE : RENDER_AXIS_SAMPLES;
	if ((rep = json_loadb((const char *)data + 1, size - 1,
	    JSON_DECODE_ANY, &je)) == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		s = render_report(rep, formats[i], metrics[how & 0x3], &ro);
		if (s == NULL)
			__builtin_trap();
		free(s);
	}
	json_decref(rep);
	return 0;
}
