//! The pictures a site publishes. A photograph (JPEG, PNG, GIF or WebP) is decoded within
//! bounds, turned upright, converted to sRGB and stripped of everything but its pixels, then
//! published as a ladder of WebP widths with a JPEG (or PNG) fallback and a tiny placeholder,
//! under names that carry its content's hash. An SVG (or AVIF) is published as it is, under
//! a hashed name too, so everything under `images/` can be cached for ever.

mod cache;
pub mod decode;
pub mod encode;
pub mod size;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use broadsheet::model::Rendition;
use sha2::{Digest, Sha256};

pub use cache::Cache;
use cache::{Entry, File};
use decode::PictureError;
use encode::Pixels;

/// Where renditions are kept between runs, and how many pictures are made at once.
#[derive(Debug, Clone)]
pub struct Options {
    pub cache: PathBuf,
    pub jobs: usize,
}

/// A picture as the site shows it: what the contract's `Image` carries besides its words.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// The fallback rendition, or the file itself: a site path (`images/x-1280.<hash>.jpg`).
    pub src: String,
    pub width: u32,
    pub height: u32,
    /// Best first; empty for a picture published as it is.
    pub renditions: Vec<Rendition>,
    pub placeholder: Option<String>,
}

/// What a run made of the pictures it was given.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The articles' pictures, by the source path the content names (`images/x.jpg`).
    pub published: BTreeMap<String, Published>,
    /// The site's own pictures (logo, icon), published as they are.
    pub as_is: BTreeMap<String, Published>,
    /// Every file to publish: where it is now, and its site path.
    pub files: Vec<(PathBuf, String)>,
    /// Pictures that cannot be published, and why.
    pub failed: Vec<(String, String)>,
    /// Pictures published with something worth the publisher's eye.
    pub warnings: Vec<(String, String)>,
    /// Pictures encoded in this run, and pictures found in the cache.
    pub encoded: usize,
    pub reused: usize,
}

/// The extensions of the pictures press makes renditions of; any other it publishes as is.
const RASTER: &[&str] = &["jpg", "jpeg", "png", "gif", "webp"];

/// The settings a cache entry was made with: a change to any gives new entries.
fn version() -> String {
    let settings = format!(
        "widths {:?} fallback {:?} webp q{} m{} sharp jpeg q{} placeholder {} q{} v1",
        encode::WIDTHS,
        encode::FALLBACK_WIDTHS,
        encode::WEBP_QUALITY,
        encode::WEBP_METHOD,
        encode::JPEG_QUALITY,
        encode::PLACEHOLDER_SIZE,
        encode::PLACEHOLDER_QUALITY
    );
    hex(&Sha256::digest(settings.as_bytes()), 6)
}

fn hex(bytes: &[u8], len: usize) -> String {
    bytes.iter().take(len).map(|b| format!("{b:02x}")).collect()
}

/// The source's path without its extension, and its extension: `images/a/b.JPG` ->
/// (`images/a/b`, `jpg`).
fn split(src: &str) -> (&str, String) {
    match src.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') => (stem, ext.to_ascii_lowercase()),
        _ => (src, String::new()),
    }
}

/// Publishes the articles' pictures `srcs` and the site's pictures `as_is` (paths under
/// `content`, already checked to be files there), on `options.jobs` threads.
pub fn publish(
    content: &Path,
    srcs: &BTreeSet<String>,
    as_is: &BTreeSet<String>,
    options: &Options,
) -> Outcome {
    let cache = Mutex::new(Cache::open(&options.cache.join("pictures"), &version()));
    let srcs: Vec<(&String, bool)> = srcs
        .iter()
        .map(|s| (s, false))
        .chain(as_is.iter().map(|s| (s, true)))
        .collect();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Done>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.clamp(1, srcs.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(src, as_is)) = srcs.get(i) else {
                    break;
                };
                let made = if as_is {
                    as_it_is(&content.join(src), src)
                } else {
                    publish_one(content, src, &cache)
                };
                if let Ok(mut results) = results.lock() {
                    results.push(Done {
                        src: src.clone(),
                        as_is,
                        made,
                    });
                }
            });
        }
    });
    if let Ok(cache) = cache.lock() {
        cache.save();
    }
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by(|a, b| (&a.src, a.as_is).cmp(&(&b.src, b.as_is)));
    let mut outcome = Outcome::default();
    for Done { src, as_is, made } in results {
        match made {
            Ok(made) => {
                if made.reused {
                    outcome.reused += 1;
                } else if made.encoded {
                    outcome.encoded += 1;
                }
                if let Some(warning) = made.warning {
                    outcome.warnings.push((src.clone(), warning));
                }
                outcome.files.extend(made.files);
                if as_is {
                    outcome.as_is.insert(src, made.published);
                } else {
                    outcome.published.insert(src, made.published);
                }
            }
            Err(message) => outcome.failed.push((src, message)),
        }
    }
    outcome
}

/// One picture, done.
struct Done {
    src: String,
    as_is: bool,
    made: Result<Made, String>,
}

/// One picture's part of the outcome.
struct Made {
    published: Published,
    files: Vec<(PathBuf, String)>,
    warning: Option<String>,
    encoded: bool,
    reused: bool,
}

