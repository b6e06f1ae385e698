/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netconf/util.h"

#define MAX_FILE (64 * 1024)

void
vf_nc_path(const struct vf_netconf *nc, char *out, size_t len, const char *path)
{
	snprintf(out, len, "%s%s", nc->root, path);
}

bool
vf_nc_service_in_use(const struct vf_netconf *nc, const char *unit,
		     const char *run_file)
{
	char path[VF_PATHSIZ * 2], wants[128];

	snprintf(wants, sizeof(wants),
		 "/etc/systemd/system/multi-user.target.wants/%s", unit);
	vf_nc_path(nc, path, sizeof(path), wants);
	if (access(path, F_OK) == 0)
		return true;
	vf_nc_path(nc, path, sizeof(path), run_file);
	return access(path, F_OK) == 0;
}

char *
vf_nc_read_file(const char *path)
{
	char *text;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	text = malloc(MAX_FILE + 1);
	if (text == NULL) {
		close(fd);
		return NULL;
	}
	n = read(fd, text, MAX_FILE);
	close(fd);
	if (n < 0) {
		free(text);
		return NULL;
	}
	text[n] = '\0';
	return text;
}

int
vf_nc_write_if_changed(const char *path, const char *text)
{
	return vf_nc_write_mode(path, text, 0644);
}

int
vf_nc_write_mode(const char *path, const char *text, mode_t mode)
{
	char tmp[VF_PATHSIZ * 4];
	char *old = vf_nc_read_file(path);
	size_t len = strlen(text);
	int fd, same = old != NULL && strcmp(old, text) == 0;

	free(old);
	if (same)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	/* Exactly: NM ignores a keyfile others can read. */
	if (fchmod(fd, mode) < 0 || write(fd, text, len) != (ssize_t)len ||
	    fsync(fd) < 0) {
		int e = errno ? errno : EIO;

		close(fd);
		unlink(tmp);
		return -e;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return -e;
	}
	return 1;
}

void
vf_nc_mkdirs(const char *path)
{
	char buf[VF_PATHSIZ * 4];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
}

int
vf_nc_run(char *const argv[])
{
	static char *const envp[] = {
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:"
		"/bin",
		NULL
	};
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigset_t none;
		int null = open("/dev/null", O_RDWR);

		sigemptyset(&none);
		for (int sig = 1; sig < NSIG; sig++)
			sigaction(sig, &dfl, NULL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		execve(argv[0], argv, envp);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

bool
vf_nc_has_ipv4(const char *ifname)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	if (getifaddrs(&ifa) < 0)
		return false;
	for (i = ifa; i != NULL && !found; i = i->ifa_next)
		found = i->ifa_addr != NULL &&
			i->ifa_addr->sa_family == AF_INET &&
			strcmp(i->ifa_name, ifname) == 0;
	freeifaddrs(ifa);
	return found;
}
