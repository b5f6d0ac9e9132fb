// Package atomicfile writes files atomically: the content goes to a
// temporary file in the destination's folder, which is synced and then
// renamed over the destination, so readers see either the old file or the
// complete new one, never a partial write. On any failure the temporary file
// is removed and an existing destination is left untouched.
//
// Only regular files are ever replaced. If a directory, device, named pipe
// (FIFO) or socket stands at the destination, Write refuses with an error
// wrapping ErrNotRegular and touches nothing (running as root, writing to
// /dev/full would otherwise replace the device with a file). Symbolic links
// are followed deliberately: a link to a regular file keeps the link and
// replaces the file it leads to (in that file's folder); a dangling link or
// one that leads to anything other than a regular file is refused.
//
// Missing parent folders are created (mode 0755); written files get mode
// 0644.
package atomicfile
