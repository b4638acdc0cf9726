//! The picture cache: renditions kept by the content of their source and the settings that
//! made them, so a rebuild encodes only new or changed pictures. An entry is written in a
//! folder of its own and renamed into place, so a run killed mid-way leaves no half entry.
//! Delete the cache folder at any time; the next run fills it again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

/// One source picture's renditions, as found in its entry's `entry.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The upright picture's size.
    pub width: u32,
    pub height: u32,
    pub placeholder: Option<String>,
    /// Best first: WebP by width, then the fallback by width.
    pub files: Vec<File>,
    /// Worth the publisher's eye, though the picture was made (a colour profile ignored).
    pub warning: Option<String>,
}

/// One rendition in an entry's folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct File {
    /// Its name in the entry's folder, e.g. `640.webp`.
    pub name: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
}

/// What the cache remembers of a source file it hashed: reading and hashing a 16 MB photo
/// again is skipped while its size and modification time are those it had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Seen {
    len: u64,
    modified_ns: u128,
    key: String,
}

/// The cache in one folder.
pub struct Cache {
    dir: PathBuf,
    seen: BTreeMap<String, Seen>,
}

const SEEN_FILE: &str = "seen.json";
const ENTRY_FILE: &str = "entry.json";

impl Cache {
    /// The cache at `dir` (made when first written). `version` names the settings: entries
    /// made with other settings are never read.
    pub fn open(dir: &Path, version: &str) -> Cache {
        let dir = dir.join(version);
        let seen = std::fs::read_to_string(dir.join(SEEN_FILE))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        Cache { dir, seen }
    }

    /// The key of the source at `path` if its size and time are those it was hashed with.
    pub fn known_key(&self, path: &Path, meta: &std::fs::Metadata) -> Option<String> {
        let seen = self.seen.get(&path.to_string_lossy().to_string())?;
        (seen.len == meta.len() && Some(seen.modified_ns) == modified_ns(meta))
            .then(|| seen.key.clone())
    }

    /// Remembers the key of the source at `path`.
    pub fn remember(&mut self, path: &Path, meta: &std::fs::Metadata, key: &str) {
        if let Some(modified_ns) = modified_ns(meta) {
            self.seen.insert(
                path.to_string_lossy().to_string(),
                Seen {
                    len: meta.len(),
                    modified_ns,
                    key: key.to_string(),
                },
            );
        }
    }

    /// Writes what was remembered (best effort: a cache that cannot be written is slower,
    /// never wrong).
    pub fn save(&self) {
        if let Ok(text) = serde_json::to_string(&self.seen) {
            let _ = std::fs::create_dir_all(&self.dir);
            let temp = self.dir.join(format!("{SEEN_FILE}.{}", std::process::id()));
            if std::fs::write(&temp, text).is_ok() {
                let _ = std::fs::rename(&temp, self.dir.join(SEEN_FILE));
            }
        }
    }

    /// The folder of the entry `key`.
    pub fn folder(&self, key: &str) -> PathBuf {
        self.dir.join(key)
    }

    /// The entry `key`, if it is whole: its description and every file it names.
    pub fn get(&self, key: &str) -> Option<Entry> {
        let folder = self.folder(key);
        let entry: Entry =
            serde_json::from_str(&std::fs::read_to_string(folder.join(ENTRY_FILE)).ok()?).ok()?;
        entry
            .files
            .iter()
            .all(|f| is_plain_name(&f.name) && folder.join(&f.name).is_file())
            .then_some(entry)
    }

