/*
 * tests/fuzz/fuzz_spf_macro.c -- the SPF macro expander on any bytes.
 * The first byte picks the mode (domain-spec or explanation) and whether
 * the client is IPv4 or IPv6; the rest is the macro-string, also used as
 * the sender's local part so values can be hostile too.  Validation and
 * expansion must agree, and output never passes DG_SPF_MACRO_MAX.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/buf.h>

#include "spf/spf_int.h"
#include "util/limits.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum dg_err
fake_p(void *ctx, struct dg_span *out)
{
	(void)ctx;
	out->p = "mail.example.org";
	out->len = 16;
	return DG_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spf_macro_env	 env;
	struct dg_buf		 b;
	enum spf_macro_fail	 why;
	enum dg_err		 err;
	const char		*p;
	size_t			 len, pos;
	bool			 is_exp, valid;

	if (size < 1 || size > 65536)
		return 0;
	is_exp = (data[0] & 1) != 0;
	p = (const char *)data + 1;
	len = size - 1;
	memset(&env, 0, sizeof(env));
	env.local.p = p;
	env.local.len = len < 300 ? len : 300;
	env.sender.p = p;
	env.sender.len = env.local.len;
	env.sender_dom.p = "example.com";
	env.sender_dom.len = 11;
	env.domain = env.sender_dom;
	env.helo.p = "mx.example.net";
	env.helo.len = 14;
	env.now = 1234567890;
	if (data[0] & 2) {
		env.ip.family = DG_IP_V6;
		memset(env.ip.addr, 0xab, 16);
	} else {
		env.ip.family = DG_IP_V4;
		memcpy(env.ip.addr, "\xc0\x00\x02\x01", 4);
	}
	env.get_p = (data[0] & 4) ? fake_p : NULL;
	valid = spf_macro_valid(p, len, is_exp, &pos);
	if (!valid && pos >= len)
		abort();
	dg_buf_init(&b, DG_SPF_MACRO_MAX);
	err = spf_macro_expand(&env, p, len, is_exp, &b, &why);
	if (b.len > DG_SPF_MACRO_MAX)
		abort();
	/* Syntax errors are exactly what validation rejects. */
	if ((err == DG_ESYNTAX) == valid)
		abort();
	if (err == DG_OK && (b.data != NULL && strlen(b.data) > b.len))
		abort();
	dg_buf_free(&b);
	return 0;
}
