/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "web_auth.h"

#include "log.h"
#include "web_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Argon2id at 5 passes over 8 MiB: one of OWASP's equivalent settings
 * (m=7 MiB, t=5), chosen over the more usual 19 MiB or more because the
 * console promises to stay within 20 MiB resident even during a login, and
 * libsodium takes the whole memory cost at once. About 0.07 s on a desktop
 * x86 core, a few times that on the small ARM boards a bridge often is;
 * online guessing is stopped by the lockout, not by the hash. The memory is
 * allocated per check and freed after, and checks run one at a time, so the
 * resident size returns to normal. A hash made with other settings (an
 * older sipcid-web) still verifies: the settings are in the hash string. */
#define OPSLIMIT 5ULL
#define MEMLIMIT ((size_t)8 << 20)

static GMutex verify_lock;

bool sipcid_web_auth_set_password(const char *path, const char *password, GError **error)
{
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(hash, password, strlen(password), OPSLIMIT, MEMLIMIT) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		            "hashing the password failed: out of memory");
		return false;
	}
	g_autofree char *text = g_strconcat(hash, "\n", NULL);
	/* Owned like its directory (the state directory, the sipcid user's), so
	 * sipcid-web reads it whoever set the password. */
	g_autofree char *dir = g_path_get_dirname(path);
	struct stat dst;
	bool have_dir = stat(dir, &dst) == 0;
	bool ok = sipcid_web_file_replace(path, text, strlen(text), have_dir ? dst.st_uid : (uid_t)-1,
	                                  have_dir ? dst.st_gid : (gid_t)-1, error);
	sodium_memzero(hash, sizeof hash);
	return ok;
}

struct verify_job {
	char *path;
	char *password;  /* sodium_malloc'd */
	size_t len;
};

static void free_job(gpointer p)
{
	struct verify_job *j = p;
	g_free(j->path);
	sodium_free(j->password);
	g_free(j);
}

static bool read_hash(const char *path, char out[crypto_pwhash_STRBYTES])
{
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	if (!g_file_get_contents(path, &text, NULL, &error)) {
		sipcid_log_warnx("login: no password to check against (%s): run sipcid-web "
		                 "--set-password", error->message);
		return false;
	}
	g_strstrip(text);
	if (strlen(text) >= crypto_pwhash_STRBYTES || !g_str_has_prefix(text, "$argon2id$")) {
		sipcid_log_warnx("login: %s does not hold a password hash: run sipcid-web "
		                 "--set-password", path);
		return false;
	}
	g_strlcpy(out, text, crypto_pwhash_STRBYTES);
	return true;
}

static void verify_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
	(void)source;
	(void)cancel;
	struct verify_job *j = data;
	char hash[crypto_pwhash_STRBYTES];
	bool ok = false;
	g_mutex_lock(&verify_lock);
	if (read_hash(j->path, hash)) {
		ok = crypto_pwhash_str_verify(hash, j->password, j->len) == 0;
	} else {
		/* The same work as a check, so a missing file does not answer
		 * faster than a wrong password. */
		if (crypto_pwhash_str(hash, j->password, j->len, OPSLIMIT, MEMLIMIT) != 0)
			sipcid_log_warnx("login: hashing failed: out of memory");
	}
	g_mutex_unlock(&verify_lock);
	sodium_memzero(hash, sizeof hash);
	g_task_return_boolean(task, ok);
}

void sipcid_web_auth_verify_async(const char *path, const char *password,
                                  GAsyncReadyCallback callback, gpointer data)
{
	struct verify_job *j = g_new0(struct verify_job, 1);
	j->path = g_strdup(path);
	j->len = strlen(password);
	j->password = sodium_malloc(j->len + 1);
	memcpy(j->password, password, j->len + 1);
	GTask *task = g_task_new(NULL, NULL, callback, data);
	g_task_set_task_data(task, j, free_job);
	g_task_run_in_thread(task, verify_thread);
	g_object_unref(task);
}

bool sipcid_web_auth_verify_finish(GAsyncResult *result)
{
	return g_task_propagate_boolean(G_TASK(result), NULL);
}