fn publish_one(content: &Path, src: &str, cache: &Mutex<Cache>) -> Result<Made, String> {
    let path = content.join(src);
    let (stem, ext) = split(src);
    if !RASTER.contains(&ext.as_str()) {
        return as_it_is(&path, src);
    }
    let meta = std::fs::metadata(&path).map_err(|e| format!("cannot read it: {e}"))?;
    if meta.len() > decode::MAX_FILE_BYTES {
        return Err(PictureError::TooLarge { bytes: meta.len() }.to_string());
    }
    let known = cache.lock().ok().and_then(|c| c.known_key(&path, &meta));
    let mut bytes = None;
    let key = match known {
        Some(key) => key,
        None => {
            let read = std::fs::read(&path).map_err(|e| format!("cannot read it: {e}"))?;
            // The settings are in the key too: new settings make new names, never new bytes
            // under a name a browser may hold for a year.
            let mut hasher = Sha256::new();
            hasher.update(version().as_bytes());
            hasher.update(&read);
            let key = hex(&hasher.finalize(), 16);
            bytes = Some(read);
            key
        }
    };
    let (entry, folder, reused) = match cache
        .lock()
        .ok()
        .and_then(|c| c.get(&key).map(|e| (e, c.folder(&key))))
    {
        Some((entry, folder)) => (entry, folder, true),
        None => {
            let bytes = match bytes.take() {
                Some(bytes) => bytes,
                None => std::fs::read(&path).map_err(|e| format!("cannot read it: {e}"))?,
            };
            let (entry, files) = make(&bytes, &ext)?;
            let folder = match cache.lock() {
                Ok(c) => {
                    c.put(&key, &entry, &files)
                        .map_err(|e| format!("the picture cache cannot be written: {e}"))?;
                    c.folder(&key)
                }
                Err(_) => return Err("the picture cache failed".into()),
            };
            (entry, folder, false)
        }
    };
    if let Ok(mut c) = cache.lock() {
        c.remember(&path, &meta, &key);
    }
    Ok(published_from(stem, &key, &entry, &folder, reused))
}

/// The site's names for an entry's files: `images/x-640.<key>.webp`.
fn published_from(stem: &str, key: &str, entry: &Entry, folder: &Path, reused: bool) -> Made {
    let short = &key[..key.len().min(10)];
    let mut files = Vec::new();
    let mut widths = Vec::new();
    // The largest fallback is the <img>'s src: what a browser without WebP shows, and link
    // previews. The WebP widths are its <source>.
    let (mut src, mut width, mut height) = (String::new(), entry.width, entry.height);
    for file in &entry.files {
        let ext = split(&file.name).1;
        let site = format!("{stem}-{}.{short}.{ext}", file.width);
        files.push((folder.join(&file.name), site.clone()));
        if file.mime == "image/webp" {
            widths.push(file.width);
        } else {
            (src, width, height) = (site, file.width, file.height);
        }
    }
    let renditions = vec![Rendition {
        kind: "image/webp".into(),
        src: format!("{stem}-{{width}}.{short}.webp"),
        widths,
    }];
    Made {
        published: Published {
            src,
            width,
            height,
            renditions,
            placeholder: entry.placeholder.clone(),
        },
        files,
        warning: entry.warning.clone(),
        encoded: !reused,
        reused,
    }
}

/// Decodes a picture and makes its renditions.
fn make(bytes: &[u8], ext: &str) -> Result<(Entry, Vec<Vec<u8>>), String> {
    let decoded = decode::decode(bytes, ext).map_err(|e| e.to_string())?;
    let graphic = matches!(ext, "png" | "gif");
    let pixels = Pixels::new(decoded.pixels, decoded.has_alpha);
    let (width, height) = (pixels.width, pixels.height);
    let mut files = Vec::new();
    let mut bytes = Vec::new();
    let rungs = encode::ladder(width, encode::WIDTHS);
    // A chart or screenshot is often smaller, and sharper, without loss: decided once, on
    // the rung nearest a phone's width.
    let lossless = graphic && {
        let probe = pixels.resized(rungs[rungs.len().min(3) - 1])?;
        probe.webp(0.0, true)?.len() <= probe.webp(encode::WEBP_QUALITY, false)?.len()
    };
    for &w in &rungs {
        let resized = pixels.resized(w)?;
        bytes.push(resized.webp(if lossless { 50.0 } else { encode::WEBP_QUALITY }, lossless)?);
        files.push(File {
            name: format!("{w}.webp"),
            mime: "image/webp".into(),
            width: w,
            height: resized.height,
        });
    }
    for w in encode::ladder(width, encode::FALLBACK_WIDTHS) {
        let resized = pixels.resized(w)?;
        let (encoded, ext) = resized.fallback()?;
        bytes.push(encoded);
        files.push(File {
            name: format!("{w}.{ext}"),
            mime: if ext == "png" {
                "image/png"
            } else {
                "image/jpeg"
            }
            .into(),
            width: w,
            height: resized.height,
        });
    }
    // Transparent pictures get none: it would show through them.
    let placeholder = if pixels.alpha {
        None
    } else {
        Some(pixels.placeholder()?)
    };
    Ok((
        Entry {
            width,
            height,
            placeholder,
            files,
            warning: decoded.profile_warning,
        },
        bytes,
    ))
}

/// An SVG or AVIF: published byte for byte, under a name with its hash.
fn as_it_is(path: &Path, src: &str) -> Result<Made, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
    let (width, height) = size::dimensions(path)?;
    let (stem, ext) = split(src);
    let site = format!("{stem}.{}.{ext}", hex(&Sha256::digest(&bytes), 5));
    let warning = (ext == "avif").then(|| {
        "an AVIF is published as it is, with any metadata it holds and no smaller sizes: export a JPEG or PNG to have press make them".to_string()
    });
    Ok(Made {
        published: Published {
            src: site.clone(),
            width,
            height,
            renditions: Vec::new(),
            placeholder: None,
        },
        files: vec![(path.to_path_buf(), site)],
        warning,
        encoded: false,
        reused: false,
    })
}
