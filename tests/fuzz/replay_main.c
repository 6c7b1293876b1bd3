/*
 * tests/fuzz/replay_main.c -- run a fuzz target over every file in the
 * directories (or files) named on the command line, without libFuzzer.
 * This keeps the seed corpus and past crash inputs as regression tests in
 * every build, sanitizers included.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	FILE		*fp;
	uint8_t		*buf;
	long		 n;
	size_t		 got;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		perror(path);
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0) {
		fclose(fp);
		return -1;
	}
	/* Exact-size copy so ASan catches a read one past the end. */
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf == NULL) {
		fclose(fp);
		return -1;
	}
	got = fread(buf, 1, (size_t)n, fp);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	int	i, files = 0, failed = 0;

	for (i = 1; i < argc; i++) {
		struct stat	 st;
		DIR		*d;
		struct dirent	*e;

		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			failed += run_file(argv[i]) != 0;
			files++;
			continue;
		}
		d = opendir(argv[i]);
		if (d == NULL) {
			perror(argv[i]);
			return 1;
		}
		while ((e = readdir(d)) != NULL) {
			char	path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i],
			    e->d_name);
			failed += run_file(path) != 0;
			files++;
		}
		closedir(d);
	}
	printf("replayed %d inputs, %d unreadable\n", files, failed);
	return failed != 0 || files == 0;
}
