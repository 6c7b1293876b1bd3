/*
 * include/dmarcguard/log.h -- leveled logging through a sink the
 * application chooses.
 *
 * The library itself never prints: it calls dg_log(), which goes to the
 * sink set here.  The CLI uses the stderr sink, daemons the syslog sink.
 * Setting the sink and level is not thread-safe; logging is.
 */
#ifndef DMARCGUARD_LOG_H
#define DMARCGUARD_LOG_H

#include <stdarg.h>
#include <dmarcguard/common.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dg_log_level {
	DG_LOG_ERROR = 0, DG_LOG_WARN, DG_LOG_NOTICE, DG_LOG_INFO,
	DG_LOG_DEBUG
};

typedef void (*dg_log_fn)(void *ctx, enum dg_log_level level,
    const char *msg);

/* Install a sink (NULL: discard everything). */
DG_API void		 dg_log_set_sink(dg_log_fn fn, void *ctx);
/* Messages above level are dropped before formatting.  Default WARN. */
DG_API void		 dg_log_set_level(enum dg_log_level level);
DG_API enum dg_log_level dg_log_get_level(void);
/* Ready-made sinks: "dmarcguard: warning: msg\n" on stderr; syslog(3). */
DG_API void		 dg_log_stderr(void *ctx, enum dg_log_level level,
			    const char *msg);
DG_API void		 dg_log_syslog(void *ctx, enum dg_log_level level,
			    const char *msg);
/* Parse "error|warn|notice|info|debug"; false when unknown. */
DG_API bool		 dg_log_level_parse(const char *s,
			    enum dg_log_level *out);
DG_API const char	*dg_log_level_str(enum dg_log_level level);

DG_API void		 dg_log(enum dg_log_level level, const char *fmt,
			    ...) DG_PRINTF(2, 3);
DG_API void		 dg_logv(enum dg_log_level level, const char *fmt,
			    va_list ap) DG_PRINTF(2, 0);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_LOG_H */
