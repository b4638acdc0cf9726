//! Which articles exist: press writes `api/manifest.json` into the site (every article's id
//! and card). The service reads it at start and again whenever a new build is published, and
//! answers any other id with 404, so nobody can fill the database with rows for articles that
//! do not exist.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct File {
    articles: Vec<Entry>,
    /// The heading of the most-read list, in the site's language.
    #[serde(default)]
    most_read_title: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    id: String,
    card: serde_json::Value,
}

/// The articles of the published site.
#[derive(Debug, Default)]
pub struct Manifest {
    pub cards: HashMap<String, serde_json::Value>,
    pub most_read_title: Option<String>,
}

impl Manifest {
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: File =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Self {
            cards: file.articles.into_iter().map(|e| (e.id, e.card)).collect(),
            most_read_title: file.most_read_title,
        })
    }

    pub fn knows(&self, id: &str) -> bool {
        self.cards.contains_key(id)
    }
}

/// The manifest in use, replaced when its file changes.
pub struct Live {
    path: PathBuf,
    current: RwLock<(Arc<Manifest>, Option<SystemTime>)>,
}

impl Live {
    /// Reads `site/api/manifest.json`; fails if it cannot (the service must know its articles).
    pub fn open(site: &Path) -> Result<Self, String> {
        let path = site.join("api/manifest.json");
        let manifest = Manifest::read(&path)?;
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        Ok(Self {
            path,
            current: RwLock::new((Arc::new(manifest), modified)),
        })
    }

    pub fn get(&self) -> Arc<Manifest> {
        self.current
            .read()
            .map(|c| Arc::clone(&c.0))
            .unwrap_or_default()
    }

    /// Reads the file again if it changed; a broken new file keeps the old manifest. Returns
    /// the number of articles when it reloaded.
    pub fn refresh(&self) -> Result<Option<usize>, String> {
        let modified = std::fs::metadata(&self.path)
            .and_then(|m| m.modified())
            .ok();
        let known = self.current.read().map(|c| c.1).unwrap_or(None);
        if modified.is_none() || modified == known {
            return Ok(None);
        }
        let manifest = Manifest::read(&self.path)?;
        let count = manifest.cards.len();
        if let Ok(mut c) = self.current.write() {
            *c = (Arc::new(manifest), modified);
        }
        Ok(Some(count))
    }
}
