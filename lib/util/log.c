/*
 * lib/util/log.c -- leveled logging to a sink chosen by the application.
 * Messages are formatted into a fixed buffer (truncated, never overflowed)
 * so logging allocates nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include <dmarcguard/log.h>

#include "util/str.h"

static dg_log_fn		sink = dg_log_stderr;
static void			*sink_ctx;
static enum dg_log_level	max_level = DG_LOG_WARN;

static const char *const level_names[] = {
	"error", "warning", "notice", "info", "debug"
};

void
dg_log_set_sink(dg_log_fn fn, void *ctx)
{
	sink = fn;
	sink_ctx = ctx;
}

void
dg_log_set_level(enum dg_log_level level)
{
	max_level = level;
}

enum dg_log_level
dg_log_get_level(void)
{
	return max_level;
}

const char *
dg_log_level_str(enum dg_log_level level)
{
	if ((unsigned)level > DG_LOG_DEBUG)
		return "unknown";
	return level_names[level];
}

bool
dg_log_level_parse(const char *s, enum dg_log_level *out)
{
	static const struct {
		const char		*name;
		enum dg_log_level	 level;
	} names[] = {
		{ "error", DG_LOG_ERROR }, { "warn", DG_LOG_WARN },
		{ "warning", DG_LOG_WARN }, { "notice", DG_LOG_NOTICE },
		{ "info", DG_LOG_INFO }, { "debug", DG_LOG_DEBUG },
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (dg_strcaseeq(s, names[i].name)) {
			*out = names[i].level;
			return true;
		}
	}
	return false;
}

void
dg_log_stderr(void *ctx, enum dg_log_level level, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "dmarcguard: %s: %s\n", dg_log_level_str(level), msg);
}

void
dg_log_syslog(void *ctx, enum dg_log_level level, const char *msg)
{
	static const int	prio[] = {
		LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG
	};

	(void)ctx;
	syslog((unsigned)level <= DG_LOG_DEBUG ? prio[level] : LOG_INFO,
	    "%s", msg);
}

void
dg_logv(enum dg_log_level level, const char *fmt, va_list ap)
{
	char	line[1024];

	if (sink == NULL || level > max_level)
		return;
	if (vsnprintf(line, sizeof(line), fmt, ap) < 0)
		return;
	sink(sink_ctx, level, line);
}

void
dg_log(enum dg_log_level level, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	dg_logv(level, fmt, ap);
	va_end(ap);
}
