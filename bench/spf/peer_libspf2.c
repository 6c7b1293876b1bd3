/*
 * bench/spf/peer_libspf2.c -- libspf2 (Debian libspf2-dev) over the
 * benchmark's records: its zone DNS layer (SPF_dns_zone_add_str) filled
 * from records.tsv, under its cache layer, so no packet is sent.  Built
 * by bench/spf/run.sh.  Prints one result a line, then "# N evaluations
 * in S seconds" on stderr (the evaluation loop only, after loading).
 *
 * Usage: peer_libspf2 RECORDS QUERIES
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <spf2/spf.h>
#include <spf2/spf_dns_cache.h>
#include <spf2/spf_dns_zone.h>

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	SPF_dns_server_t	*zone, *cache;
	SPF_server_t		*srv;
	FILE			*fp;
	char			 line[4096], **ip, **mf, **helo;
	size_t			 n = 0, cap = 0, i;
	double			 t0, t1;

	if (argc != 3) {
		fprintf(stderr, "usage: peer_libspf2 RECORDS QUERIES\n");
		return 2;
	}
	zone = SPF_dns_zone_new(NULL, "bench", 0);
	if ((fp = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 2;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char	*name = strtok(line, "\t"), *type = strtok(NULL, "\t");
		char	*data = strtok(NULL, "\n");
		ns_type	 t;

		if (name == NULL || type == NULL || data == NULL)
			continue;
		if (strcmp(type, "TXT") == 0)
			t = ns_t_txt;
		else if (strcmp(type, "A") == 0)
			t = ns_t_a;
		else if (strcmp(type, "AAAA") == 0)
			t = ns_t_aaaa;
		else if (strcmp(type, "MX") == 0) {
			t = ns_t_mx;
			data = strchr(data, ' ') + 1;	/* the host only */
		} else
			continue;
		if (SPF_dns_zone_add_str(zone, name, t, NETDB_SUCCESS,
		    data) != SPF_E_SUCCESS) {
			fprintf(stderr, "cannot add %s %s\n", name, type);
			return 2;
		}
	}
	fclose(fp);
	cache = SPF_dns_cache_new(zone, "cache", 0, 12);
	srv = SPF_server_new_dns(cache, 0);

	if ((fp = fopen(argv[2], "r")) == NULL) {
		perror(argv[2]);
		return 2;
	}
	ip = mf = helo = NULL;
	while (fgets(line, sizeof(line), fp) != NULL) {
		char	*a = strtok(line, " \n"), *b = strtok(NULL, " \n");
		char	*c = strtok(NULL, " \n");

		if (a == NULL || b == NULL || c == NULL)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			ip = realloc(ip, cap * sizeof(*ip));
			mf = realloc(mf, cap * sizeof(*mf));
			helo = realloc(helo, cap * sizeof(*helo));
			if (ip == NULL || mf == NULL || helo == NULL)
				return 2;
		}
		ip[n] = strdup(a);
		mf[n] = strdup(b);
		helo[n] = strdup(c);
		n++;
	}
	fclose(fp);

	{
		SPF_result_t	*res = calloc(n + 1, sizeof(*res));

		t0 = now();
		for (i = 0; i < n; i++) {
			SPF_request_t	*req = SPF_request_new(srv);
			SPF_response_t	*resp = NULL;

			if (strchr(ip[i], ':') != NULL)
				SPF_request_set_ipv6_str(req, ip[i]);
			else
				SPF_request_set_ipv4_str(req, ip[i]);
			SPF_request_set_helo_dom(req, helo[i]);
			SPF_request_set_env_from(req, mf[i]);
			SPF_request_query_mailfrom(req, &resp);
			res[i] = resp != NULL ? SPF_response_result(resp) :
			    SPF_RESULT_INVALID;
			SPF_response_free(resp);
			SPF_request_free(req);
		}
		t1 = now();
		for (i = 0; i < n; i++)
			puts(SPF_strresult(res[i]));
		free(res);
	}
	fprintf(stderr, "# %zu evaluations in %.3f seconds\n", n, t1 - t0);
	SPF_server_free(srv);
	return 0;
}
