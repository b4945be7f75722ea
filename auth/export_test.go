package auth

// SetFileStoreRename replaces how f moves its temporary file over the token
// file, so that a test can make the last step of a save fail.
func SetFileStoreRename(f *FileStore, rename func(oldpath, newpath string) error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rename = rename
}
