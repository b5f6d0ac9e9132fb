// Package atomicfile writes files atomically: the content goes to a
// temporary file in the destination's folder, which is synced and then
// renamed over the destination, so readers see either the old file or the
// complete new one, never a partial write. On any failure the temporary file
// is removed and an existing destination is left untouched.
//
// Missing parent folders are created (mode 0755); written files get mode
// 0644.
package atomicfile
