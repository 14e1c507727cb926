#ifndef SPACEPLAN_FILE_SWAP_H
#define SPACEPLAN_FILE_SWAP_H
/// Atomically exchanges two paths on one file system (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0, or -1 with errno set (EINVAL or ENOSYS where the file system or kernel lacks it).
int spaceplan_exchange_paths(const char *a, const char *b);
#endif