    /// Stores `entry` with its files' bytes (in `entry.files` order) as `key`.
    pub fn put(&self, key: &str, entry: &Entry, bytes: &[Vec<u8>]) -> std::io::Result<()> {
        let folder = self.folder(key);
        // One temporary folder per process and thread: two threads may make the same picture
        // at once (two stories share it, or two builds in one process), and must not write
        // into, or delete, each other's. (`with_extension` here once cut the thread off the
        // name, and one thread's clean-up removed the other's half-written files.)
        let thread: String = format!("{:?}", std::thread::current().id())
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let temp = self
            .dir
            .join(format!(".{key}.{}.{thread}.partial", std::process::id()));
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir_all(&temp)?;
        for (file, bytes) in entry.files.iter().zip(bytes) {
            std::fs::write(temp.join(&file.name), bytes)?;
        }
        std::fs::write(temp.join(ENTRY_FILE), serde_json::to_string(entry)?)?;
        if folder.exists() {
            // Another run made it meanwhile (and may be linking from it): keep that one.
            if self.get(key).is_some() {
                let _ = std::fs::remove_dir_all(&temp);
                return Ok(());
            }
            // It was not whole: this one is.
            let _ = std::fs::remove_dir_all(&folder);
        }
        match std::fs::rename(&temp, &folder) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&temp);
                // Another run renamed the same entry into place first.
                if self.get(key).is_some() {
                    Ok(())
                } else {
                    Err(e)
                }
            }
        }
    }
}

fn modified_ns(meta: &std::fs::Metadata) -> Option<u128> {
    meta.modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()
        .map(|d| d.as_nanos())
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !name.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("press-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn entry() -> Entry {
        Entry {
            width: 4,
            height: 2,
            placeholder: None,
            files: vec![File {
                name: "4.webp".into(),
                mime: "image/webp".into(),
                width: 4,
                height: 2,
            }],
            warning: None,
        }
    }

    #[test]
    fn threads_storing_the_same_entry_at_once_all_succeed() {
        let dir = temp("threads");
        let entry = entry();
        let bytes: Vec<Vec<u8>> = entry.files.iter().map(|_| vec![7u8; 200_000]).collect();
        for round in 0..20 {
            let key = format!("k{round}");
            std::thread::scope(|s| {
                for _ in 0..4 {
                    s.spawn(|| {
                        Cache::open(&dir, "v1")
                            .put(&key, &entry, &bytes)
                            .expect("every thread's put succeeds")
                    });
                }
            });
            assert!(Cache::open(&dir, "v1").get(&key).is_some(), "whole");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_entry_is_read_back_only_when_whole() {
        let dir = temp("whole");
        let cache = Cache::open(&dir, "v1");
        assert_eq!(cache.get("k"), None);
        cache.put("k", &entry(), &[b"RIFF".to_vec()]).expect("put");
        assert_eq!(cache.get("k"), Some(entry()));
        // A file gone (a disk cleaned by hand): the entry is made again, not half used.
        std::fs::remove_file(cache.folder("k").join("4.webp")).expect("rm");
        assert_eq!(cache.get("k"), None);
        // Other settings never see it.
        cache.put("k", &entry(), &[b"RIFF".to_vec()]).expect("put");
        assert_eq!(Cache::open(&dir, "v2").get("k"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_entry_naming_a_file_outside_its_folder_is_not_used() {
        let dir = temp("outside");
        let cache = Cache::open(&dir, "v1");
        cache.put("k", &entry(), &[b"RIFF".to_vec()]).expect("put");
        let mut bad = entry();
        bad.files[0].name = "../../../etc/passwd".into();
        std::fs::write(
            cache.folder("k").join(ENTRY_FILE),
            serde_json::to_string(&bad).expect("json"),
        )
        .expect("write");
        assert_eq!(cache.get("k"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_source_is_known_by_its_size_and_time_until_either_changes() {
        let dir = temp("seen");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let source = dir.join("a.jpg");
        std::fs::write(&source, b"one").expect("write");
        let meta = std::fs::metadata(&source).expect("meta");
        let mut cache = Cache::open(&dir.join("cache"), "v1");
        cache.remember(&source, &meta, "key1");
        cache.save();
        let cache = Cache::open(&dir.join("cache"), "v1");
        assert_eq!(cache.known_key(&source, &meta).as_deref(), Some("key1"));
        std::fs::write(&source, b"longer").expect("write");
        let changed = std::fs::metadata(&source).expect("meta");
        assert_eq!(cache.known_key(&source, &changed), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
